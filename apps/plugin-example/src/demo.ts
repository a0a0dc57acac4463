// A page-hit counter under a skewed (Zipf-like) load, tracked twice: exactly, and with
// `touchLimit: 256` (bounded memory). Run: pnpm --filter @starshard/plugin-example demo
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
const random = prng(42);
/** Page `i` is requested about `1 / (i + 1)` as often as page 0. */
const pick = (): string => `/page/${Math.floor(PAGES ** random()) - 1}`;

const Counted = ShardedHashMap.with(touchCount);
const exact = new Counted<string, number>(64, { seed: 7 });
const bounded = Counted.withTouchTracking<string, number>(64, 256);

for (let i = 0; i < REQUESTS; i++) {
  const page = pick();
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
