// @internal The two lock modes, as small integers on the hot path. A mode compares as its
// strength: `WRITE > READ`.

/** Shared mode. */
export const READ = 0;
/** Exclusive mode. */
export const WRITE = 1;
/** `READ` or `WRITE`. */
export type Mode = typeof READ | typeof WRITE;
