// A page-hit counter under a skewed (Zipf-like) load, tracked twice: exactly, and with
// `touchLimit: 256` (bounded memory). Then the same plugin on the async map, behind concurrent
// request handlers that await inside their callbacks. Run: pnpm --filter @starshard/plugin-example demo
import { AsyncShardedHashMap } from '@starshard/async';
import { ShardedHashMap } from '@starshard/core';
import { touchCount } from './index.js';

/** mulberry32: a seeded PRNG, so every run prints the same numbers. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PAGES = 20_000;
const REQUESTS = 100_000;
/** Page `i` is requested about `1 / (i + 1)` as often as page 0. */
const pick = (random: () => number): string => `/page/${Math.floor(PAGES ** random()) - 1}`;
const random = prng(42);

const Counted = ShardedHashMap.with(touchCount);
const exact = new Counted<string, number>(64, { seed: 7 });
const bounded = Counted.withTouchTracking<string, number>(64, 256);

for (let i = 0; i < REQUESTS; i++) {
  const page = pick(random);
  for (const hits of [exact, bounded]) {
    // The first hit inserts (computeIfAbsent), later ones update (computeIfPresent): both are touches.
    if (hits.computeIfPresent(page, (n) => n + 1) === undefined) hits.computeIfAbsent(page, () => 1);
  }
}
// Housekeeping writes are counted too: drop the pages seen only once.
const dropped = exact.retain((_, n) => n > 1);
bounded.retain((_, n) => n > 1);

console.log(`${REQUESTS} requests over ${PAGES} pages; ${exact.len()} pages kept, ${dropped} dropped by retain`);
console.log(`touches observed: ${exact.totalTouches()} (every computeIfAbsent/computeIfPresent/retain write)\n`);

console.log(
  `${'page'.padEnd(16)} ${'exact touches'.padStart(13)}   ${'256-slot estimate'.padStart(19)}   ${'stored hits'.padStart(11)}`,
);
const approx = new Map(bounded.hottestKeys(256));
for (const [page, touches] of exact.hottestKeys(8)) {
  const estimate = approx.get(page);
  console.log(
    `${page.padEnd(16)} ${String(touches).padStart(13)}   ${String(estimate ?? 'not tracked').padStart(19)}   ${String(exact.get(page)).padStart(11)}`,
  );
}

const top8 = (m: typeof exact) => new Set(m.hottestKeys(8).map(([page]) => page));
const exactTop = top8(exact);
const shared = [...top8(bounded)].filter((page) => exactTop.has(page)).length;
console.log(`\nthe 256-slot tracker agrees on ${shared} of the top 8 pages, tracking 256 keys instead of ${PAGES}`);

exact.clear();
console.log(`after clear(): ${exact.len()} entries, ${exact.totalTouches()} touches (clear counts once)`);

// ---- The same plugin on the async map ----
// `AsyncShardedHashMap.with(touchCount)` wraps a sync map composed with touchCount's sync facet,
// so every async write is counted by the same code; the async facet returns the counts as promises.
const AsyncCounted = AsyncShardedHashMap.with(touchCount);
const live = new AsyncCounted<string, number>(64, { seed: 7 });
const ASYNC_REQUESTS = 20_000;
/** One turn of the event loop: stands for a database or network round trip. */
const roundTrip = () => new Promise<void>((resolve) => setImmediate(resolve));
let loads = 0;

async function handle(page: string): Promise<void> {
  // The first requests for a page share one load (single-flight): one write, one touch.
  await live.computeIfAbsent(page, async () => {
    loads++;
    await roundTrip();
    return 0;
  });
  // Read-modify-write with an await inside: the key is held meanwhile, so no hit is lost.
  await live.computeIfPresent(page, async (hits) => {
    await roundTrip();
    return hits + 1;
  });
}

const asyncRandom = prng(43);
const inFlight = Array.from({ length: ASYNC_REQUESTS }, () => handle(pick(asyncRandom)));
await roundTrip();
await roundTrip();
// The counters never wait for a lock (like get): they answer at once with what has committed.
const early = await live.totalTouches();
await Promise.all(inFlight);

console.log(`\nasync: ${ASYNC_REQUESTS} concurrent requests, each awaiting inside its callbacks`);
console.log(`touches read mid-flight, without waiting: ${early}`);
const storedHits = (await live.values()).reduce((a, b) => a + b, 0);
const total = await live.totalTouches();
console.log(
  `stored hits ${storedHits} (no lost update); ${loads} loads for ${await live.len()} pages (single-flight); ` +
    `touches ${total} = ${loads} loads + ${ASYNC_REQUESTS} updates`,
);
for (const [page, touches] of await live.hottestKeys(3)) {
  console.log(`${page.padEnd(16)} ${String(touches).padStart(6)} touches = 1 load + ${await live.get(page)} hits`);
}
