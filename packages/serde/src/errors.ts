import { StarshardError } from '@starshard/core';

/**
 * Loading failed: the input is not the wire format (`{ "shard_count": n, "entries": [[k, v], ...] }`,
 * or its NDJSON stream form), or a key or value does not decode with its prop schema. `path`
 * names the place (`''` for the whole input, `shard_count`, `entries`, `entries[3]`,
 * `entries[3][0]` for a key, `entries[3][1]` for a value). Nothing is returned when it is
 * thrown: no partial map. `cause` holds the underlying error (a `SyntaxError` from
 * `JSON.parse`, a schema's own error), where there is one.
 *
 * @example
 * try {
 *   deserializeMap('{"shard_count":64,"entries":[["a",1],["b"]]}');
 * } catch (e) {
 *   if (e instanceof DeserializeError) console.log(e.path); // 'entries[1]'
 * }
 */
export class DeserializeError extends StarshardError {
  /** Where the input is wrong: `''` (the whole input), `shard_count`, `entries`, `entries[i]`, `entries[i][0]` or `entries[i][1]`. */
  readonly path: string;
  /** The NDJSON stream's line number (from 1), for errors of `deserializeMapStream`; else `undefined`. */
  readonly line: number | undefined;

  constructor(path: string, problem: string, options?: ErrorOptions & { line?: number | undefined }) {
    const where = `${options?.line === undefined ? '' : `line ${options.line}, `}${path === '' ? 'the input' : path}`;
    super(
      'ERR_STARSHARD_DESERIALIZE',
      `${where}: ${problem}; nothing was loaded (the wire format is { "shard_count": n, "entries": [[key, value], ...] })`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.path = path;
    this.line = options?.line;
    problems.set(this, problem);
  }
}

/** Each DeserializeError's problem text, so that the stream reader can add a line number. */
const problems = new WeakMap<DeserializeError, string>();

/** `error` again, at NDJSON line `line` (the same path, problem and cause). */
export function atLine(error: DeserializeError, line: number): DeserializeError {
  if (error.line !== undefined) return error;
  return new DeserializeError(error.path, problems.get(error) ?? error.message, { cause: error.cause, line });
}

/**
 * Saving failed: a key or value the wire format cannot carry as it is (without a prop schema:
 * a key that is not a string, a finite number, a boolean or `null`; a value that is `undefined`,
 * a bigint, a symbol, a function or a non-finite number), or a prop schema that threw, skipped
 * the entry or produced `undefined`. `path` is the entry's place in the output
 * (`entries[i][0]` / `entries[i][1]`) and `key` the map key concerned. Nothing is produced
 * when it is thrown.
 *
 * @example
 * const m = new ShardedHashMap<bigint, number>();
 * m.insert(1n, 1);
 * try { serializeMap(m); } catch (e) { e instanceof SerializeError && e.key; } // 1n
 */
export class SerializeError extends StarshardError {
  /** Where in the output: `entries[i][0]` (the key) or `entries[i][1]` (the value). */
  readonly path: string;
  /** The map key of the entry that failed. */
  readonly key: unknown;

  constructor(path: string, key: unknown, problem: string, options?: ErrorOptions) {
    super('ERR_STARSHARD_SERIALIZE', `${path} (key ${describeValue(key)}): ${problem}`, options);
    this.path = path;
    this.key = key;
  }
}

/** A short rendering of a value for an error message. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    case 'bigint':
      return `${value}n (a bigint)`;
    case 'symbol':
      return `${value.toString()} (a symbol)`;
    case 'function':
      return 'a function';
    case 'undefined':
      return 'undefined';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of length ${value.length}`;
      if (value instanceof Date) return `a Date`;
      return `an object (${value.constructor?.name ?? 'no prototype'})`;
    default:
      return String(value);
  }
}

/** The message of an unknown thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : describeValue(error);
}
