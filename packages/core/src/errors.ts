/** Stable error codes, one per error class. */
export type StarshardErrorCode =
  | 'ERR_STARSHARD_SHARD_COUNT'
  | 'ERR_STARSHARD_INVALID_ARGUMENT'
  | 'ERR_STARSHARD_PLUGIN_CONFLICT'
  | 'ERR_STARSHARD_PLUGIN_DEPENDENCY'
  | (string & {});

/**
 * The base class of every starshard error: an `Error` with a stable `code` (`ERR_STARSHARD_*`)
 * to branch on, and a message that says what was wrong and what to do instead.
 *
 * @example
 * try { ShardedHashMap.with(a, b) } catch (e) { if (e instanceof StarshardError) console.log(e.code) }
 */
export class StarshardError extends Error {
  /** The stable, documented code of this error. */
  readonly code: StarshardErrorCode;

  constructor(code: StarshardErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A shard count that is not a non-negative safe integer, or (strict constructors) is above the
 * cap. Extends `RangeError`, so existing `RangeError` handling keeps working.
 *
 * `requested` is the count after the `0 → 64` rule (a non-number is kept as given);
 * `maxAllowed` is the cap that was in force.
 *
 * @example
 * try { ShardedHashMap.tryWithShardsAndHasherCapped(0, undefined, 10) }
 * catch (e) { e instanceof ShardCountError && e.requested === 64 && e.maxAllowed === 10 }
 */
export class ShardCountError extends RangeError {
  /** Always `'ERR_STARSHARD_SHARD_COUNT'`. */
  readonly code = 'ERR_STARSHARD_SHARD_COUNT' as const;
  /** The shard count asked for, after `0 → 64`. */
  readonly requested: number;
  /** The largest count allowed where the request was made. */
  readonly maxAllowed: number;

  constructor(requested: unknown, maxAllowed: number, message?: string) {
    super(
      message ??
        `shard count ${describe(requested)} is above the maximum of ${maxAllowed}: ask for at most ${maxAllowed} shards, ` +
          'or use a lenient constructor (new ShardedHashMap(n) or withShardsAndHasher) to clamp it',
    );
    this.name = 'ShardCountError';
    this.requested = requested as number;
    this.maxAllowed = maxAllowed;
  }
}

/**
 * An argument of the wrong kind: a callback that is not a function, an entry that is not a
 * `[key, value]` pair, an option of the wrong type. Extends `TypeError`; the map is unchanged.
 *
 * @example
 * try { map.batchInsert([['a', 1], 'b' as never]) } catch (e) { e.code === 'ERR_STARSHARD_INVALID_ARGUMENT' }
 */
export class InvalidArgumentError extends TypeError {
  /** Always `'ERR_STARSHARD_INVALID_ARGUMENT'`. */
  readonly code = 'ERR_STARSHARD_INVALID_ARGUMENT' as const;

  constructor(message: string) {
    super(message);
    this.name = 'InvalidArgumentError';
  }
}

/**
 * Two plugins in one `.with(...)` define the same method (or static), or two different
 * plugins share a name. Thrown by `.with()`, never later.
 *
 * @example
 * try { ShardedHashMap.with(metricsA, metricsB) } catch (e) { e instanceof PluginConflictError && e.member }
 */
export class PluginConflictError extends StarshardError {
  /** The method or static both plugins define. */
  readonly member: string;
  /** The names of the two plugins in conflict. */
  readonly plugins: readonly [string, string];

  constructor(member: string, plugins: readonly [string, string], message?: string) {
    super(
      'ERR_STARSHARD_PLUGIN_CONFLICT',
      message ??
        `plugins "${plugins[0]}" and "${plugins[1]}" both define "${member}": compose only one of them, ` +
          'or rename the method in one plugin',
    );
    this.member = member;
    this.plugins = plugins;
  }
}

/**
 * A plugin in `.with(...)` requires a plugin that is not in the same composition, has no facet
 * for this kind of map (sync or async), or is not a plugin at all. Thrown by `.with()`.
 *
 * @example
 * try { ShardedHashMap.with(needsSnapshot) } catch (e) { e instanceof PluginDependencyError && e.missing }
 */
export class PluginDependencyError extends StarshardError {
  /** The plugin that cannot be composed. */
  readonly plugin: string;
  /** What is missing: a required plugin's name, or the facet kind (`'sync'` / `'async'`). */
  readonly missing: string;

  constructor(plugin: string, missing: string, message: string) {
    super('ERR_STARSHARD_PLUGIN_DEPENDENCY', message);
    this.plugin = plugin;
    this.missing = missing;
  }
}

/** Renders a bad value for an error message: strings quoted, everything else as `String()` would. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}
