import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '@starshard/core';
import { type ChainableCommander, type Cluster, Redis } from 'ioredis';
import { describe } from './describe.js';
import { CrossSlotTransactionError, isConnectionError, RedisUnavailableError } from './errors.js';
import { keySlot, slotTag } from './keySlot.js';
import { luaScripts, type ScriptedClient } from './luaScripts.js';
import { jsonCodec, type RedisCodec, stringCodec } from './redisCodec.js';
import { transactionSteps } from './transactionSteps.js';
import type {
  CasResult,
  RedisCallbackContext,
  RedisCallOptions,
  RedisShardedHashMapOptions,
  TransactionResult,
} from './types.js';

/**
 * What a `RedisShardedHashMap` sends its commands through: an ioredis `Redis` (one server) or
 * `Cluster`.
 *
 * @example
 * const client: RedisClient = new Redis({ autoResendUnfulfilledCommands: false });
 */
export type RedisClient = Redis | Cluster;

type Scripted = RedisClient & ScriptedClient;
type Reply = [error: Error | null, result: unknown];

/** A pending single-flight load of this process, shared by its local callers. */
interface Flight<V> {
  readonly promise: Promise<V>;
  readonly controller: AbortController;
  callers: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const NO_SIGNAL: RedisCallbackContext = Object.freeze({ signal: undefined });
// Replies that mean "this command did not run here": safe to send again (a lost connection is not one).
const REDIRECT = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN)\b|same slots allocation group/;
let resendWarned = false;

/** Escapes a string for a Redis glob pattern (SCAN MATCH). */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function checkFunction(f: unknown, method: string, name: string): void {
  if (typeof f !== 'function')
    throw new InvalidArgumentError(`${method}: ${name} must be a function, got ${describe(f)}; the map is unchanged`);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

/** Resolves `value`, or rejects with the signal's reason as soon as it aborts. */
function raceAbort<T>(value: T | PromiseLike<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return Promise.resolve(value);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(value).then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * The starshard async map on Redis or Redis Cluster: the same method names and promises as
 * `AsyncShardedHashMap`, with the entries in Redis, shared by every process that opens a map
 * with the same prefix. One Redis key per entry (`prefix + '=' + encodedKey`), so a cluster
 * shards the map by hash slot; plain reads and writes are one command each (`GET`, `SET ... GET`,
 * `GETDEL`); batches are pipelined, one pipeline per cluster node; compare-and-swap,
 * transactions and single-flight loads run as Lua scripts, atomically on the server.
 *
 * Where Redis cannot keep the in-process meaning (the README lists each case): `len`, `iter`,
 * `retain` and `clear` walk the keys with `SCAN` (O(n), not a point-in-time snapshot);
 * `computeIfPresent` is optimistic (its callback may run again if the value changed meanwhile);
 * values are copies decoded by the value codec, so `compareAndSwap` and `expect` compare encoded
 * values, not identities.
 *
 * @example
 * import Redis from 'ioredis';
 * const redis = new Redis({ autoResendUnfulfilledCommands: false });
 * const users = new RedisShardedHashMap<string, { name: string }>(redis, { prefix: 'users:' });
 * await users.insert('u1', { name: 'Ada' });
 * const user = await users.computeIfAbsent('u2', async (id) => ({ name: await lookUp(id) })); // once, cluster-wide
 */
export class RedisShardedHashMap<K = string, V = unknown> {
  /** The ioredis client (standalone or cluster) the map sends its commands through. */
  readonly redis: RedisClient;
  /** The prefix of every Redis key of the map. */
  readonly prefix: string;
  readonly #client: Scripted;
  readonly #keyCodec: RedisCodec<K>;
  readonly #valueCodec: RedisCodec<V>;
  readonly #entryPrefix: string;
  readonly #leasePrefix: string;
  readonly #match: string;
  readonly #leaseTtlMs: number;
  readonly #pollMs: number;
  readonly #scanCount: number;
  readonly #cluster: boolean;
  readonly #flights = new Map<string, Flight<V>>();
  readonly #owned: boolean;

  /**
   * Opens the map named by `options.prefix` on `redis`: a `Redis` or `Cluster` client of
   * ioredis, or a `redis://` URL, for which the map makes its own client (closed by `close()`).
   * Registers this package's Lua commands on the client (`starshardCas`, ...). Create your
   * client with `autoResendUnfulfilledCommands: false`: a command resent after a reconnect may
   * apply twice (a warning says so once otherwise).
   *
   * @example
   * const map = new RedisShardedHashMap<string, number>('redis://127.0.0.1:6379', { valueCodec: numberCodec });
   * const onCluster = new RedisShardedHashMap(new Cluster(nodes, { redisOptions: { autoResendUnfulfilledCommands: false } }));
   */
  constructor(client: RedisClient | string, options: RedisShardedHashMapOptions<K, V> = {}) {
    const owned = typeof client === 'string';
    if (typeof client === 'string' && !/^rediss?:\/\//.test(client))
      throw new InvalidArgumentError(`new RedisShardedHashMap: ${describe(client)} is not a redis:// or rediss:// URL`);
    const redis = typeof client === 'string' ? new Redis(client, { autoResendUnfulfilledCommands: false }) : client;
    // The map's own client: connection errors reach the callers as RedisUnavailableError
    // rejections, so the client's 'error' events need no (noisy, default) logging.
    if (owned) redis.on('error', () => {});
    if (redis === null || typeof redis !== 'object' || typeof (redis as Redis).defineCommand !== 'function')
      throw new InvalidArgumentError(
        `new RedisShardedHashMap: redis must be an ioredis Redis or Cluster client, got ${describe(redis)}`,
      );
    const prefix = options.prefix ?? 'starshard:';
    if (typeof prefix !== 'string') throw new InvalidArgumentError(`prefix must be a string, got ${describe(prefix)}`);
    const positive = (name: string, value: number | undefined, fallback: number) => {
      if (value === undefined) return fallback;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
        throw new InvalidArgumentError(
          `${name} must be a positive integer (milliseconds or a count), got ${describe(value)}`,
        );
      return value;
    };
    for (const [name, codec] of [
      ['keyCodec', options.keyCodec],
      ['valueCodec', options.valueCodec],
    ] as const)
      if (codec !== undefined && (typeof codec?.encode !== 'function' || typeof codec?.decode !== 'function'))
        throw new InvalidArgumentError(
          `${name} must be a RedisCodec ({ name, encode, decode }), got ${describe(codec)}`,
        );
    this.redis = redis;
    this.#owned = owned;
    this.prefix = prefix;
    this.#client = redis as Scripted;
    this.#keyCodec = options.keyCodec ?? (stringCodec as unknown as RedisCodec<K>);
    this.#valueCodec = options.valueCodec ?? jsonCodec;
    this.#entryPrefix = `${prefix}=`;
    this.#leasePrefix = `${prefix}~`;
    this.#match = `${globEscape(this.#entryPrefix)}*`;
    this.#leaseTtlMs = positive('leaseTtlMs', options.leaseTtlMs, 10_000);
    this.#pollMs = positive('pollIntervalMs', options.pollIntervalMs, 50);
    this.#scanCount = positive('scanCount', options.scanCount, 1000);
    this.#cluster = (redis as { isCluster?: boolean }).isCluster === true;
    for (const [name, definition] of Object.entries(luaScripts))
      if (typeof (redis as unknown as Record<string, unknown>)[name] !== 'function')
        redis.defineCommand(name, definition as { numberOfKeys?: number; lua: string });
    const resend = this.#cluster
      ? (redis as Cluster).options.redisOptions?.autoResendUnfulfilledCommands
      : (redis as Redis).options.autoResendUnfulfilledCommands;
    if (resend !== false && !resendWarned && typeof process !== 'undefined') {
      resendWarned = true;
      process.emitWarning(
        'the ioredis client resends unanswered commands after a reconnect (autoResendUnfulfilledCommands), so a ' +
          'write whose reply was lost may apply twice and a compare-and-swap may report a failure it caused: create ' +
          'the client with autoResendUnfulfilledCommands: false (Cluster: redisOptions)',
        { code: 'STARSHARD_REDIS_RESEND' },
      );
    }
  }

  /**
   * Closes the client the map made from a URL (`QUIT`); a client you passed in stays yours to
   * close, and this does nothing to it.
   *
   * @example
   * const map = new RedisShardedHashMap(process.env.REDIS_URL as string);
   * try { await map.insert('a', 1) } finally { await map.close() }
   */
  async close(): Promise<void> {
    if (!this.#owned) return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  get [Symbol.toStringTag](): string {
    return 'RedisShardedHashMap';
  }

  // ----------------------------------------------------------------- keys, values, errors

  /**
   * The Redis key of `key`'s entry (`prefix + '=' + encoded key`; throws `RedisCodecError` for a
   * key its codec cannot encode).
   *
   * @example
   * map.entryKey('a'); // 'starshard:=a'
   */
  entryKey(key: K): string {
    return this.#entryPrefix + this.#keyCodec.encode(key);
  }

  #leaseKey(entryKey: string): string {
    const encoded = entryKey.slice(this.#entryPrefix.length);
    // In a cluster the lease must live in its entry's slot (one script touches both).
    return this.#cluster
      ? `${this.#leasePrefix}{${slotTag(keySlot(entryKey))}}${encoded}`
      : this.#leasePrefix + encoded;
  }

  #encode(value: V): string {
    return this.#valueCodec.encode(value);
  }

  #decode(raw: string | null | undefined): V | undefined {
    return raw === null || raw === undefined ? undefined : this.#valueCodec.decode(raw);
  }

  #keyOf(entryKey: string): K {
    return this.#keyCodec.decode(entryKey.slice(this.#entryPrefix.length));
  }

  /** Maps a failed Redis call to the error the caller sees. */
  #fail(method: string, error: unknown): never {
    if (isConnectionError(error)) throw new RedisUnavailableError(method, error);
    throw error;
  }

  // ----------------------------------------------------------------- single-key operations

  /**
   * Sets `key` to `value`; resolves to the previous value (`SET key value GET`: one command).
   *
   * @example
   * await map.insert('a', 1); // undefined
   * await map.insert('a', 2); // 1
   */
  async insert(key: K, value: V): Promise<V | undefined> {
    const entry = this.entryKey(key);
    const raw = this.#encode(value);
    let previous: string | null;
    try {
      previous = await this.redis.set(entry, raw, 'GET');
    } catch (error) {
      this.#fail('insert', error);
    }
    return this.#decode(previous);
  }

  /**
   * The value of `key` (a fresh copy decoded from Redis), or `undefined`.
   *
   * @example
   * const v = await map.get('a');
   */
  async get(key: K): Promise<V | undefined> {
    const entry = this.entryKey(key);
    let raw: string | null;
    try {
      raw = await this.redis.get(entry);
    } catch (error) {
      this.#fail('get', error);
    }
    return this.#decode(raw);
  }

  /**
   * Whether `key` has a value (`EXISTS`).
   *
   * @example
   * if (await map.contains('a')) console.log('cached');
   */
  async contains(key: K): Promise<boolean> {
    const entry = this.entryKey(key);
    try {
      return (await this.redis.exists(entry)) === 1;
    } catch (error) {
      this.#fail('contains', error);
    }
  }

  /**
   * Removes `key`; resolves to the removed value (`GETDEL`).
   *
   * @example
   * const gone = await map.remove('a');
   */
  async remove(key: K): Promise<V | undefined> {
    const entry = this.entryKey(key);
    let raw: string | null;
    try {
      raw = await this.redis.getdel(entry);
    } catch (error) {
      this.#fail('remove', error);
    }
    return this.#decode(raw);
  }

  /**
   * `insert` returning the map, as `Map.prototype.set` does.
   *
   * @example
   * await map.set('a', 1);
   */
  async set(key: K, value: V): Promise<this> {
    await this.insert(key, value);
    return this;
  }

  /**
   * `contains`, named as on `Map`.
   *
   * @example
   * await map.has('a');
   */
  has(key: K): Promise<boolean> {
    return this.contains(key);
  }

  /**
   * Removes `key`; resolves to whether it was there (`DEL`), as `Map.prototype.delete` does.
   *
   * @example
   * await map.delete('a'); // true or false
   */
  async delete(key: K): Promise<boolean> {
    const entry = this.entryKey(key);
    try {
      return (await this.redis.del(entry)) === 1;
    } catch (error) {
      this.#fail('delete', error);
    }
  }

  // ----------------------------------------------------------------- batches

  /**
   * Splits key indices into units that one command can serve: keys of one hash slot (cluster) or
   * consecutive keys (standalone), at most `max` per unit, in input order within a slot.
   */
  #units(keys: readonly string[], max: number): number[][] {
    const units: number[][] = [];
    if (!this.#cluster || max === 1) {
      for (let i = 0; i < keys.length; i += max)
        units.push(Array.from({ length: Math.min(max, keys.length - i) }, (_, j) => i + j));
      return units;
    }
    const bySlot = new Map<number, number[]>();
    for (let i = 0; i < keys.length; i++) {
      const slot = keySlot(keys[i] as string);
      let unit = bySlot.get(slot);
      if (unit === undefined || unit.length === max) {
        unit = [];
        bySlot.set(slot, unit);
        units.push(unit);
      }
      unit.push(i);
    }
    return units;
  }

  /**
   * Runs one command per unit (see `#units`), pipelined: one pipeline for a standalone server,
   * one per node in a cluster (units grouped by the node serving their slot, in order within a
   * node). A command refused because its slot moved did not run: it is sent again alone, and
   * follows the redirection. Resolves to each unit's reply.
   */
  async #pipelined(
    method: string,
    keys: readonly string[],
    units: readonly (readonly number[])[],
    add: (pipeline: ChainableCommander, unit: readonly number[]) => void,
  ): Promise<unknown[]> {
    const results: unknown[] = new Array(units.length);
    if (units.length === 0) return results;
    const groups = new Map<string, number[]>();
    const slots = this.#cluster ? (this.redis as Cluster).slots : undefined;
    for (let u = 0; u < units.length; u++) {
      let node = '';
      if (slots !== undefined) {
        const slot = keySlot(keys[(units[u] as number[])[0] as number] as string);
        node = slots[slot]?.[0] ?? `slot:${slot}`;
      }
      const group = groups.get(node);
      if (group === undefined) groups.set(node, [u]);
      else group.push(u);
    }
    const retry: number[] = [];
    try {
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const pipeline = this.redis.pipeline();
          for (const u of group) add(pipeline, units[u] as number[]);
          let replies: Reply[];
          try {
            replies = ((await pipeline.exec()) ?? []) as Reply[];
          } catch (error) {
            if (!REDIRECT.test((error as Error).message)) throw error;
            retry.push(...group);
            return;
          }
          for (const [n, u] of group.entries()) {
            const [error, result] = replies[n] ?? [new Error('Connection is closed (no reply)'), null];
            if (error === null) results[u] = result;
            else if (REDIRECT.test(error.message)) retry.push(u);
            else throw error;
          }
        }),
      );
      retry.sort((a, b) => a - b);
      for (const u of retry) results[u] = await this.#alone(units[u] as number[], add);
    } catch (error) {
      this.#fail(method, error);
    }
    return results;
  }

  /**
   * Sends one unit's command alone: a one-command pipeline routes by its key's slot and follows
   * MOVED / ASK itself; TRYAGAIN (a slot half-migrated) and CLUSTERDOWN are waited out, a few
   * times, since the command did not run.
   */
  async #alone(
    unit: readonly number[],
    add: (pipeline: ChainableCommander, unit: readonly number[]) => void,
  ): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const single = this.redis.pipeline();
      add(single, unit);
      const [[error, result] = [null, null]] = ((await single.exec()) ?? []) as Reply[];
      if (error === null) return result;
      if (!REDIRECT.test(error.message) || attempt === 30) throw error;
      await sleep(Math.min(10 * attempt, 200));
    }
  }

  /** `MGET` of `keys`, one command per unit of up to 1000 keys of one slot; raw values in input order. */
  async #mget(method: string, keys: readonly string[]): Promise<(string | null)[]> {
    const units = this.#units(keys, 1000);
    const replies = await this.#pipelined(method, keys, units, (p, unit) => p.mget(unit.map((i) => keys[i] as string)));
    const raws: (string | null)[] = new Array(keys.length);
    for (const [u, unit] of units.entries()) {
      const values = replies[u] as (string | null)[];
      for (const [j, i] of unit.entries()) raws[i] = values[j] ?? null;
    }
    return raws;
  }

  /** One multi-key command per unit of up to 1000 keys of one slot (`DEL`, `UNLINK`); the sum of the replies. */
  async #multiKey(method: string, command: 'del' | 'unlink', keys: readonly string[]): Promise<number> {
    const units = this.#units(keys, 1000);
    const replies = await this.#pipelined(method, keys, units, (p, unit) =>
      p[command](unit.map((i) => keys[i] as string)),
    );
    let sum = 0;
    for (const n of replies) sum += n as number;
    return sum;
  }

  /**
   * Inserts every `[key, value]` pair, pipelined; resolves to the number of keys that were new.
   * Every pair is encoded before anything is sent (a bad pair changes nothing). Not atomic as a
   * whole: each `SET` is.
   *
   * @example
   * await map.batchInsert([['a', 1], ['b', 2]]); // 2
   */
  async batchInsert(entries: Iterable<readonly [K, V]>): Promise<number> {
    if (entries === null || typeof (entries as Iterable<unknown>)?.[Symbol.iterator] !== 'function')
      throw new InvalidArgumentError(
        `batchInsert: entries must be an iterable of [key, value] pairs, got ${describe(entries)}`,
      );
    const keys: string[] = [];
    const values: string[] = [];
    for (const pair of entries) {
      if (!Array.isArray(pair) || pair.length < 2)
        throw new InvalidArgumentError(
          `batchInsert: entry ${keys.length} is ${describe(pair)}, not a [key, value] pair; nothing was written`,
        );
      keys.push(this.entryKey(pair[0] as K));
      values.push(this.#encode(pair[1] as V));
    }
    const units = this.#units(keys, 500);
    const replies = await this.#pipelined('batchInsert', keys, units, (p, unit) => {
      const first = unit[0] as number;
      if (unit.length === 1) p.set(keys[first] as string, values[first] as string, 'GET');
      else
        (p as unknown as ScriptedClient).starshardSetMany(
          unit.length,
          ...unit.map((i) => keys[i] as string),
          ...unit.map((i) => values[i] as string),
        );
    });
    let fresh = 0;
    for (const [u, unit] of units.entries()) {
      const reply = replies[u];
      fresh += unit.length === 1 ? (reply === null ? 1 : 0) : (reply as number);
    }
    return fresh;
  }

  /**
   * The values of `keys`, in input order (`undefined` where absent), pipelined.
   *
   * @example
   * const [a, b] = await map.batchGet(['a', 'b']);
   */
  async batchGet(keys: readonly K[]): Promise<(V | undefined)[]> {
    if (!Array.isArray(keys)) throw new InvalidArgumentError(`batchGet: keys must be an array, got ${describe(keys)}`);
    const entries = keys.map((k) => this.entryKey(k));
    const raws = await this.#mget('batchGet', entries);
    return raws.map((raw) => this.#decode(raw as string | null));
  }

  /**
   * Removes every key, pipelined; resolves to how many were present.
   *
   * @example
   * await map.batchRemove(['a', 'b']); // 2
   */
  async batchRemove(keys: Iterable<K>): Promise<number> {
    if (keys === null || typeof (keys as Iterable<unknown>)?.[Symbol.iterator] !== 'function')
      throw new InvalidArgumentError(`batchRemove: keys must be an iterable, got ${describe(keys)}`);
    const entries = Array.from(keys, (k) => this.entryKey(k));
    return this.#multiKey('batchRemove', 'del', entries);
  }

  // ----------------------------------------------------------------- whole-map operations (SCAN)

  /** The nodes to scan: the server, or every cluster master. */
  #scanNodes(): Redis[] {
    return this.#cluster ? (this.redis as Cluster).nodes('master') : [this.redis as Redis];
  }

  /** Every entry key, by `SCAN` on every node (deduplicated: a key moving between nodes is seen once). */
  async #scanKeys(method: string): Promise<string[]> {
    const seen = new Set<string>();
    try {
      await Promise.all(
        this.#scanNodes().map(async (node) => {
          let cursor = '0';
          do {
            const [next, keys] = await node.scan(cursor, 'MATCH', this.#match, 'COUNT', this.#scanCount);
            cursor = next;
            for (const key of keys) seen.add(key);
          } while (cursor !== '0');
        }),
      );
    } catch (error) {
      this.#fail(method, error);
    }
    return [...seen];
  }

  /** Every entry as `[redisKey, raw value]`: SCAN, then the values pipelined (keys gone meanwhile are left out). */
  async #scanEntries(method: string): Promise<[string, string][]> {
    const keys = await this.#scanKeys(method);
    const raws = await this.#mget(method, keys);
    const out: [string, string][] = [];
    for (let i = 0; i < keys.length; i++) if (raws[i] !== null) out.push([keys[i] as string, raws[i] as string]);
    return out;
  }

  /**
   * The number of entries: a `SCAN` over every node, O(n), not O(1) as in process (see the
   * README). Keys written or removed while it runs may or may not be counted.
   *
   * @example
   * const n = await map.len();
   */
  async len(): Promise<number> {
    return (await this.#scanKeys('len')).length;
  }

  /**
   * Whether the map has no entry (stops at the first key `SCAN` finds).
   *
   * @example
   * if (await map.isEmpty()) console.log('nothing cached yet');
   */
  async isEmpty(): Promise<boolean> {
    try {
      for (const node of this.#scanNodes()) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', this.#match, 'COUNT', this.#scanCount);
          if (keys.length > 0) return false;
          cursor = next;
        } while (cursor !== '0');
      }
    } catch (error) {
      this.#fail('isEmpty', error);
    }
    return true;
  }

  /**
   * Removes every entry: `SCAN` then `UNLINK`, pipelined. Not atomic: an entry written while it
   * runs may survive; a pending `computeIfAbsent` load stores its value afterwards.
   *
   * @example
   * await map.clear();
   */
  async clear(): Promise<void> {
    const keys = await this.#scanKeys('clear');
    await this.#multiKey('clear', 'unlink', keys);
  }

  /**
   * Every `[key, value]` pair, as an array (keys via `SCAN`, values pipelined). Not a
   * point-in-time snapshot: an entry written or removed while it runs may or may not be in it,
   * and each entry is a value it held at some instant of the call. Order unspecified.
   *
   * @example
   * for (const [k, v] of await map.iter()) console.log(k, v);
   */
  async iter(): Promise<[K, V][]> {
    const entries = await this.#scanEntries('iter');
    return entries.map(([key, raw]) => [this.#keyOf(key), this.#valueCodec.decode(raw)]);
  }

  /**
   * `iter()`, named as on `Map`.
   *
   * @example
   * const all = await map.entries();
   */
  entries(): Promise<[K, V][]> {
    return this.iter();
  }

  /**
   * Every key (via `SCAN`; see `iter` for what "every" means while writes run).
   *
   * @example
   * const ks = await map.keys();
   */
  async keys(): Promise<K[]> {
    return (await this.#scanKeys('keys')).map((key) => this.#keyOf(key));
  }

  /**
   * Every value (see `iter`).
   *
   * @example
   * const total = (await map.values()).reduce((a, b) => a + b, 0);
   */
  async values(): Promise<V[]> {
    return (await this.#scanEntries('values')).map(([, raw]) => this.#valueCodec.decode(raw));
  }

  /**
   * Calls `f(value, key, map)` for every entry of `iter()`, awaiting what it returns.
   *
   * @example
   * await map.forEach((v, k) => console.log(k, v));
   */
  async forEach(f: (value: V, key: K, map: this) => unknown): Promise<void> {
    checkFunction(f, 'forEach', 'f');
    for (const [k, v] of await this.iter()) await f(v, k, this);
  }

  /**
   * `for await (const [k, v] of map)`: the entries of one `iter()`.
   *
   * @example
   * for await (const [k, v] of map) console.log(k, v);
   */
  async *[Symbol.asyncIterator](): AsyncIterableIterator<[K, V]> {
    yield* await this.iter();
  }

  /**
   * Keeps the entries for which `pred(key, value)` is true and removes the others; resolves to
   * how many were removed. `pred` sees each entry found by `SCAN`; all of them are judged first
   * (a throwing or rejecting `pred` removes nothing), then each doomed entry is removed only if
   * it still holds the value `pred` saw (compare-and-delete), so a concurrent update survives.
   *
   * @example
   * await map.retain((k, v) => v.expires > Date.now());
   */
  async retain(
    pred: (key: K, value: V, context: RedisCallbackContext) => boolean | PromiseLike<boolean>,
    options?: RedisCallOptions,
  ): Promise<number> {
    checkFunction(pred, 'retain', 'pred');
    const signal = options?.signal;
    throwIfAborted(signal);
    const context = signal === undefined ? NO_SIGNAL : { signal };
    const doomed: [string, string][] = [];
    for (const [key, raw] of await this.#scanEntries('retain')) {
      let keep = pred(this.#keyOf(key), this.#valueCodec.decode(raw), context);
      if (typeof (keep as PromiseLike<boolean>)?.then === 'function') keep = await raceAbort(keep, signal);
      throwIfAborted(signal);
      if (!keep) doomed.push([key, raw]);
    }
    const doomedKeys = doomed.map(([key]) => key);
    const results = await this.#pipelined('retain', doomedKeys, this.#units(doomedKeys, 1), (p, [i]) => {
      const [key, raw] = doomed[i as number] as [string, string];
      (p as unknown as ScriptedClient).starshardCas(key, 'v', raw, 'del', '');
    });
    let removed = 0;
    for (const reply of results) if ((reply as [number])[0] === 1) removed++;
    return removed;
  }

  // ----------------------------------------------------------------- callbacks, CAS

  /**
   * If `key` is present, stores `f(value, key)` (or removes the key when `f` returns
   * `undefined`) and resolves to what `f` returned; absent: `f` is not called. Optimistic: the
   * result is stored only if the value is still the one `f` saw (compare-and-set on the server);
   * if another writer changed it meanwhile, `f` runs again on the new value. A throwing or
   * rejecting `f` leaves the entry unchanged.
   *
   * @example
   * await map.computeIfPresent('hits', (n) => n + 1);
   */
  async computeIfPresent(
    key: K,
    f: (value: V, key: K, context: RedisCallbackContext) => V | undefined | PromiseLike<V | undefined>,
    options?: RedisCallOptions,
  ): Promise<V | undefined> {
    checkFunction(f, 'computeIfPresent', 'f');
    const entry = this.entryKey(key);
    const signal = options?.signal;
    const context = signal === undefined ? NO_SIGNAL : { signal };
    for (;;) {
      throwIfAborted(signal);
      let raw: string | null;
      try {
        raw = await this.redis.get(entry);
      } catch (error) {
        this.#fail('computeIfPresent', error);
      }
      if (raw === null) return undefined;
      let next = f(this.#valueCodec.decode(raw), key, context);
      if (typeof (next as PromiseLike<V>)?.then === 'function') next = await raceAbort(next, signal);
      throwIfAborted(signal);
      const encoded = next === undefined ? '' : this.#encode(next as V);
      let reply: [number, string?];
      try {
        reply = await this.#client.starshardCas(entry, 'v', raw, next === undefined ? 'del' : 'set', encoded);
      } catch (error) {
        this.#fail('computeIfPresent', error);
      }
      if (reply[0] === 1) return next as V | undefined;
    }
  }

  /**
   * The value of `key`, or the value `f(key)` resolves to, stored once across every process
   * (distributed single flight): the first caller takes a lease (`SET NX PX`), runs `f` and
   * stores its value through a fenced script; every other caller, here or in another process,
   * waits for that value. Local callers share one load; remote ones poll the lease. A holder
   * that dies is replaced once its lease expires (`leaseTtlMs`), and its late write, if it ever
   * comes, is refused. A rejecting `f` stores nothing: its local callers reject with its error,
   * and a remote waiter then takes the lease and runs its own `f`.
   *
   * @example
   * const page = await cache.computeIfAbsent(url, async (u) => (await fetch(u)).text());
   */
  async computeIfAbsent(
    key: K,
    f: (key: K, context: RedisCallbackContext) => V | PromiseLike<V>,
    options?: RedisCallOptions,
  ): Promise<V> {
    checkFunction(f, 'computeIfAbsent', 'f');
    const entry = this.entryKey(key);
    const signal = options?.signal;
    throwIfAborted(signal);
    let raw: string | null;
    try {
      raw = await this.redis.get(entry);
    } catch (error) {
      this.#fail('computeIfAbsent', error);
    }
    if (raw !== null) return this.#valueCodec.decode(raw);
    let flight = this.#flights.get(entry);
    if (flight === undefined) {
      const controller = new AbortController();
      const promise = this.#load(key, entry, f, controller.signal).finally(() => {
        if (this.#flights.get(entry) === created) this.#flights.delete(entry);
      });
      const created: Flight<V> = { promise, controller, callers: 0 };
      flight = created;
      this.#flights.set(entry, flight);
    }
    const shared = flight;
    shared.callers++;
    if (signal === undefined) {
      // A caller without a signal keeps the load alive for good.
      shared.callers = Number.POSITIVE_INFINITY;
      return shared.promise;
    }
    try {
      return await raceAbort(shared.promise, signal);
    } finally {
      if (signal.aborted && --shared.callers === 0) shared.controller.abort(signal.reason);
    }
  }

  /** One process's part of a single-flight load (see `computeIfAbsent`). */
  async #load(
    key: K,
    entry: string,
    f: (key: K, context: RedisCallbackContext) => V | PromiseLike<V>,
    signal: AbortSignal,
  ): Promise<V> {
    const lease = this.#leaseKey(entry);
    const token = randomBytes(16).toString('hex');
    const ttl = this.#leaseTtlMs;
    let pause = 2;
    for (;;) {
      throwIfAborted(signal);
      let reply: [number, (string | number)?];
      try {
        reply = await this.#client.starshardAcquire(entry, lease, token, ttl);
      } catch (error) {
        this.#fail('computeIfAbsent', error);
      }
      if (reply[0] === 1) return this.#valueCodec.decode(reply[1] as string);
      if (reply[0] === 3) {
        const left = Number(reply[1]);
        await sleep(Math.max(1, Math.min(pause, left > 0 ? left : pause)));
        pause = Math.min(pause * 2, this.#pollMs);
        continue;
      }
      // The lease is ours: run the factory, renewing the lease while it runs.
      const renew = setInterval(
        () => void this.#client.starshardLease(lease, token, 'renew', ttl).catch(() => {}),
        Math.max(1, Math.floor(ttl / 3)),
      );
      renew.unref?.();
      let encoded: string;
      let value: V;
      try {
        value = await raceAbort(f(key, { signal }), signal);
        encoded = this.#encode(value);
      } catch (error) {
        clearInterval(renew);
        await this.#client.starshardLease(lease, token, 'release', ttl).catch(() => {});
        throw error;
      }
      clearInterval(renew);
      let committed: [number, string?];
      try {
        committed = await this.#client.starshardCommit(entry, lease, token, encoded);
      } catch (error) {
        this.#fail('computeIfAbsent', error);
      }
      if (committed[0] === 2) return value;
      if (committed[0] === 1) return this.#valueCodec.decode(committed[1] as string);
      // Our lease expired and another process holds one now: wait for its value.
      pause = 2;
    }
  }

  /**
   * Sets `key` to `next` if its value equals `expected` (an `expected` of `undefined` means
   * "absent"), atomically on the server. Without `eq` the comparison is of encoded values
   * (value equality, not identity: values read from Redis are copies); with `eq`, the current
   * value is read, compared here, and swapped only if it has not changed since.
   *
   * @example
   * let n = (await map.get('n')) ?? 0;
   * while (!(await map.compareAndSwap('n', n, n + 1)).success) n = (await map.get('n')) ?? 0;
   */
  async compareAndSwap(
    key: K,
    expected: V | undefined,
    next: V,
    eq?: (current: V | undefined, expected: V | undefined) => boolean,
  ): Promise<CasResult<V>> {
    if (eq !== undefined) checkFunction(eq, 'compareAndSwap', 'eq');
    const entry = this.entryKey(key);
    const encodedNext = this.#encode(next);
    const encodedExpected = eq === undefined && expected !== undefined ? this.#encode(expected) : '';
    try {
      for (;;) {
        let mode: 'v' | 'a' = expected === undefined ? 'a' : 'v';
        let compared = encodedExpected;
        let current: V | undefined;
        if (eq !== undefined) {
          const raw = await this.redis.get(entry);
          current = this.#decode(raw);
          if (!eq(current, expected)) return { success: false, value: current };
          mode = raw === null ? 'a' : 'v';
          compared = raw ?? '';
        }
        const reply = await this.#client.starshardCas(entry, mode, compared, 'set', encodedNext);
        if (reply[0] === 1) return { success: true, value: next };
        if (eq === undefined) return { success: false, value: this.#decode(reply[1]) };
      }
    } catch (error) {
      this.#fail('compareAndSwap', error);
    }
  }

  /**
   * Removes `key` if its value equals `expected` (encoded values compared on the server);
   * resolves to whether it did.
   *
   * @example
   * await map.compareAndRemove('lock', myToken);
   */
  async compareAndRemove(key: K, expected: V): Promise<boolean> {
    const entry = this.entryKey(key);
    const encoded = this.#encode(expected);
    try {
      return (await this.#client.starshardCas(entry, 'v', encoded, 'del', ''))[0] === 1;
    } catch (error) {
      this.#fail('compareAndRemove', error);
    }
  }

  // ----------------------------------------------------------------- transactions

  /**
   * Runs a transaction (`@starshard/advanced`'s `Transaction`, or any object whose `steps()`
   * returns its steps) all or nothing. The steps are evaluated here against one atomic read of
   * the keys (`MGET`), in order, with read-your-writes; the writes are then applied by one Lua
   * script only if none of the keys changed since that read, else everything is read and
   * evaluated again. So `update` functions may run more than once; `expect` without `eq`
   * compares encoded values. In a cluster every key must share one hash slot (hash tags):
   * otherwise `CrossSlotTransactionError` is thrown before anything is sent.
   *
   * @example
   * const r = await map.executeTransaction(new Transaction<string, number>().expect('{acct}:a', 10).write('{acct}:a', 0).write('{acct}:b', 10));
   */
  async executeTransaction(txn: unknown): Promise<TransactionResult<K, V>> {
    const steps = transactionSteps<K, V>(txn, 'executeTransaction');
    const keys: string[] = [];
    const slotOf = new Map<string, number>();
    const indexOf = new Map<string, number>();
    const stepIndex: number[] = [];
    const encodedValues: (string | undefined)[] = [];
    try {
      for (const step of steps) {
        const entry = this.entryKey(step.key);
        let at = indexOf.get(entry);
        if (at === undefined) {
          at = keys.length;
          indexOf.set(entry, at);
          keys.push(entry);
        }
        stepIndex.push(at);
        const encodesValue = step.kind === 'write' || (step.kind === 'expect' && step.fn === Object.is);
        encodedValues.push(encodesValue ? this.#encode(step.value as V) : undefined);
      }
    } catch (error) {
      return { status: 'aborted', error };
    }
    if (this.#cluster && keys.length > 1) {
      for (const key of keys) slotOf.set(key, keySlot(key));
      if (new Set(slotOf.values()).size > 1) throw new CrossSlotTransactionError(slotOf);
    }
    if (keys.length === 0) return { status: 'committed', reads: new Map() };
    for (;;) {
      let read: (string | null)[];
      try {
        read = await this.redis.mget(keys);
      } catch (error) {
        this.#fail('executeTransaction', error);
      }
      // The transaction's own view: raw strings, decoded lazily.
      const raws: (string | null)[] = [...read];
      const reads = new Map<K, V | undefined>();
      let aborted: { error: unknown } | undefined;
      let conflict: K | undefined;
      let conflicted = false;
      for (const [s, step] of steps.entries()) {
        const at = stepIndex[s] as number;
        const current = raws[at] ?? null;
        try {
          switch (step.kind) {
            case 'read':
              reads.set(step.key, this.#decode(current));
              break;
            case 'write':
              raws[at] = encodedValues[s] as string;
              break;
            case 'remove':
              raws[at] = null;
              break;
            case 'expectAbsent':
              if (current !== null) conflicted = true;
              break;
            case 'expect':
              if (current === null) conflicted = true;
              else if (step.fn === Object.is || step.fn === undefined) conflicted = current !== encodedValues[s];
              else
                conflicted = !(step.fn as (a: V, b: V) => boolean)(this.#valueCodec.decode(current), step.value as V);
              break;
            case 'update': {
              let next = (step.fn as (v: V | undefined, k: K) => unknown)(this.#decode(current), step.key);
              if (typeof (next as PromiseLike<V>)?.then === 'function') next = await next;
              raws[at] = next === undefined ? null : this.#encode(next as V);
              break;
            }
            default:
              throw new InvalidArgumentError(
                `executeTransaction: unknown step kind ${describe((step as { kind: unknown }).kind)}`,
              );
          }
        } catch (error) {
          aborted = { error };
          break;
        }
        if (conflicted) {
          conflict = step.key;
          break;
        }
      }
      if (aborted !== undefined) return { status: 'aborted', error: aborted.error };
      if (conflicted) return { status: 'conflict', key: conflict as K };
      if (await this.#commitIfUnchanged(keys, read, raws)) return { status: 'committed', reads };
    }
  }

  /**
   * Applies `after` (raw values, `null` = absent) to `keys` in one script, only if every key
   * still holds what `read` saw; resolves to whether it did (false: read again and retry).
   */
  async #commitIfUnchanged(
    keys: readonly string[],
    read: readonly (string | null)[],
    after: readonly (string | null)[],
  ): Promise<boolean> {
    const args: string[] = [];
    for (const raw of read) args.push(raw === null ? '' : `=${raw}`);
    let writes = 0;
    for (let i = 0; i < keys.length; i++) {
      const next = after[i] ?? null;
      if ((read[i] ?? null) === next) args.push('-');
      else {
        writes++;
        args.push(next === null ? 'd' : `=${next}`);
      }
    }
    if (writes === 0) return true;
    try {
      return (await this.#client.starshardTxn(keys.length, ...keys, ...args)) === 1;
    } catch (error) {
      this.#fail('executeTransaction', error);
    }
  }
}
