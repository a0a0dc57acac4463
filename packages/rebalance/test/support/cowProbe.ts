// A minimal copy-on-write snapshot, written the way the snapshot plugin's `Cow` mode works: a
// snapshot captures the shard Maps `scanShards()` hands out (current and old layout), and the
// first `shardForWrite` of a captured shard copies it. It records what each captured Map held,
// so a test can prove no one mutated a Map after it was captured.
import { definePlugin } from '@starshard/core';

/** What the probe adds: capture now, and check every capture is intact. */
export interface CowProbeApi {
  /** Captures every shard Map of the map, as a copy-on-write snapshot would. */
  capture(): void;
  /** Captured Maps whose content changed since they were captured (should be none). */
  mutatedCaptures(): number;
  /** How many Maps were captured so far. */
  captures(): number;
}

/** A copy-on-write probe plugin with the given name (its name decides where it sits in the chain). */
export function cowProbe<const Name extends string>(name: Name) {
  return definePlugin({
    name,
    sync: (Base) =>
      class extends Base implements CowProbeApi {
        probeShared: Set<Map<unknown, unknown>>;
        probeCaptured: [Map<unknown, unknown>, [unknown, unknown][]][];

        constructor(...args: any[]) {
          super(...args);
          this.probeShared = new Set();
          this.probeCaptured = [];
        }

        protected override shardForWrite(key: unknown, index: number): Map<unknown, unknown> {
          const shard = super.shardForWrite(key, index);
          if (this.probeShared === undefined || !this.probeShared.has(shard)) return shard;
          const copy = new Map(shard);
          this.shards[index] = copy;
          return copy;
        }

        capture(): void {
          for (const shard of this.scanShards()) {
            this.probeShared.add(shard);
            this.probeCaptured.push([shard, [...shard]]);
          }
        }

        mutatedCaptures(): number {
          let mutated = 0;
          for (const [shard, entries] of this.probeCaptured) {
            const now = [...shard];
            if (
              now.length !== entries.length ||
              now.some(([k, v], i) => !Object.is(k, entries[i]?.[0]) || !Object.is(v, entries[i]?.[1]))
            ) {
              mutated++;
            }
          }
          return mutated;
        }

        captures(): number {
          return this.probeCaptured.length;
        }
      },
  });
}
