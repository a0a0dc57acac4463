// The child side of the memory workload: fills fresh lifecycle maps between two forced-GC heap
// readings, and compares the heap's growth with what memoryStats() estimates.

import { ShardedHashMap } from '@starshard/core';
import { lifecycle } from '@starshard/lifecycle';
import type { MemoryJob, MemoryReply, MemorySubject } from './job.js';

const Life = ShardedHashMap.with(lifecycle);

function makeMap(subject: MemorySubject, entries: number, shards: number) {
  switch (subject) {
    case 'plain':
      return new Life<string | number, number>(shards);
    case 'lru':
      return new Life<string | number, number>(shards, { eviction: { policy: 'lru', maxEntries: entries } });
    case 'lfu':
      return new Life<string | number, number>(shards, { eviction: { policy: 'lfu', maxEntries: entries } });
    case 'ttl':
      return new Life<string | number, number>(shards, {
        eviction: { policy: 'ttl', ttlMs: 3_600_000, checkIntervalMs: Number.POSITIVE_INFINITY },
      });
  }
}

/** JS heap plus ArrayBuffer backing stores (typed arrays live outside the heap), after full GCs. */
function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the memory workload needs --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Sets up nothing; each call measures once (the parent calls once per child). */
export function openMemorySession(job: MemoryJob): () => MemoryReply {
  return () => {
    // Keys exist before the first reading: the delta is the maps' own structures (values are small integers).
    // Number keys stay below 2^30, so they are small integers (not boxed doubles) on every
    // platform: the delta is then the tables alone. Short strings built by `+` are flat already.
    const keys: (string | number)[] = new Array(job.entries);
    for (let i = 0; i < job.entries; i++)
      keys[i] = job.keyKind === 'u32' ? ((i * 2654435761) >>> 0) & 0x3fffffff : `key:${i}`;
    const maps: ReturnType<typeof makeMap>[] = new Array(job.copies);
    const before = heapUsed();
    for (let c = 0; c < job.copies; c++) {
      const map = makeMap(job.subject, job.entries, job.shards);
      for (let i = 0; i < keys.length; i++) map.insert(keys[i] as string | number, i & 0xffff);
      maps[c] = map;
    }
    const after = heapUsed();
    const stats = (maps[0] as ReturnType<typeof makeMap>).memoryStats();
    const reply = {
      heapDeltaBytes: (after - before) / job.copies,
      estimatedBytes: stats.estimatedBytes,
      totalCapacity: stats.totalCapacity,
    };
    for (const map of maps) map.clear();
    return reply;
  };
}
