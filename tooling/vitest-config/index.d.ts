import type { ViteUserConfig } from 'vitest/config';
/** The shared vitest config (unit tests, type tests, JSON results for the root summary). */
export declare function packageTestConfig(overrides?: ViteUserConfig['test']): ViteUserConfig;
