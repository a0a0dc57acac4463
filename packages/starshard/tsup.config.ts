import { packageConfig } from '@starshard/tsup-config';

export default packageConfig();
