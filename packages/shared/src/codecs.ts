import { deserialize, serialize } from 'node:v8';
import { describe } from './describe.js';
import { CodecError } from './errors.js';

/**
 * How keys or values of one type become bytes in shared memory and back. Keys are compared and
 * hashed by their encoded bytes, so a key codec must be deterministic (equal keys give equal
 * bytes) in every thread. Implement it for your own types; the built-ins are in {@link codecs}.
 *
 * `encode` throws (any error) or returns a non-`Uint8Array` to reject a value: the map turns that
 * into a `CodecError` and changes nothing. `decode` receives a private copy of the bytes, safe to
 * keep. A custom codec is a set of functions, which cannot cross threads: pass the same codec to
 * `SharedShardedHashMap.attach(handle, { key, value })` in every thread (its `name` is checked).
 *
 * @example
 * const dateCodec: Codec<Date> = {
 *   name: 'date',
 *   encode: (d) => codecs.number.encode(d.getTime()),
 *   decode: (bytes) => new Date(codecs.number.decode(bytes)),
 * };
 */
export interface Codec<T> {
  /** A stable name, recorded in the handle and checked on `attach`. */
  readonly name: string;
  /** The bytes of `value`; throw to reject it. */
  encode(value: T): Uint8Array;
  /** The value of `bytes` (a private copy). */
  decode(bytes: Uint8Array): T;
}

/** @internal A growable scratch buffer that encoders write into (one per map and role). */
export class ByteWriter {
  buf: Uint8Array;
  /** The same bytes as 32-bit words (hashing reads four bytes at a time). */
  words: Int32Array;
  len: number;
  constructor(size = 64) {
    this.buf = new Uint8Array(size);
    this.words = new Int32Array(this.buf.buffer);
    this.len = 0;
  }
  /** Makes room for `n` more bytes after `len`. */
  ensure(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.words = new Int32Array(next.buffer);
  }
}

/** @internal The fast path behind every codec: write into scratch, read from shared memory. */
export interface CodecImpl<T> {
  readonly name: string;
  /** Writes `value` at `w.len` and advances it; throws `CodecError` for a value it cannot hold. */
  write(value: T, w: ByteWriter, role: 'key' | 'value'): void;
  /** Decodes `len` bytes of `mem` at `off` (`mem` may be shared memory). */
  read(mem: Uint8Array, off: number, len: number): T;
  /** `read` accepts any bytes without throwing, so an optimistic reader may decode before it validates. */
  readonly total: boolean;
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const f64Words = new Int32Array(f64.buffer);

/** The built-in codecs implement both the public {@link Codec} and the internal fast path. */
class BuiltinCodec<T> implements Codec<T>, CodecImpl<T> {
  readonly name: string;
  readonly write: (value: T, w: ByteWriter, role: 'key' | 'value') => void;
  readonly read: (mem: Uint8Array, off: number, len: number) => T;
  readonly total: boolean;
  constructor(
    name: string,
    write: (value: T, w: ByteWriter, role: 'key' | 'value') => void,
    read: (mem: Uint8Array, off: number, len: number) => T,
    total: boolean,
  ) {
    this.name = name;
    this.write = write;
    this.read = read;
    this.total = total;
    // Bound, so `codecs.string.encode` can be passed around on its own (custom codecs reuse them).
    this.encode = (value) => {
      const w = new ByteWriter(16);
      write(value, w, 'value');
      return w.buf.slice(0, w.len);
    };
    this.decode = (bytes) => read(bytes, 0, bytes.length);
  }
  readonly encode: (value: T) => Uint8Array;
  readonly decode: (bytes: Uint8Array) => T;
}

function reject(codec: string, role: 'key' | 'value', expected: string, value: unknown): never {
  throw new CodecError(
    codec,
    role,
    `expected ${expected}, got ${describe(value)}; nothing was written (choose a codec that fits, e.g. codecs.structured)`,
  );
}

/** Strings: one byte per character when every code unit is below 256, else UTF-16; exact for any string. */
const stringCodec = new BuiltinCodec<string>(
  'string',
  (value, w, role) => {
    if (typeof value !== 'string') reject('string', role, 'a string', value);
    const n = value.length;
    w.ensure(1 + 2 * n);
    const buf = w.buf;
    const start = w.len;
    buf[start] = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 255) break;
      buf[start + 1 + i] = c;
    }
    if (i === n) {
      w.len = start + 1 + n;
      return;
    }
    buf[start] = 1;
    let p = start + 1;
    for (let j = 0; j < n; j++) {
      const c = value.charCodeAt(j);
      buf[p++] = c & 0xff;
      buf[p++] = c >>> 8;
    }
    w.len = p;
  },
  (mem, off, len) => {
    const wide = mem[off] === 1;
    const end = off + len;
    if (len > 64) {
      return Buffer.from(mem.buffer, mem.byteOffset + off + 1, len - 1).toString(wide ? 'utf16le' : 'latin1');
    }
    let s = '';
    if (wide)
      for (let p = off + 1; p < end; p += 2)
        s += String.fromCharCode((mem[p] as number) | ((mem[p + 1] as number) << 8));
    else for (let p = off + 1; p < end; p++) s += String.fromCharCode(mem[p] as number);
    return s;
  },
  true,
);

/** Numbers: 8 bytes (float64); as a key `-0` is `0`, and every `NaN` is one `NaN`, as `Map` compares them. */
const numberCodec = new BuiltinCodec<number>(
  'number',
  (value, w, role) => {
    if (typeof value !== 'number') reject('number', role, 'a number', value);
    w.ensure(8);
    const buf = w.buf;
    const p = w.len;
    if (Number.isNaN(value)) {
      // One NaN bit pattern: 0x7ff8000000000000 (little-endian).
      buf.fill(0, p, p + 6);
      buf[p + 6] = 0xf8;
      buf[p + 7] = 0x7f;
    } else {
      f64[0] = value === 0 && role === 'key' ? 0 : value; // keys: -0 is 0, as in Map
      if ((p & 3) === 0) {
        w.words[p >> 2] = f64Words[0] as number;
        w.words[(p >> 2) + 1] = f64Words[1] as number;
      } else for (let i = 0; i < 8; i++) buf[p + i] = f64Bytes[i] as number;
    }
    w.len = p + 8;
  },
  (mem, off) => {
    for (let i = 0; i < 8; i++) f64Bytes[i] = mem[off + i] as number;
    return f64[0] as number;
  },
  true,
);

/** Bigints: their decimal digits (and sign), as ASCII. */
const bigintCodec = new BuiltinCodec<bigint>(
  'bigint',
  (value, w, role) => {
    if (typeof value !== 'bigint') reject('bigint', role, 'a bigint', value);
    const text = value.toString();
    w.ensure(text.length);
    for (let i = 0; i < text.length; i++) w.buf[w.len + i] = text.charCodeAt(i);
    w.len += text.length;
  },
  (mem, off, len) => {
    let s = '';
    for (let p = off; p < off + len; p++) s += String.fromCharCode(mem[p] as number);
    return BigInt(s);
  },
  false,
);

/** Booleans: one byte. */
const booleanCodec = new BuiltinCodec<boolean>(
  'boolean',
  (value, w, role) => {
    if (typeof value !== 'boolean') reject('boolean', role, 'a boolean', value);
    w.ensure(1);
    w.buf[w.len++] = value ? 1 : 0;
  },
  (mem, off) => mem[off] === 1,
  true,
);

/** Anything the structured clone algorithm handles, through `node:v8` serialize / deserialize. */
const structuredCodec = new BuiltinCodec<unknown>(
  'structured',
  (value, w, role) => {
    let bytes: Uint8Array;
    try {
      bytes = serialize(value);
    } catch (cause) {
      throw new CodecError(
        'structured',
        role,
        `${describe(value)} cannot be structured-cloned (${(cause as Error).message}); nothing was written: ` +
          'store plain data (objects, arrays, Map, Set, Date, typed arrays...), not functions, symbols or class behaviour',
        { cause },
      );
    }
    w.ensure(bytes.length);
    w.buf.set(bytes, w.len);
    w.len += bytes.length;
  },
  (mem, off, len) => deserialize(mem.slice(off, off + len)),
  false,
);

/**
 * The built-in codecs. Keys and values are stored as bytes in shared memory, so every thread
 * reads its own copy: `get` of a structured value returns a fresh object each time.
 *
 * - `string`: any string, exactly (lone surrogates too); 1 byte per character below U+0100, else 2.
 * - `number`: any number, 8 bytes; `-0` and `0` are one key, every `NaN` is one key (as in `Map`);
 *   a `-0` value stays `-0`.
 * - `bigint`: any bigint.
 * - `boolean`: `true` / `false`.
 * - `structured`: what `structuredClone` accepts (`node:v8` serialize); as a key codec, keys are
 *   equal when their serialized bytes are (by value, not identity).
 *
 * @example
 * const m = new SharedShardedHashMap({ key: codecs.string, value: codecs.structured });
 */
export const codecs: {
  readonly string: Codec<string>;
  readonly number: Codec<number>;
  readonly bigint: Codec<bigint>;
  readonly boolean: Codec<boolean>;
  readonly structured: Codec<unknown>;
} = Object.freeze({
  string: stringCodec,
  number: numberCodec,
  bigint: bigintCodec,
  boolean: booleanCodec,
  structured: structuredCodec,
});

/** @internal The built-in codec named `name`, if any. */
export function builtinCodec(name: string): Codec<unknown> | undefined {
  return Object.hasOwn(codecs, name) ? (codecs as Record<string, Codec<unknown>>)[name] : undefined;
}

/** @internal The fast path of `codec`: itself for a built-in, an adapter for a custom codec. */
export function codecImpl<T>(codec: Codec<T>): CodecImpl<T> {
  if (codec instanceof BuiltinCodec) return codec;
  const { name } = codec;
  return {
    name,
    write(value, w, role) {
      let bytes: unknown;
      try {
        bytes = codec.encode(value);
      } catch (cause) {
        if (cause instanceof CodecError) throw cause;
        throw new CodecError(
          name,
          role,
          `encode threw: ${(cause as Error)?.message ?? String(cause)}; nothing was written`,
          {
            cause,
          },
        );
      }
      if (!(bytes instanceof Uint8Array)) {
        throw new CodecError(
          name,
          role,
          `encode must return a Uint8Array, got ${describe(bytes)}; nothing was written`,
        );
      }
      w.ensure(bytes.length);
      w.buf.set(bytes, w.len);
      w.len += bytes.length;
    },
    read: (mem, off, len) => codec.decode(mem.slice(off, off + len)),
    total: false,
  };
}
