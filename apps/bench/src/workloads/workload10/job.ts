/**
 * What workload 10 measures, one child process per (implementation, value kind, round):
 * `JSON.stringify` / `JSON.parse` of the pairs (the anchor), and `@starshard/serde` on its fast
 * path (no schema; `primitive()` schemas), through serializr prop schemas, and as NDJSON.
 */
export type Workload10Impl = 'json' | 'serde' | 'serde-primitive' | 'serde-schema' | 'serde-stream';

/** Every workload-10 implementation, the anchor first. */
export const WORKLOAD10_IMPLS: readonly Workload10Impl[] = [
  'json',
  'serde',
  'serde-primitive',
  'serde-schema',
  'serde-stream',
];

/** Table labels. */
export const WORKLOAD10_LABELS: Readonly<Record<Workload10Impl, string>> = {
  json: 'JSON.stringify / JSON.parse of the pairs (anchor)',
  serde: 'serializeMap / deserializeMap, no schema',
  'serde-primitive': 'serializeMap / deserializeMap, primitive() schemas',
  'serde-schema': 'serializeMap / deserializeMap through serializr (custom() keys, object(schema) values)',
  'serde-stream': 'serializeMapStream / deserializeMapStream, no schema (NDJSON chunks in memory)',
};

/**
 * The values of the map: `number` (`i`) or `object` (`{ id, name, score }`, a class instance
 * with a serializr model schema on the schema path, a plain object elsewhere).
 */
export type Workload10Values = 'number' | 'object';

/** One child of workload 10. */
export interface Workload10Job {
  readonly impl: Workload10Impl;
  readonly values: Workload10Values;
  /** Entries (`"key:" + i` → value). */
  readonly entries: number;
  /** Shards of the starshard map. */
  readonly shards: number;
  /** Timed iterations of each direction (after one warm-up each). */
  readonly iterations: number;
}

/** What a child measured: milliseconds per whole serialize / deserialize of `entries` entries. */
export interface Workload10ChildResult {
  readonly serializeMs: readonly number[];
  readonly deserializeMs: readonly number[];
  /** Length of the text (or the NDJSON chunks' total), in UTF-16 code units. */
  readonly textLength: number;
  /** Every deserialized map had `entries` entries and the right values at probed keys. */
  readonly checked: boolean;
}

/** Parent → child. */
export interface Workload10Request {
  readonly type: 'run';
  readonly job: Workload10Job;
}

/** Child → parent. */
export type Workload10Message =
  | { readonly type: 'result'; readonly result: Workload10ChildResult }
  | { readonly type: 'error'; readonly message: string };
