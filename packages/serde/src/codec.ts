import { InvalidArgumentError } from '@starshard/core';
import { createSimpleSchema, deserialize, type ModelSchema, type PropSchema, primitive, serialize } from 'serializr';
import { DeserializeError, describeValue, messageOf, SerializeError } from './errors.js';

/**
 * How one side of an entry (its key or its value) is coded.
 * - `Raw`: no schema. Written and read as JSON carries it (checked at the top level only).
 * - `Primitive`: serializr's `primitive()` and nothing else: a JSON primitive, checked.
 * - `Schema`: any other prop schema, run through serializr entry by entry.
 *
 * `Raw` and `Primitive` are the fast path: no serializr call per entry (serializr's per-call
 * overhead, a context and a result object, costs more than JSON itself at a million entries).
 */
export const Mode = { Raw: 0, Primitive: 1, Schema: 2 } as const;
/** One of {@link Mode}'s values. */
export type Mode = (typeof Mode)[keyof typeof Mode];

/** Which side of an entry a codec handles: the index of that side in the `[key, value]` pair. */
export const Side = { Key: 0, Value: 1 } as const;
/** One of {@link Side}'s values. */
export type Side = (typeof Side)[keyof typeof Side];

const SIDE_NAMES = ['key', 'value'] as const;

// serializr's primitive() returns fresh closures on every call, so it has no identity to compare
// with; its source text is the same for every call of the same serializr copy. A primitive() with
// hooks or an alias takes the serializr path, and so does one from another copy of serializr.
const PRIMITIVE = primitive();
const PRIMITIVE_SERIALIZER = PRIMITIVE.serializer.toString();
const PRIMITIVE_DESERIALIZER = PRIMITIVE.deserializer.toString();

function isPlainPrimitive(schema: PropSchema): boolean {
  return (
    schema.serializer.toString() === PRIMITIVE_SERIALIZER &&
    schema.deserializer.toString() === PRIMITIVE_DESERIALIZER &&
    schema.beforeDeserialize === undefined &&
    schema.afterDeserialize === undefined &&
    schema.jsonname === undefined
  );
}

/** The model property a side's one-property model schema holds it in. */
const PROP = 'v';

/** Marks "no error reported" in a deserialize callback (an error may be any value). */
const NONE: unique symbol = Symbol('none');

/** One side's coder: the mode, and for `Schema` the one-property serializr model that runs the prop schema. */
export class SideCodec {
  readonly mode: Mode;
  readonly side: Side;
  private readonly model: ModelSchema<Record<string, unknown>> | undefined;
  /** The JSON name serializr writes the property under (the schema's alias, or {@link PROP}). */
  private readonly jsonName: string;

  constructor(schema: PropSchema | undefined, side: Side) {
    this.side = side;
    if (schema === undefined) {
      this.mode = Mode.Raw;
      this.model = undefined;
      this.jsonName = PROP;
      return;
    }
    if (
      typeof schema !== 'object' ||
      schema === null ||
      typeof schema.serializer !== 'function' ||
      typeof schema.deserializer !== 'function'
    ) {
      throw new InvalidArgumentError(
        `the ${SIDE_NAMES[side]} option must be a serializr prop schema (primitive(), date(), object(schema), custom(...)), got ${describeValue(schema)}`,
      );
    }
    this.mode = isPlainPrimitive(schema) ? Mode.Primitive : Mode.Schema;
    this.model =
      this.mode === Mode.Schema ? createSimpleSchema<Record<string, unknown>>({ [PROP]: schema }) : undefined;
    this.jsonName = typeof schema.jsonname === 'string' ? schema.jsonname : PROP;
  }

  /** The JSON form of one side of the entry keyed `key`, at output position `path`. */
  encode(value: unknown, key: unknown, path: string): unknown {
    if (this.mode !== Mode.Schema) {
      const problem =
        this.mode === Mode.Raw && this.side === Side.Value ? rawValueProblem(value) : primitiveProblem(value);
      if (problem !== undefined) throw new SerializeError(path, key, `${problem}; ${this.remedy()}`);
      return value;
    }
    const holder: Record<string, unknown> = { [PROP]: value };
    let out: Record<string, unknown>;
    try {
      out = serialize(this.model as ModelSchema<Record<string, unknown>>, holder) as Record<string, unknown>;
    } catch (error) {
      throw new SerializeError(path, key, `the ${this.name()} schema threw: ${messageOf(error)}`, { cause: error });
    }
    if (!Object.hasOwn(out, this.jsonName)) {
      throw new SerializeError(
        path,
        key,
        `the ${this.name()} schema skipped it (SKIP): a map entry cannot be left out`,
      );
    }
    const json = out[this.jsonName];
    if (json === undefined) {
      throw new SerializeError(path, key, `the ${this.name()} schema produced undefined, which JSON cannot carry`);
    }
    return json;
  }

  /** The map key or value decoded from `json`, found at input position `path`. */
  decode(json: unknown, path: string): unknown {
    if (this.mode !== Mode.Schema) {
      const problem =
        this.mode === Mode.Raw && this.side === Side.Value ? rawValueProblem(json) : primitiveProblem(json);
      if (problem !== undefined) throw new DeserializeError(path, problem);
      return json;
    }
    const holder: Record<string, unknown> = { [this.jsonName]: json };
    let reported: unknown = NONE;
    let finished = false;
    let target: Record<string, unknown>;
    try {
      target = deserialize(this.model as ModelSchema<Record<string, unknown>>, holder, (error: unknown) => {
        finished = true;
        if (error) reported = error;
      });
    } catch (error) {
      throw new DeserializeError(path, `does not decode with the ${this.name()} schema: ${messageOf(error)}`, {
        cause: error,
      });
    }
    if (reported !== NONE) {
      throw new DeserializeError(path, `does not decode with the ${this.name()} schema: ${messageOf(reported)}`, {
        cause: reported,
      });
    }
    if (!finished) {
      throw new DeserializeError(
        path,
        `the ${this.name()} schema did not finish synchronously: asynchronous custom() deserializers and reference() lookups are not supported`,
      );
    }
    if (!Object.hasOwn(target, PROP)) {
      throw new DeserializeError(path, `the ${this.name()} schema skipped ${describeValue(json)} (SKIP)`);
    }
    const value = target[PROP];
    if ((value === null || value === undefined) && json !== null) {
      // serializr's object() yields null for JSON that is not an object: strict loading refuses it.
      throw new DeserializeError(path, `the ${this.name()} schema turned ${describeValue(json)} into ${String(value)}`);
    }
    const invalid = invalidDateIn(value);
    if (invalid !== undefined) {
      throw new DeserializeError(
        path,
        `the ${this.name()} schema made an invalid Date${invalid === '' ? '' : ` at ${invalid}`} (date() of something that is not a time)`,
      );
    }
    return value;
  }

  private name(): string {
    return SIDE_NAMES[this.side];
  }

  private remedy(): string {
    return `pass a ${this.name()} prop schema that turns it into JSON (date(), object(schema), custom(...))`;
  }
}

/** How deep {@link invalidDateIn} looks into a decoded value. */
const MAX_DEPTH = 32;

/**
 * Where in `value` (a property path such as `.joined` or `.items[2].at`, `''` for the value
 * itself) an invalid `Date` sits, or `undefined`. serializr's `date()` turns anything into a
 * `Date`, at any depth of a model: strict loading refuses what is not a time.
 */
export function invalidDateIn(value: unknown, seen: Set<object> = new Set(), depth = 0): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : undefined;
  if (depth >= MAX_DEPTH || seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = invalidDateIn(value[i], seen, depth + 1);
      if (at !== undefined) return `[${i}]${at}`;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const at = invalidDateIn((value as Record<string, unknown>)[key], seen, depth + 1);
    if (at !== undefined) return `.${key}${at}`;
  }
  return undefined;
}

/**
 * Why a key, or a value under `primitive()`, cannot be carried by JSON exactly (a string, a
 * finite number, a boolean or `null` can), or `undefined` if it can.
 */
export function primitiveProblem(value: unknown): string | undefined {
  const type = typeof value;
  if (type === 'string' || type === 'boolean' || value === null) return undefined;
  if (type === 'number') {
    return Number.isFinite(value)
      ? undefined
      : `${String(value)} is not a finite number, and JSON would write it as null`;
  }
  return `${describeValue(value)} is not a JSON primitive (a string, a finite number, a boolean or null)`;
}

/**
 * Why a value without a schema cannot be written as JSON (`undefined`, a bigint, a symbol, a
 * function, a non-finite number), or `undefined` if it can. Objects are taken as JSON data and
 * not walked: `JSON.stringify` decides what they become (a `Date` becomes its ISO string).
 */
export function rawValueProblem(value: unknown): string | undefined {
  const type = typeof value;
  if (type === 'object' || type === 'string' || type === 'boolean') return undefined;
  if (type === 'number') {
    return Number.isFinite(value)
      ? undefined
      : `${String(value)} is not a finite number, and JSON would write it as null`;
  }
  return `${describeValue(value)} cannot be written as JSON`;
}

/** The key and value codecs of one call. */
export interface EntryCodec {
  readonly key: SideCodec;
  readonly value: SideCodec;
  /** Both sides on the fast path (`Raw` or `Primitive`). */
  readonly fast: boolean;
}

/** The serializr prop schemas that describe a map's keys and values (both optional). */
export interface EntrySchemas {
  /** How keys are written and read; default: as JSON carries them (strings, finite numbers, booleans, `null`). */
  key?: PropSchema | undefined;
  /** How values are written and read; default: as JSON carries them. */
  value?: PropSchema | undefined;
}

/**
 * The codecs for `schemas` (checked: each must be a serializr prop schema).
 *
 * @example
 * const codec = entryCodec({ value: date() });
 */
export function entryCodec(schemas: EntrySchemas | undefined): EntryCodec {
  if (schemas !== undefined && (typeof schemas !== 'object' || schemas === null)) {
    throw new InvalidArgumentError(`options must be an object { key?, value?, ... }, got ${describeValue(schemas)}`);
  }
  const key = new SideCodec(schemas?.key, Side.Key);
  const value = new SideCodec(schemas?.value, Side.Value);
  return { key, value, fast: key.mode !== Mode.Schema && value.mode !== Mode.Schema };
}
