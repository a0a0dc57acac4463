import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { defaultHasher, definePlugin, ShardedHashMap } from '../src/index.js';

// A composed class whose plugin adds a field: its instances have one more own key, all alike.
const withExtra = definePlugin({
  name: 'hiddenClassExtra',
  sync: (B) =>
    class extends B {
      extra = 0;
    },
});
const Composed = ShardedHashMap.with(withExtra);

/** Every way to build a map, with every kind of argument. */
function makers(M: typeof ShardedHashMap): [string, () => ShardedHashMap<unknown, unknown>][] {
  return [
    ['new ()', () => new M()],
    ['new (0)', () => new M(0)],
    ['new (1)', () => new M(1)],
    ['new (7, { hasher })', () => new M(7, { hasher: () => 0 })],
    ['new (1024, { seed, strict })', () => new M(1024, { seed: 5, strict: true })],
    ['new (64, { maxShards: 8 }) (clamped)', () => new M(64, { maxShards: 8 })],
    ['withShardsAndHasher(64, defaultHasher)', () => M.withShardsAndHasher(64, defaultHasher)],
    ['withShardsAndHasherCapped(100, undefined, 0)', () => M.withShardsAndHasherCapped(100, undefined, 0)],
    ['tryWithShardsAndHasher(3)', () => M.tryWithShardsAndHasher(3)],
    ['tryWithShardsAndHasherCapped(8, h, 8)', () => M.tryWithShardsAndHasherCapped(8, defaultHasher, 8)],
  ];
}

/** Uses a map hard: string keys alike at the end (the switch to full hashing), numbers, removals, clear. */
function exercise(map: ShardedHashMap<unknown, unknown>) {
  for (let i = 0; i < 2_000; i++) map.insert(`/app/node_modules/p${i}/package.json`, i);
  for (let i = 0; i < 500; i++) map.set(i, { i });
  map.retain((k) => typeof k === 'number');
  map.computeIfAbsent('x', () => 1);
  map.clear();
}

let emitWarning: MockInstance<typeof process.emitWarning>;
beforeAll(() => {
  emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterAll(() => emitWarning.mockRestore());

describe.each([
  { name: 'ShardedHashMap', M: ShardedHashMap, extra: [] as string[] },
  { name: 'a composed class with a field', M: Composed as unknown as typeof ShardedHashMap, extra: ['extra'] },
])('instances of $name', ({ M, extra }) => {
  const reference = Reflect.ownKeys(new ShardedHashMap());

  it.each(makers(M))('made by %s have the same own keys, in the same order', (_, make) => {
    const map = make();
    expect(map).toBeInstanceOf(M);
    expect(Reflect.ownKeys(map)).toEqual([...reference, ...extra]);
  });

  it('keep their own keys, in order, through heavy use', () => {
    for (const [, make] of makers(M)) {
      const map = make();
      const before = Reflect.ownKeys(map);
      exercise(map);
      expect(Reflect.ownKeys(map)).toEqual(before);
    }
  });
});

describe('V8 itself', () => {
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

  it.runIf(existsSync(dist))('gives every instance of one class the same hidden class (%HaveSameMap)', () => {
    // Runs the built package in a child process with natives syntax: the test task builds first.
    const script = `
      import { ShardedHashMap, definePlugin, defaultHasher } from ${JSON.stringify(dist)};
      process.emitWarning = () => {};
      const same = (list) => list.every((m) => %HaveSameMap(list[0], m));
      const build = (M) => [
        new M(), new M(0), new M(1), new M(7, { hasher: () => 0 }), new M(1024, { seed: 5, strict: true }),
        new M(64, { maxShards: 8 }), M.withShardsAndHasher(64, defaultHasher),
        M.withShardsAndHasherCapped(100, undefined, 0), M.tryWithShardsAndHasher(3),
        M.tryWithShardsAndHasherCapped(8, defaultHasher, 8),
      ];
      const used = new ShardedHashMap(64);
      for (let i = 0; i < 5000; i++) used.insert('/app/node_modules/p' + i + '/package.json', i);
      used.clear();
      const Composed = ShardedHashMap.with(definePlugin({ name: 'x', sync: (B) => class extends B { extra = 0 } }));
      console.log(JSON.stringify({
        core: same([...build(ShardedHashMap), used]),
        composed: same(build(Composed)),
      }));
    `;
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ core: true, composed: true });
  });
});
