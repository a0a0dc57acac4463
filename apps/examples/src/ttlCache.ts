// A bounded TTL cache with metrics: ShardedHashMap.with(lifecycle).
// Run it with `pnpm example ttl-cache` from the repository root.
//
// A cache of rendered product pages in front of a slow renderer:
//   1. bounded: at most 1,000 pages (split over 8 shards), the oldest write goes first when a shard is full;
//   2. fresh: a page lives 300 ms after it was rendered; an expired page is never served, and an
//      unref'd timer sweeps expired pages (it never keeps this process alive);
//   3. observable: hits, misses, evictions and the hit rate, counted by the map.
import { ShardedHashMap } from '@starshard/core';
import { lifecycle } from '@starshard/lifecycle';

let renders = 0;

/** Pretends to render a product page (the expensive work the cache saves). */
function renderPage(id: number): string {
  renders++;
  return `<html><h1>Product ${id}</h1><p>rendered #${renders} at ${Date.now()}</p></html>`;
}

const Cache = ShardedHashMap.with(lifecycle);
const pages = new Cache<number, string>(8, {
  eviction: { policy: 'ttl', ttlMs: 300, maxEntries: 1_000, checkIntervalMs: 100 },
});

/** The read path: a cached page, or a fresh render stored for the next reader. */
function page(id: number): string {
  return pages.computeIfAbsent(id, renderPage);
}

/** 80% of the traffic goes to 200 popular products, the rest to 5,000 others. */
function visit(step: number): void {
  const hot = (step * 7919) % 10 < 8;
  page(hot ? (step * 31) % 200 : 200 + ((step * 104_729) % 5_000));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function report(label: string): void {
  const m = pages.metrics();
  const { estimatedBytes, shardsAllocated } = pages.memoryStats();
  console.log(
    `${label.padEnd(28)} size ${String(pages.len()).padStart(5)} | hits ${String(m.hits).padStart(6)}  misses ${String(m.misses).padStart(5)}  ` +
      `hit rate ${(m.hitRate * 100).toFixed(1).padStart(5)}% | evictions ${String(m.evictions).padStart(5)} | ` +
      `renders ${String(renders).padStart(5)} | ${shardsAllocated} shards, ~${(estimatedBytes / 1024).toFixed(0)} KiB of tables`,
  );
}

// ---- 1. Traffic: 20,000 visits. The bound holds: never more than 1,000 pages ----

let largest = 0;
for (let step = 0; step < 20_000; step++) {
  visit(step);
  largest = Math.max(largest, pages.len());
}
report('after 20,000 visits');
console.log(`largest size seen: ${largest} (bound 1,000)`);

// ---- 2. Freshness: wait past the TTL; expired pages are re-rendered, never served ----

const before = page(1);
await sleep(350);
const after = page(1);
console.log(`page 1 re-rendered after its TTL: ${before !== after}`);
report('after the TTL passed');

// ---- 3. The sweep: with no traffic at all, the timer empties the cache ----

await sleep(400);
console.log(`after 400 ms idle, the sweep left ${pages.perShardLoad().reduce((n, s) => n + s.entryCount, 0)} pages`);
report('after the sweep');

// ---- 4. Metrics per interval, then drain what is left ----

pages.resetMetrics();
for (let step = 0; step < 5_000; step++) visit(step);
report('next interval (reset)');
const drained = [...pages.drain()].length;
console.log(`drained ${drained} pages; the map is empty: ${pages.isEmpty()}`);
const { lastEvictTime } = pages.metrics();
console.log(`last eviction ${lastEvictTime === undefined ? 'never' : `${Date.now() - lastEvictTime} ms ago`}`);
// Nothing to clean up: the sweep timer is unref'd, so the process exits here.
