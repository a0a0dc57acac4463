// The registry's type-level contract: a plugin's API, options and statics appear exactly on the
// classes composed with it, generic in the map's K and V. Checked by `vitest --typecheck`.
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AnyPlugin,
  definePlugin,
  type MapKind,
  type MapKinds,
  type Plugin,
  ShardedHashMap,
  type WriteOp,
} from '../src/index.js';

/** The API of the `tdCounter` test plugin. */
interface CounterApi<K> {
  countOf(key: K): number;
  counted(): K[];
}

// Augmentations are global to the program: the names carry a `td` prefix so they cannot meet
// other test files' plugins.
declare module '../src/index.js' {
  interface PluginApis<K, V> {
    tdCounter: CounterApi<K>;
    tdTagger: { tag(key: K, tag: string): V | undefined; tags(): string[] };
  }
  interface PluginOptions<K, V> {
    tdCounter: { counterLimit?: number };
    tdTagger: { defaultTag?: string; fallback?: V };
  }
  interface PluginStatics<Kind extends MapKind, P extends readonly AnyPlugin[]> {
    tdCounter: { withCounter<K = any, V = any>(limit: number): MapKinds<P, K, V>[Kind] };
  }
}

const tdCounter = definePlugin({
  name: 'tdCounter',
  sync: (Base) =>
    class extends Base {
      static withCounter(limit: number) {
        return new this(undefined, { counterLimit: limit });
      }
      countOf(): number {
        return 0;
      }
      counted(): unknown[] {
        return [];
      }
    },
});
const tdTagger = definePlugin({
  name: 'tdTagger',
  sync: (Base) =>
    class extends Base {
      tag(key: unknown): unknown {
        return this.get(key);
      }
      tags(): string[] {
        return [];
      }
    },
});
/** A plugin with no registry entry at all (it only observes writes, say). */
const tdBare = definePlugin({
  name: 'tdBare',
  sync: (Base) =>
    class extends Base {
      protected override afterWrite(op: WriteOp, key: unknown, value: unknown, previous: unknown): void {
        super.afterWrite(op, key, value, previous);
      }
    },
});

describe('definePlugin', () => {
  it('keeps the literal name, the key of the registries', () => {
    expectTypeOf(tdCounter).toEqualTypeOf<Plugin<'tdCounter'>>();
    expectTypeOf(tdCounter.name).toEqualTypeOf<'tdCounter'>();
  });

  it('types a facet as a mixin that can override protected seam methods and must extend Base', () => {
    definePlugin({
      name: 'tdSeam',
      sync: (Base) =>
        class extends Base {
          protected override shardForWrite(key: unknown, index: number): Map<unknown, unknown> {
            return super.shardForWrite(key, index);
          }
        },
    });
    // @ts-expect-error a facet returns a subclass of the class it is given
    definePlugin({ name: 'tdUnrelated', sync: () => class {} });
    // @ts-expect-error a plugin needs a name
    definePlugin({ sync: (Base) => Base });
  });

  it('.with() takes only plugins', () => {
    // @ts-expect-error a plugin name is not a plugin
    ShardedHashMap.with('tdCounter');
  });
});

describe('a plugin API exists only on compositions that list the plugin', () => {
  it('not on the plain map, nor on a composition of another plugin', () => {
    const plain = new ShardedHashMap<string, number>();
    // @ts-expect-error tdCounter is not composed
    plain.countOf('a');
    const tagged = new (ShardedHashMap.with(tdTagger))<string, number>();
    tagged.tag('a', 'x');
    // @ts-expect-error only tdTagger is composed
    tagged.countOf('a');
    const bare = new (ShardedHashMap.with(tdBare))<string, number>();
    expectTypeOf(bare).toEqualTypeOf<ShardedHashMap<string, number>>();
  });

  it('on a composition of two plugins: both APIs and the core', () => {
    const m = new (ShardedHashMap.with(tdCounter, tdTagger))<string, number>();
    expectTypeOf(m.countOf).toEqualTypeOf<(key: string) => number>();
    expectTypeOf(m.tag).toEqualTypeOf<(key: string, tag: string) => number | undefined>();
    expectTypeOf(m.get).toEqualTypeOf<(key: string) => number | undefined>();
    expectTypeOf(m).toExtend<ShardedHashMap<string, number>>();
    expectTypeOf(m).toExtend<Map<string, number>>();
    expectTypeOf(m).toExtend<CounterApi<string>>();
    // `set` returns `this`: the plugin APIs survive chaining.
    expectTypeOf(m.set('a', 1).countOf).toEqualTypeOf<(key: string) => number>();
  });

  it('generic in K and V, bound at new', () => {
    const C = ShardedHashMap.with(tdCounter, tdTagger);
    const m = new C<{ id: number }, Date>();
    expectTypeOf(m.countOf).parameter(0).toEqualTypeOf<{ id: number }>();
    expectTypeOf(m.counted()).toEqualTypeOf<{ id: number }[]>();
    expectTypeOf(m.tag).returns.toEqualTypeOf<Date | undefined>();
    // @ts-expect-error keys are { id: number }
    m.countOf('a');
    const loose = new C();
    expectTypeOf(loose.countOf).parameter(0).toBeAny();
  });

  it('.with chaining accumulates the plugins and their types, in any order', () => {
    const C = ShardedHashMap.with(tdCounter).with(tdTagger);
    const m = new C<string, number>();
    expectTypeOf(m.countOf).toEqualTypeOf<(key: string) => number>();
    expectTypeOf(m.tag).returns.toEqualTypeOf<number | undefined>();
    const D = ShardedHashMap.with(tdTagger).with(tdCounter).with();
    expectTypeOf(new D<string, number>().countOf).toEqualTypeOf<(key: string) => number>();
  });
});

describe('plugin options', () => {
  // What TS does: the constructor takes `ShardedHashMapOptions<K> & ComposedOptions<P, K, V>`,
  // where `ComposedOptions` is the intersection of the listed plugins' `PluginOptions` entries
  // (`unknown`, the identity of `&`, when none has one). An object literal gets TS's excess
  // property check against the whole intersection, so a plugin's option is accepted exactly where
  // the plugin is composed. A non-literal value only gets the weak-type check (at least one
  // property in common), so an extra property rides along next to a core option: TS's structural
  // typing, not a hole of the registry.
  it('are accepted only where the plugin is composed', () => {
    const C = ShardedHashMap.with(tdCounter);
    new C<string, number>(8, { counterLimit: 3, strict: true });
    // @ts-expect-error excess property: tdCounter is not composed
    new ShardedHashMap<string, number>(8, { counterLimit: 3 });
    // @ts-expect-error excess property: only tdTagger is composed
    new (ShardedHashMap.with(tdTagger))<string, number>(8, { counterLimit: 3 });
    // @ts-expect-error counterLimit is a number
    new C<string, number>(8, { counterLimit: '3' });
    // @ts-expect-error unknown to every composed plugin
    new C<string, number>(8, { counterLimt: 3 });
  });

  it('merge across plugins, with the map V', () => {
    const C = ShardedHashMap.with(tdCounter, tdTagger);
    new C<string, number>(8, { counterLimit: 3, defaultTag: 'x', fallback: 0, seed: 1 });
    // @ts-expect-error fallback is a V (number)
    new C<string, number>(8, { fallback: 'zero' });
    new C<string, number>(8, { hasher: (key) => key.length });
    // @ts-expect-error the hasher takes a K (string)
    new C<string, number>(8, { hasher: (key: number) => key });
  });

  it('outside literals: the weak-type check still rejects plugin-only options', () => {
    const onlyPlugin = { counterLimit: 3 };
    // @ts-expect-error no property in common with ShardedHashMapOptions
    new ShardedHashMap<string, number>(8, onlyPlugin);
    const mixed = { counterLimit: 3, seed: 1 };
    new ShardedHashMap<string, number>(8, mixed); // accepted: structural typing, documented above
  });
});

describe('statics', () => {
  it('from PluginStatics exist only when composed, returning the composed instance type', () => {
    // @ts-expect-error not composed
    ShardedHashMap.withCounter(3);
    // @ts-expect-error only tdTagger is composed
    ShardedHashMap.with(tdTagger).withCounter(3);
    const C = ShardedHashMap.with(tdCounter);
    const m = C.withCounter<string, number>(3);
    expectTypeOf(m.countOf).toEqualTypeOf<(key: string) => number>();
    expectTypeOf(m.get).returns.toEqualTypeOf<number | undefined>();
    expectTypeOf(C.with().withCounter<string, number>(3).countOf).toEqualTypeOf<(key: string) => number>();
  });

  it('Rust-named factories on a composed class return the composed type', () => {
    const C = ShardedHashMap.with(tdCounter, tdTagger);
    const hasher = (key: string) => key.length;
    const made = [
      C.withShardsAndHasher<string, number>(8, hasher),
      C.withShardsAndHasherCapped<string, number>(8, hasher, 4),
      C.tryWithShardsAndHasher<string, number>(8),
      C.tryWithShardsAndHasherCapped<string, number>(8, undefined, 16),
    ] as const;
    for (const m of made) {
      expectTypeOf(m.countOf).toEqualTypeOf<(key: string) => number>();
      expectTypeOf(m.tag).returns.toEqualTypeOf<number | undefined>();
    }
    const plain = ShardedHashMap.withShardsAndHasher<string, number>(8, hasher);
    expectTypeOf(plain).toEqualTypeOf<ShardedHashMap<string, number>>();
    // @ts-expect-error the core class's factories return the plain map
    plain.countOf('a');
  });
});

// Typing hole: `ApiOf` maps each listed plugin to its registry entry or `unknown`, then turns the
// union into an intersection; but `Entry | unknown` is `unknown`, so one plugin without an entry
// (an observer like tdBare, or a plugin with an API but no options or statics) erases the APIs,
// options and statics of every other plugin in the composition.
describe('a plugin without registry entries next to one with entries', () => {
  it('keeps the other plugin API, options and statics', () => {
    const C = ShardedHashMap.with(tdCounter, tdBare);
    const m = new C<string, number>(8, { counterLimit: 3 });
    expectTypeOf(m.countOf).toEqualTypeOf<(key: string) => number>();
    expectTypeOf(C.withCounter<string, number>(3).countOf).toEqualTypeOf<(key: string) => number>();
  });

  it('keeps a static next to a plugin that has an API entry but no statics entry', () => {
    const m = ShardedHashMap.with(tdCounter, tdTagger).withCounter<string, number>(3);
    expectTypeOf(m.countOf).toEqualTypeOf<(key: string) => number>();
    expectTypeOf(m.tag).returns.toEqualTypeOf<number | undefined>();
    const chained = ShardedHashMap.with(tdTagger).with(tdCounter).withCounter<string, number>(3);
    expectTypeOf(chained.tag).returns.toEqualTypeOf<number | undefined>();
  });
});

// Typing hole: `plugins` is typed as the argument tuple (`P`, and `[...P, ...Q]`, a mutable tuple,
// after chaining), but at run time it is a frozen array in application order (required plugins
// first, then by name): `ShardedHashMap.with(tdTagger, tdCounter).plugins[0]` is typed as tdTagger
// and is tdCounter.
describe('plugins', () => {
  it('is typed as a read-only list of the composed plugins, without claiming an order', () => {
    type Both = readonly (Plugin<'tdCounter'> | Plugin<'tdTagger'>)[];
    expectTypeOf(ShardedHashMap.with(tdTagger, tdCounter).plugins).toEqualTypeOf<Both>();
    expectTypeOf(ShardedHashMap.with(tdTagger).with(tdCounter).plugins).toEqualTypeOf<Both>();
  });
});
