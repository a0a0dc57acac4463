import { InvalidArgumentError } from './errors.js';
import type { Hasher } from './hashing.js';
import type { ShardedHashMap } from './shardedHashMap.js';
import type { ShardedHashMapOptions } from './types.js';

/**
 * Registry of the sync API each plugin adds, keyed by plugin name. Empty here; each plugin
 * package fills in its entry with `declare module '@starshard/core'`, and a composed class's type
 * includes exactly the entries of the plugins it lists.
 *
 * @example
 * declare module '@starshard/core' {
 *   interface PluginApis<K, V> { touchCount: { touches(key: K): number } }
 * }
 */
// biome-ignore lint/correctness/noUnusedVariables: K and V are used by augmentations.
export interface PluginApis<K, V> {}

/**
 * Registry of the async API each plugin adds to `AsyncShardedHashMap`, keyed by plugin name.
 *
 * @example
 * declare module '@starshard/core' {
 *   interface AsyncPluginApis<K, V> { touchCount: { touches(key: K): Promise<number> } }
 * }
 */
// biome-ignore lint/correctness/noUnusedVariables: K and V are used by augmentations.
export interface AsyncPluginApis<K, V> {}

/**
 * Registry of the constructor options each plugin adds, keyed by plugin name.
 *
 * @example
 * declare module '@starshard/core' {
 *   interface PluginOptions<K, V> { touchCount: { touchLimit?: number } }
 * }
 */
// biome-ignore lint/correctness/noUnusedVariables: K and V are used by augmentations.
export interface PluginOptions<K, V> {}

/**
 * Registry of the static methods each plugin adds to composed classes, keyed by plugin name.
 * `Kind` is the map kind (`'sync'`, `'async'`) and `P` the composition, so a static can return
 * the composed instance type: `MapKinds<P, K, V>[Kind]`.
 *
 * @example
 * declare module '@starshard/core' {
 *   interface PluginStatics<Kind extends MapKind, P extends readonly AnyPlugin[]> {
 *     touchCount: { withTouchLimit<K, V>(limit: number): MapKinds<P, K, V>[Kind] };
 *   }
 * }
 */
// biome-ignore lint/correctness/noUnusedVariables: Kind and P are used by augmentations.
export interface PluginStatics<Kind extends MapKind, P extends readonly AnyPlugin[]> {}

/**
 * The instance type of each map kind composed with the plugins `P`. `@starshard/async` adds
 * `async`. Plugin authors rarely need it, except to type statics.
 */
export interface MapKinds<P extends readonly AnyPlugin[], K, V> {
  sync: ShardedHashMap<K, V> & ApiOf<PluginApis<K, V>, P>;
}

/**
 * The base class each map kind hands to a plugin's facet. `@starshard/async` adds `async`.
 */
export interface FacetBases {
  sync: SyncMapConstructor;
}

/** What a sync facet receives: the class built so far (the core class or a composed one). */
export type SyncMapConstructor = new (...args: any[]) => ShardedHashMap<any, any>;

/**
 * The constructor options of each map kind (before plugin options). `@starshard/async` adds
 * `async`, so `new (AsyncShardedHashMap.with(p))(n, { reentrancy: 'trust' })` type-checks.
 */
export interface KindOptions<K> {
  sync: ShardedHashMapOptions<K>;
}

/** A kind of map a plugin can have a facet for: `'sync'`, and `'async'` once `@starshard/async` is installed. */
export type MapKind = keyof FacetBases;

/**
 * A plugin facet: a mixin that receives the class built so far and returns a subclass of it.
 * Fields are declared in the subclass (one hidden class per composition); overrides of the
 * core's seams (`shardForWrite`, `afterWrite`, ...) call `super`.
 */
export type Facet<Kind extends MapKind> = <B extends FacetBases[Kind]>(Base: B) => B;

/** What `definePlugin` takes. */
export type PluginDefinition<Name extends string> = {
  /** Unique plugin name; the key of its `PluginApis` / `AsyncPluginApis` / `PluginOptions` entries. */
  name: Name;
  /** Plugins (or their names) that must be in the same composition; they are applied first. */
  requires?: readonly (string | AnyPlugin)[];
} & { [Kind in MapKind]?: Facet<Kind> };

/**
 * A plugin: a name, what it requires, and one facet per map kind it supports. Made by
 * `definePlugin`; composed with `ShardedHashMap.with(...)`.
 */
export type Plugin<Name extends string = string> = {
  readonly name: Name;
  readonly requires: readonly string[];
} & { readonly [Kind in MapKind]?: Facet<Kind> };

/** Any plugin, whatever its name. */
export type AnyPlugin = Plugin<string>;

type NameOf<T> = T extends { readonly name: infer N extends string } ? N : never;
type EntryOf<Registry, Pl> = NameOf<Pl> extends keyof Registry ? Registry[NameOf<Pl>] : unknown;

/**
 * The intersection of the registry entries of the plugins in `P` (`unknown` when none has one).
 * Folded over the tuple so that a plugin without an entry adds `unknown` (the identity of `&`)
 * instead of absorbing the other plugins' entries in a union.
 */
export type ApiOf<Registry, P extends readonly AnyPlugin[]> = P extends readonly [
  infer Head,
  ...infer Tail extends readonly AnyPlugin[],
]
  ? EntryOf<Registry, Head> & ApiOf<Registry, Tail>
  : unknown;

/** The constructor options the plugins in `P` add. */
export type ComposedOptions<P extends readonly AnyPlugin[], K, V> = ApiOf<PluginOptions<K, V>, P>;

/**
 * The type of `Base.with(...P)`: a class whose instances have the map kind's API plus exactly
 * the APIs of the plugins in `P`, with every constructor of the base returning that type.
 */
export type ComposedClass<Kind extends MapKind, P extends readonly AnyPlugin[]> = ComposedConstructors<Kind, P> &
  ApiOf<PluginStatics<Kind, P>, P>;

/** The constructors and statics every composed class has. */
export interface ComposedConstructors<Kind extends MapKind, P extends readonly AnyPlugin[]> {
  new <K = any, V = any>(
    shards?: number,
    options?: KindOptions<K>[Kind] & ComposedOptions<P, K, V>,
  ): MapKinds<P, K, V>[Kind];
  /** The plugins of this composition, in the order they were applied. */
  readonly plugins: readonly P[number][];
  /** A class with these plugins and more (cached per set, whatever the order). */
  with<const Q extends readonly AnyPlugin[]>(...plugins: Q): ComposedClass<Kind, [...P, ...Q]>;
  /** Lenient: a count above `MAX_SHARDS` is clamped. */
  withShardsAndHasher<K = any, V = any>(shards: number, hasher?: Hasher<K>): MapKinds<P, K, V>[Kind];
  /** Lenient: a count above `max(max, 1)` is clamped. */
  withShardsAndHasherCapped<K = any, V = any>(
    shards: number,
    hasher: Hasher<K> | undefined,
    maxShards: number,
  ): MapKinds<P, K, V>[Kind];
  /** Strict: a count above `MAX_SHARDS` throws `ShardCountError`. */
  tryWithShardsAndHasher<K = any, V = any>(shards: number, hasher?: Hasher<K>): MapKinds<P, K, V>[Kind];
  /** Strict: a count above `max(max, 1)` throws `ShardCountError`. */
  tryWithShardsAndHasherCapped<K = any, V = any>(
    shards: number,
    hasher: Hasher<K> | undefined,
    maxShards: number,
  ): MapKinds<P, K, V>[Kind];
}

const pluginIds = new WeakMap<object, number>();
let nextPluginId = 1;

/** The identity number of a plugin made by `definePlugin`, or `undefined` for anything else. */
export function pluginId(plugin: unknown): number | undefined {
  return typeof plugin === 'object' && plugin !== null ? pluginIds.get(plugin) : undefined;
}

/**
 * Defines a plugin: a name, the plugins it requires, and a facet (a mixin) per map kind. The
 * name's literal type keys the plugin's entries in `PluginApis`, `AsyncPluginApis`,
 * `PluginOptions` and `PluginStatics`. Defining a plugin registers nothing: it takes effect only
 * in the classes made by `.with(plugin)`.
 *
 * @example
 * declare module '@starshard/core' {
 *   interface PluginApis<K, V> { touchCount: { touches(): number } }
 * }
 * export const touchCount = definePlugin({
 *   name: 'touchCount',
 *   sync: (Base) => class extends Base {
 *     writes = 0;
 *     protected override afterWrite(...args: Parameters<InstanceType<typeof Base>['afterWrite']>) {
 *       this.writes++;
 *       super.afterWrite(...args);
 *     }
 *     touches() { return this.writes; }
 *   },
 * });
 * const Counted = ShardedHashMap.with(touchCount);
 */
export function definePlugin<const Name extends string>(definition: PluginDefinition<Name>): Plugin<Name> {
  if (typeof definition !== 'object' || definition === null) {
    throw new InvalidArgumentError('definePlugin takes an object: { name, requires?, sync?, async? }');
  }
  const { name, requires = [] } = definition;
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError('a plugin needs a non-empty string name: definePlugin({ name: "myPlugin", ... })');
  }
  if (!Array.isArray(requires)) {
    throw new InvalidArgumentError(`plugin "${name}": requires must be an array of plugins or plugin names`);
  }
  const requireNames = requires.map((r) => {
    const required = typeof r === 'string' ? r : (r as AnyPlugin | undefined)?.name;
    if (typeof required !== 'string' || required.length === 0) {
      throw new InvalidArgumentError(`plugin "${name}": each entry of requires must be a plugin or a plugin name`);
    }
    return required;
  });
  const plugin: Record<string, unknown> = { name, requires: Object.freeze(requireNames) };
  for (const [key, facet] of Object.entries(definition)) {
    if (key === 'name' || key === 'requires' || facet === undefined) continue;
    if (typeof facet !== 'function') {
      throw new InvalidArgumentError(
        `plugin "${name}": facet "${key}" must be a function (Base) => class extends Base { ... }`,
      );
    }
    plugin[key] = facet;
  }
  Object.freeze(plugin);
  pluginIds.set(plugin, nextPluginId++);
  return plugin as Plugin<Name>;
}
