// The routing shortcut: a key routed to shard j of the new layout can only be in the old shards
// whose hash interval meets j's, found without hashing the key again. Checked against the core's
// own routing for both counts, and counted: one old shard per lookup when the count grows by a
// whole factor.
import { ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Migration } from '../src/migration.js';

/** The core's routing, reached through its protected seam. */
class Router<K> extends ShardedHashMap<K, unknown> {
  at(key: K): number {
    return this.indexFor(key);
  }
}

/** A Map that counts `has` calls. */
class CountingMap<K, V> extends Map<K, V> {
  hasCalls = 0;
  override has(key: K): boolean {
    this.hasCalls++;
    return super.has(key);
  }
}

const countArb = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(1024, 4096, 262_144, 100_000));

describe('Migration.sourceIndexHolding', () => {
  it("finds each key's old shard from its new shard index, for any two counts", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        countArb,
        countArb,
        fc.array(fc.string(), { maxLength: 30 }),
        (seed, from, to, words) => {
          const before = new Router<unknown>(from, { seed });
          const after = new Router<unknown>(to, { seed });
          const keys: unknown[] = [...words, ...words.map((w) => w.length * 7919), 0, -0.5, 2 ** 40];
          const sources: (Map<unknown, unknown> | undefined)[] = new Array(from).fill(undefined);
          for (const key of keys) {
            const i = before.at(key);
            sources[i] ??= new Map();
            sources[i]!.set(key, i);
          }
          const migration = new Migration(sources, to, () => {});
          for (const key of keys) {
            expect(migration.sourceIndexHolding(key, after.at(key))).toBe(before.at(key));
            expect(migration.sourceHolding(key, after.at(key))?.get(key)).toBe(before.at(key));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('looks in one old shard per lookup when the count grows by a whole factor', () => {
    for (const [from, to] of [
      [1, 64],
      [64, 256],
      [3, 12],
      [7, 7 * 5],
    ] as const) {
      const after = new Router<string>(to, { seed: 1 });
      const sources = Array.from({ length: from }, () => new CountingMap<string, unknown>([['x', 1]]));
      const migration = new Migration<string, unknown>(sources, to, () => {});
      for (let i = 0; i < 1_000; i++) migration.sourceIndexHolding(`absent:${i}`, after.at(`absent:${i}`));
      expect(
        sources.reduce((n, s) => n + s.hasCalls, 0),
        `${from} → ${to}`,
      ).toBe(1_000);
    }
  });
});
