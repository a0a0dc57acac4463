import { below, mulberry32 } from './prng.js';

/**
 * The max/avg shard load a perfectly random hash gives `n` keys over `shards` shards (median of
 * a few simulated trials): the yardstick for a balance figure. With few keys per shard even a
 * perfect hash is lumpy (1k keys over 64 shards: about 1.8).
 *
 * @example
 * uniformMaxOverAvg(200_000, 64); // about 1.03
 */
export function uniformMaxOverAvg(n: number, shards: number, trials = 7): number {
  if (shards <= 1 || n === 0) return 1;
  const rng = mulberry32(0x5eed ^ n ^ (shards << 20));
  const loads = new Uint32Array(shards);
  const figures: number[] = [];
  for (let t = 0; t < trials; t++) {
    loads.fill(0);
    for (let i = 0; i < n; i++) {
      const shard = below(rng, shards);
      loads[shard] = (loads[shard] as number) + 1;
    }
    figures.push(Math.max(...loads) / (n / shards));
  }
  figures.sort((a, b) => a - b);
  return figures[Math.floor(trials / 2)] as number;
}
