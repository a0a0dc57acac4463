import { packageConfig } from '@starshard/tsup-config';

// Two entries: the library, and the ready-made replica worker script (`./replica-worker`).
export default packageConfig({ entry: ['src/index.ts', 'src/replicaWorker.ts'] });
