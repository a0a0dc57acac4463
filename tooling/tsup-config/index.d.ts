import type { Options } from 'tsup';
/** The shared tsup config: ESM + CJS + .d.ts from `src/index.ts`. */
export declare function packageConfig(overrides?: Options): ReturnType<typeof import('tsup').defineConfig>;
