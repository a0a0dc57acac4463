import { packageTestConfig } from '@starshard/vitest-config';

export default packageTestConfig();
