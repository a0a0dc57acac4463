// Test plugins that replace a map's shard layout the ways a real plugin may: reinstalling the
// same shard maps in a new table, and an online migration to another shard count (a stand-in for
// `@starshard/rebalance`, following its rule: it mutates a shard map only through `shardForWrite`
// or its own copy-on-write). Both are named to apply before `snapshot`, as `rebalance` does.
import { definePlugin, type Hasher, ShardedHashMap } from '@starshard/core';

declare module '@starshard/core' {
  interface PluginApis<K, V> {
    tdReinstall: { reinstall(): void };
    tdGrow: { growTo(shards: number): void };
    tdMigrate: {
      startMigration(shards: number): void;
      advanceMigration(): boolean;
      migrating(): boolean;
    };
  }
}

/** `reinstall()`: installs a new shard table holding the very same shard maps. */
export const tdReinstall = definePlugin({
  name: 'tdReinstall',
  sync: (Base) =>
    class extends Base {
      reinstall(): void {
        this.setLayout(this.count, this.shards.slice());
      }
    },
});

type Shard = Map<unknown, unknown>;

/**
 * `growTo(n)`: a stop-the-world layout change to `n` shards that keeps a shard map whole, at its
 * new index, when all its keys route to one shard of the new layout (else splits it into new
 * maps). A captured map can so reappear at another index. Needs a custom hasher.
 */
export const tdGrow = definePlugin({
  name: 'tdGrow',
  sync: (Base) =>
    class extends Base {
      growTo(shards: number): void {
        const probe = new ShardedHashMap<unknown, unknown>(shards, { hasher: this.hasher as Hasher<unknown> });
        const route = (key: unknown) => (probe as unknown as { indexFor(k: unknown): number }).indexFor(key);
        const table: (Shard | undefined)[] = new Array(shards).fill(undefined);
        for (const map of this.scanShards()) {
          const targets = new Set([...map.keys()].map(route));
          if (targets.size === 1) {
            table[[...targets][0] as number] = map;
            continue;
          }
          for (const [k, v] of map) {
            const i = route(k);
            let into = table[i];
            if (into === undefined) {
              into = new Map();
              table[i] = into;
            }
            into.set(k, v);
          }
        }
        this.setLayout(shards, table);
      }
    },
});

/**
 * `startMigration(n)`: a new, empty layout of `n` shards; the old shard maps stay readable.
 * Writes move their key in from the old maps first; `advanceMigration()` moves one old map's
 * keys. The old maps are never mutated: the first removal from one works on a private copy.
 * (Keys are found in the old maps by search: fine for a test.) Use a custom hasher: the core's
 * string re-layout does not know about the old maps.
 */
export const tdMigrate = definePlugin({
  name: 'tdMigrate',
  sync: (Base) =>
    class extends Base {
      old: Shard[] | undefined;
      owned: Set<Shard>;
      constructor(...args: any[]) {
        super(...args);
        this.old = undefined;
        this.owned = new Set();
      }
      migrating(): boolean {
        return this.old !== undefined;
      }
      startMigration(shards: number): void {
        if (this.old !== undefined) return;
        const old = this.scanShards();
        this.setLayout(shards, new Array(shards).fill(undefined));
        this.old = old;
        this.owned = new Set();
      }
      advanceMigration(): boolean {
        const old = this.old;
        if (old === undefined) return false;
        const next = old.find((m) => m.size > 0);
        if (next !== undefined) for (const key of [...next.keys()]) this.shardForWrite(key, this.indexFor(key));
        if (old.every((m) => m.size === 0)) this.old = undefined;
        return true;
      }
      override clear(): void {
        this.old = undefined;
        super.clear();
      }
      protected override shardForRead(key: unknown, index: number): Shard | undefined {
        const current = super.shardForRead(key, index);
        if (this.old === undefined || (current !== undefined && current.has(key))) return current;
        return this.old.find((m) => m.has(key)) ?? current;
      }
      protected override shardForWrite(key: unknown, index: number): Shard {
        const target = super.shardForWrite(key, index);
        const old = this.old;
        if (old !== undefined) {
          const at = old.findIndex((m) => m.has(key));
          if (at >= 0) {
            let from = old[at] as Shard;
            if (!this.owned.has(from)) {
              from = new Map(from); // its own copy-on-write: the old map may be in a snapshot
              old[at] = from;
              this.owned.add(from);
            }
            target.set(key, from.get(key));
            from.delete(key);
          }
        }
        return target;
      }
      protected override scanShards(): Shard[] {
        const current = super.scanShards();
        return this.old === undefined ? current : [...current, ...this.old.filter((m) => m.size > 0)];
      }
    },
});
