import { InvalidArgumentError, MAX_SHARDS, ShardCountError, ShardedHashMap } from '@starshard/core';
import { describe, expect, it } from 'vitest';
import { rebalance } from '../src/index.js';

const Rebalanced = ShardedHashMap.with(rebalance);

function filled(shards: number, n: number, options = {}) {
  const map = new Rebalanced<string, number>(shards, { seed: 3, ...options });
  for (let i = 0; i < n; i++) map.insert(`key:${i}`, i);
  return map;
}

function contentOf(map: ShardedHashMap<string, number>) {
  return new Map(map.iter());
}

describe('rebalanceTo (stop-the-world)', () => {
  it('moves every entry to the new count and reports it', () => {
    const map = filled(8, 5_000);
    const before = contentOf(map);
    const report = map.rebalanceTo(32);
    expect(report).toMatchObject({ fromShards: 8, toShards: 32, movedEntries: 5_000 });
    expect(report.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(map.shardCount()).toBe(32);
    expect(map.rebalanceStatus().state).toBe('idle');
    expect(contentOf(map)).toEqual(before);
    for (const [k, v] of before) expect(map.get(k)).toBe(v);
    expect(map.len()).toBe(5_000);
    const stats = map.shardStats();
    expect(stats.total).toBe(32);
    expect(stats.initialized).toBe(32);
  });

  it('shrinks as well as it grows', () => {
    const map = filled(64, 3_000);
    const before = contentOf(map);
    expect(map.rebalanceTo(3)).toMatchObject({ fromShards: 64, toShards: 3, movedEntries: 3_000 });
    expect(contentOf(map)).toEqual(before);
    for (const [k, v] of before) expect(map.get(k)).toBe(v);
    expect(map.rebalanceTo(1)).toMatchObject({ toShards: 1, movedEntries: 3_000 });
    expect(map.initializedShards()).toBe(1);
    expect(contentOf(map)).toEqual(before);
  });

  it('moves nothing when the count is already n', () => {
    const map = filled(16, 1_000);
    const shardsBefore = map.initializedShards();
    expect(map.rebalanceTo(16)).toMatchObject({ fromShards: 16, toShards: 16, movedEntries: 0 });
    expect(map.initializedShards()).toBe(shardsBefore);
    expect(map.rebalanceStatus()).toEqual({
      state: 'idle',
      progress: 1,
      movedShards: 0,
      totalShards: 0,
      movedEntries: 0,
    });
  });

  it('finishes an online migration to the same count, and restarts one to another count', () => {
    const map = filled(8, 2_000);
    const before = contentOf(map);
    map.startRebalanceOnline(32);
    map.advanceRebalance(3);
    const moved = map.rebalanceStatus().movedEntries;
    expect(moved).toBeGreaterThan(0);
    const report = map.rebalanceTo(32);
    expect(report).toMatchObject({ fromShards: 8, toShards: 32, movedEntries: 2_000 - moved });
    expect(map.rebalanceStatus().state).toBe('idle');
    map.startRebalanceOnline(64);
    map.advanceRebalance(5);
    expect(map.rebalanceTo(16)).toMatchObject({ fromShards: 32, toShards: 16 });
    expect(map.shardCount()).toBe(16);
    expect(contentOf(map)).toEqual(before);
  });

  it('treats 0 as the default count of 64, like the constructors', () => {
    const map = filled(8, 100);
    expect(map.rebalanceTo(0).toShards).toBe(64);
    expect(map.shardCount()).toBe(64);
  });

  it('works on an empty map', () => {
    const map = new Rebalanced<string, number>(4);
    expect(map.rebalanceTo(128)).toMatchObject({ fromShards: 4, toShards: 128, movedEntries: 0 });
    expect(map.startRebalanceOnline(8)).toBe(true);
    expect(map.rebalanceStatus().state).toBe('idle');
    expect(map.shardCount()).toBe(8);
    expect(map.initializedShards()).toBe(0);
  });
});

describe('strict validation', () => {
  const bad: [string, unknown][] = [
    ['NaN', Number.NaN],
    ['-1', -1],
    ['1.5', 1.5],
    ['Infinity', Number.POSITIVE_INFINITY],
    ["'64'", '64'],
    ['null', null],
    ['above MAX_SHARDS', MAX_SHARDS + 1],
  ];

  it.each(bad)('rejects %s with ShardCountError and leaves the map unchanged', (_, n) => {
    const map = filled(8, 500);
    map.startRebalanceOnline(16);
    map.advanceRebalance(2);
    const before = contentOf(map);
    const status = map.rebalanceStatus();
    for (const call of [() => map.rebalanceTo(n as number), () => map.startRebalanceOnline(n as number)]) {
      let caught: unknown;
      try {
        call();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ShardCountError);
      expect(caught).toBeInstanceOf(RangeError);
      expect((caught as ShardCountError).code).toBe('ERR_STARSHARD_SHARD_COUNT');
      expect((caught as ShardCountError).maxAllowed).toBe(MAX_SHARDS);
      expect((caught as Error).message).toContain('unchanged');
    }
    expect(map.shardCount()).toBe(16);
    expect(map.rebalanceStatus()).toEqual(status);
    expect(contentOf(map)).toEqual(before);
  });

  it('rejects a background rebalance with a bad count without touching the map', async () => {
    const map = filled(8, 500);
    const promise = map.rebalanceTo(MAX_SHARDS * 2, { background: true });
    expect(map.rebalanceStatus().state).toBe('idle');
    await expect(promise).rejects.toBeInstanceOf(ShardCountError);
    expect(map.shardCount()).toBe(8);
  });

  it("caps at the map's maxShards, reporting it", () => {
    const map = filled(8, 100, { maxShards: 32 });
    expect(map.rebalanceTo(32).toShards).toBe(32);
    expect(() => map.rebalanceTo(33)).toThrow(
      expect.objectContaining({ name: 'ShardCountError', requested: 33, maxAllowed: 32 }),
    );
    const small = filled(8, 10, { maxShards: 10 });
    expect(() => small.rebalanceTo(0)).toThrow(expect.objectContaining({ requested: 64, maxAllowed: 10 }));
    expect(small.shardCount()).toBe(8);
  });

  it('rejects malformed options and maxShards with InvalidArgumentError', async () => {
    const map = filled(8, 100);
    expect(() => map.rebalanceTo(16, 'fast' as never)).toThrow(InvalidArgumentError);
    expect(() => map.rebalanceTo(16, { background: 'yes' } as never)).toThrow(InvalidArgumentError);
    expect(() => map.rebalanceTo(16, { batchSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => map.rebalanceTo(16, { maxPauseNs: -1 })).toThrow(InvalidArgumentError);
    expect(() => map.rebalanceTo(16, { signal: {} as AbortSignal })).toThrow(InvalidArgumentError);
    await expect(map.rebalanceTo(16, { background: true, batchSize: 1.5 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    for (const n of [-1, 1.5, Number.NaN, '1']) {
      expect(() => map.advanceRebalance(n as number)).toThrow(InvalidArgumentError);
    }
    expect(map.shardCount()).toBe(8);
    expect(map.len()).toBe(100);
  });

  it('throws the reason of an already aborted signal, unchanged', () => {
    const map = filled(8, 100);
    const reason = new Error('stop');
    expect(() => map.rebalanceTo(16, { signal: AbortSignal.abort(reason) })).toThrow(reason);
    expect(map.shardCount()).toBe(8);
  });
});

describe('online migration, step by step', () => {
  it('follows the seed example: start, then advance until idle', () => {
    const map = filled(8, 4_000);
    const before = contentOf(map);
    expect(map.startRebalanceOnline(32)).toBe(true);
    expect(map.shardCount()).toBe(32);
    expect(map.startRebalanceOnline(64)).toBe(false); // already migrating: no-op
    expect(map.shardCount()).toBe(32);
    let advanced = 0;
    let rounds = 0;
    while (map.rebalanceStatus().state === 'migrating') {
      const status = map.rebalanceStatus();
      expect(status.totalShards).toBe(8);
      expect(status.movedShards).toBe(advanced);
      expect(status.progress).toBeGreaterThanOrEqual(0);
      expect(status.progress).toBeLessThan(1);
      for (const [k, v] of before) expect(map.get(k)).toBe(v);
      expect(map.len()).toBe(4_000);
      advanced += map.advanceRebalance(2);
      rounds++;
    }
    expect(advanced).toBe(8);
    expect(rounds).toBe(4);
    expect(map.rebalanceStatus()).toEqual({
      state: 'idle',
      progress: 1,
      movedShards: 8,
      totalShards: 8,
      movedEntries: 4_000,
    });
    expect(map.advanceRebalance(5)).toBe(0);
    expect(contentOf(map)).toEqual(before);
    expect(map.startRebalanceOnline(32)).toBe(false); // the count is already 32
  });

  it('keeps every key reachable and counts exact while writes hit unmoved keys', () => {
    const map = filled(4, 2_000);
    const model = contentOf(map);
    map.startRebalanceOnline(16);
    map.advanceRebalance(1);
    for (let i = 0; i < 2_000; i += 3) {
      const k = `key:${i}`;
      expect(map.insert(k, -i)).toBe(model.get(k));
      model.set(k, -i);
    }
    for (let i = 1; i < 2_000; i += 7) {
      const k = `key:${i}`;
      expect(map.remove(k)).toBe(model.get(k));
      model.delete(k);
    }
    expect(map.len()).toBe(model.size);
    expect(contentOf(map)).toEqual(model);
    expect(map.retain((_, v) => v % 2 === 0)).toBe([...model.values()].filter((v) => v % 2 !== 0).length);
    for (const [k, v] of model) if (v % 2 !== 0) model.delete(k);
    expect(contentOf(map)).toEqual(model);
    map.advanceRebalance(Number.POSITIVE_INFINITY);
    expect(map.rebalanceStatus().state).toBe('idle');
    expect(contentOf(map)).toEqual(model);
    for (const [k, v] of model) expect(map.get(k)).toBe(v);
  });

  it('ends the migration on clear()', () => {
    const map = filled(8, 1_000);
    map.startRebalanceOnline(32);
    map.advanceRebalance(3);
    map.clear();
    expect(map.rebalanceStatus().state).toBe('idle');
    expect(map.len()).toBe(0);
    expect([...map.iter()]).toEqual([]);
    expect(map.get('key:1')).toBeUndefined();
    expect(map.shardCount()).toBe(32);
    expect(map.initializedShards()).toBe(0);
  });
});
