import { packageTestConfig } from '@starshard/vitest-config';

// One server and one cluster for the whole run (test/support/globalSetup.ts).
export default packageTestConfig({ globalSetup: ['test/support/globalSetup.ts'] });
