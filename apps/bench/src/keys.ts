// The key sets of the benchmark. Keys are built once, before any timing, into plain arrays.

import type { Rng } from './prng.js';

/** A benchmark key: every implementation is measured with one kind per process. */
export type Key = string | number;

/** The kinds of key the suite measures. */
export type KeyKind = 'short' | 'uuid' | 'url' | 'u32';

/**
 * How string keys are stored in memory. `+` and template literals of 13+ characters build ropes
 * (V8 cons strings) that stay ropes until something flattens them; keys read from JSON, a
 * socket or a file are flat. `flat` is the default; `rope` measures keys as built.
 */
export type KeyForm = 'flat' | 'rope';

/** What a key kind is, for tables and JSON. */
export interface KeyKindInfo {
  /** Identifier used in JSON and on the command line. */
  readonly kind: KeyKind;
  /** Human label for tables and charts. */
  readonly label: string;
  /** One example key, as the suite builds it. */
  readonly example: string;
}

/** Every key kind, in report order. */
export const KEY_KINDS: readonly KeyKindInfo[] = [
  { kind: 'short', label: '"key:"+i', example: 'key:123456' },
  { kind: 'uuid', label: 'UUID', example: '3f2b8c1e-9d4a-4f6b-8e2c-7a1d5b9c0e4f' },
  { kind: 'url', label: 'URL (55+ chars)', example: 'https://example.com/api/v1/users/123456/profile?tab=overview' },
  { kind: 'u32', label: 'u32 number', example: '3735928559' },
];

const HEX = '0123456789abcdef';

function hex(rng: Rng, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += HEX[rng() & 15];
  return s;
}

/** A version-4-shaped UUID from `rng` (deterministic, unlike `crypto.randomUUID`). */
function uuid(rng: Rng): string {
  const variant = HEX[8 + (rng() & 3)];
  return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${variant}${hex(rng, 3)}-${hex(rng, 12)}`;
}

/** `n` distinct random u32 values; about half are above 2^31 (heap numbers, not Smis, in V8). */
function distinctU32(n: number, rng: Rng): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  while (out.length < n) {
    const v = rng();
    if (!seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

/**
 * `n` distinct keys of `kind`. Strings come out flat (copied through `JSON.parse`) unless
 * `form` is `'rope'`; `"key:"+i` keys are under 13 characters, so V8 builds them flat anyway.
 * URL keys differ only in the middle (`…/users/${i}/profile?tab=overview`): a shard choice that
 * samples the ends sends them all to a few shards.
 *
 * @example
 * buildKeys('url', 1000, mulberry32(1), 'flat')[0]; // 'https://example.com/api/v1/users/0/profile?tab=overview'
 */
export function buildKeys(kind: KeyKind, n: number, rng: Rng, form: KeyForm): Key[] {
  let keys: Key[];
  switch (kind) {
    case 'short':
      keys = Array.from({ length: n }, (_, i) => `key:${i}`);
      break;
    case 'uuid': {
      const seen = new Set<string>();
      keys = [];
      while (keys.length < n) {
        const k = uuid(rng);
        if (!seen.has(k)) {
          seen.add(k);
          keys.push(k);
        }
      }
      break;
    }
    case 'url':
      keys = Array.from({ length: n }, (_, i) => `https://example.com/api/v1/users/${i}/profile?tab=overview`);
      break;
    case 'u32':
      return distinctU32(n, rng);
  }
  return form === 'flat' ? (JSON.parse(JSON.stringify(keys)) as Key[]) : keys;
}
