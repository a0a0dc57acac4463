import { createSimpleSchema, deserialize, type PropSchema, serialize } from 'serializr';
import { RedisCodecError } from './errors.js';

/**
 * How keys or values of a `RedisShardedHashMap` become Redis strings and back. `encode` must be
 * deterministic (the same value, the same string): compare-and-swap, `expect` and value-equality
 * all compare encoded strings on the server. Both directions throw `RedisCodecError` on a
 * mismatch. Strings are stored as UTF-8.
 *
 * @example
 * const dateCodec: RedisCodec<Date> = {
 *   name: 'date',
 *   encode: (d) => d.toISOString(),
 *   decode: (s) => new Date(s),
 * };
 */
export interface RedisCodec<T> {
  /** Shown in error messages. */
  readonly name: string;
  /** The value as the string Redis stores. */
  encode(value: T): string;
  /** The value back from the string Redis holds. */
  decode(raw: string): T;
}

/** Renders a value for an error message, briefly. */
function shown(value: unknown): string {
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object')
    return Array.isArray(value) ? 'an array' : `an object (${value.constructor?.name ?? 'Object'})`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Strings as themselves: the fastest codec, and the one whose Redis keys read as written (hash
 * tags such as `{user:42}` in a key keep their meaning). The default key codec.
 *
 * @example
 * new RedisShardedHashMap<string, string>(redis, { keyCodec: stringCodec, valueCodec: stringCodec });
 */
export const stringCodec: RedisCodec<string> = {
  name: 'string',
  encode(value) {
    if (typeof value !== 'string') throw new RedisCodecError('string', 'encode', shown(value));
    return value;
  },
  decode: (raw) => raw,
};

/**
 * Numbers as their shortest round-trip decimal (`String(n)`), `NaN` and the infinities kept; `-0`
 * is stored as `0`, as `Map` keys treat them (SameValueZero). Redis's `INCR` family can read
 * integers stored this way.
 *
 * @example
 * new RedisShardedHashMap<number, number>(redis, { keyCodec: numberCodec, valueCodec: numberCodec });
 */
export const numberCodec: RedisCodec<number> = {
  name: 'number',
  encode(value) {
    if (typeof value !== 'number') throw new RedisCodecError('number', 'encode', shown(value));
    return String(value);
  },
  decode(raw) {
    const value = Number(raw);
    if (raw === '' || (Number.isNaN(value) && raw !== 'NaN')) throw new RedisCodecError('number', 'decode', shown(raw));
    return value;
  },
};

/**
 * Any JSON-serializable value through `JSON.stringify` / `JSON.parse` (the default value codec).
 * Objects come back as new plain objects, so class instances lose their prototype: use
 * `serializrCodec` for those. `undefined`, functions and symbols cannot be stored. Typed with
 * `any`, as `JSON.parse` is, so it serves a map of any value type.
 *
 * @example
 * const users = new RedisShardedHashMap<string, { name: string }>(redis, { valueCodec: jsonCodec });
 */
export const jsonCodec: RedisCodec<any> = {
  name: 'json',
  encode(value) {
    let raw: string | undefined;
    try {
      raw = JSON.stringify(value);
    } catch (error) {
      throw new RedisCodecError('json', 'encode', `${shown(value)} (${(error as Error).message})`, { cause: error });
    }
    if (raw === undefined) throw new RedisCodecError('json', 'encode', shown(value));
    return raw;
  },
  decode(raw) {
    try {
      return JSON.parse(raw);
    } catch (error) {
      throw new RedisCodecError('json', 'decode', shown(raw), { cause: error });
    }
  },
};

/**
 * A codec from a serializr prop schema (`primitive()`, `date()`, `object(schema)`,
 * `list(object(schema))`, `custom(...)`): the same schemas `@starshard/serde` takes, so class
 * instances round-trip with their prototype. Stored as the schema's JSON.
 *
 * @example
 * class User { @serializable name = ''; @serializable(date()) since = new Date(0) }
 * const users = new RedisShardedHashMap<string, User>(redis, { valueCodec: serializrCodec(object(User)) });
 */
export function serializrCodec<T>(propSchema: PropSchema, name = 'serializr'): RedisCodec<T> {
  // A one-field model schema lets serializr run any prop schema on a bare value.
  const holder = createSimpleSchema<{ v: T }>({ v: propSchema } as never);
  return {
    name,
    encode(value) {
      if (value === undefined) throw new RedisCodecError(name, 'encode', 'undefined');
      try {
        return JSON.stringify((serialize(holder, { v: value }) as { v: unknown }).v);
      } catch (error) {
        throw new RedisCodecError(name, 'encode', `${shown(value)} (${(error as Error).message})`, { cause: error });
      }
    },
    decode(raw) {
      let failure: unknown;
      let result: { v: T } | undefined;
      try {
        result = deserialize(holder, { v: JSON.parse(raw) }, (error) => {
          if (error) failure = error;
        });
      } catch (error) {
        failure = error;
      }
      if (failure !== undefined || result === undefined)
        throw new RedisCodecError(
          name,
          'decode',
          `${shown(raw)} (${(failure as Error | undefined)?.message ?? 'no value'})`,
          {
            cause: failure,
          },
        );
      return result.v;
    },
  };
}
