// A tinypool worker pool sharing one memo cache: a SharedShardedHashMap created here, attached in
// every worker. A request computed by one worker is a cache hit for all the others, with no
// message passing. Run it with `pnpm example worker-memo-cache`.
import { availableParallelism } from 'node:os';
import { codecs, SharedShardedHashMap } from '@starshard/shared';
import Tinypool from 'tinypool';

const cache = new SharedShardedHashMap({ shards: 16, key: codecs.number, value: codecs.string });
const threads = Math.max(2, availableParallelism());
const pool = new Tinypool({
  filename: new URL('./workers/memoWorker.mjs', import.meta.url).href,
  minThreads: threads,
  maxThreads: threads,
  workerData: { cache: cache.handle },
});

// 1 000 requests over 100 distinct inputs (each input asked 10 times, in shuffled order).
const requests: number[] = [];
for (let i = 0; i < 1_000; i++) requests.push(2_000 + ((i * 7_919) % 100) * 20);

async function run(useCache: boolean): Promise<{ ms: number; computed: number; values: Map<number, string> }> {
  const started = performance.now();
  const answers = await Promise.all(requests.map((n) => pool.run({ n, useCache })));
  const values = new Map<number, string>();
  let computed = 0;
  answers.forEach((a: { value: string; computed: boolean }, i) => {
    values.set(requests[i] as number, a.value);
    if (a.computed) computed++;
  });
  return { ms: performance.now() - started, computed, values };
}

const plain = await run(false);
const memo = await run(true);
const again = await run(true);

console.log(`${threads} workers, ${requests.length} requests over ${new Set(requests).size} distinct inputs`);
console.log(`without the cache: ${plain.computed} computations in ${plain.ms.toFixed(0)} ms`);
console.log(
  `shared cache, cold: ${memo.computed} computations in ${memo.ms.toFixed(0)} ms (one per distinct input, whichever worker got it first)`,
);
console.log(`shared cache, warm: ${again.computed} computations in ${again.ms.toFixed(0)} ms`);
console.log(
  `cache entries: ${cache.len()}, same answers as without the cache: ${[...plain.values].every(([n, v]) => memo.values.get(n) === v && again.values.get(n) === v)}`,
);
console.log(`the main thread reads the workers' results directly: cache.get(2000) = ${cache.get(2_000)}`);

await pool.destroy();
cache.close();
