// Seeded randomness for key sets and access orders: every run of a cell sees the same keys in
// the same order, and nothing random is drawn inside a timed loop.

/** A source of uniform 32-bit unsigned integers. */
export type Rng = () => number;

/**
 * mulberry32: a tiny seeded generator, good enough to shuffle keys (not for cryptography).
 *
 * @example
 * const rng = mulberry32(42);
 * rng(); // the same uint32 in every process
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * A uniform integer in `[0, n)` (n ≤ 2^32).
 *
 * @example
 * below(rng, 100); // 0..99
 */
export function below(rng: Rng, n: number): number {
  return Math.floor((rng() / 0x100000000) * n);
}

/**
 * Fisher–Yates shuffle in place; returns `items`.
 *
 * @example
 * shuffle([1, 2, 3], mulberry32(1));
 */
export function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = below(rng, i + 1);
    const t = items[i] as T;
    items[i] = items[j] as T;
    items[j] = t;
  }
  return items;
}
