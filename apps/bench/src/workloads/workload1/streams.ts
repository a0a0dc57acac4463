// Pre-built operation streams: keys in a random order fixed before timing, so the timed loops
// only index arrays (no Math.random, no allocation) and every implementation replays the same
// sequence.

import type { Key } from '../../keys.js';
import { below, type Rng, shuffle } from '../../prng.js';

/** Opcode of a mixed stream: look the key up. */
export const OP_GET = 0;
/** Opcode of a mixed stream: insert the key (removed earlier in its block). */
export const OP_INSERT = 1;
/** Opcode of a mixed stream: remove the key (present). */
export const OP_REMOVE = 2;

/**
 * Keys to look up, in random order: whole shuffles of `keys` back to back, at least
 * `minLength` long, so every key is read equally often and small sets still get long streams.
 *
 * @example
 * accessStream(keys, 65_536, rng);
 */
export function accessStream(keys: readonly Key[], minLength: number, rng: Rng): Key[] {
  const out: Key[] = [];
  while (out.length < minLength) for (const key of shuffle(keys.slice(), rng)) out.push(key);
  return out;
}

/** A 98-1-1 operation stream: opcodes and their keys, index by index. */
export interface MixStream {
  /** `OP_GET`, `OP_INSERT` or `OP_REMOVE` per step. */
  readonly ops: Uint8Array;
  /** The key of each step. */
  readonly keys: Key[];
}

/** Operations per block of a mixed stream: 98 gets, 1 remove, 1 insert. */
export const MIX_BLOCK = 100;

/**
 * `blocks` blocks of 100 operations over a map holding all of `keys`: in each block one random
 * key is removed and inserted back later in the same block, and 98 random keys are read. Each
 * block leaves the map as it found it, so the stream can be replayed in a loop forever at
 * exactly 98% gets, 1% inserts (of new keys) and 1% removes (of present keys).
 *
 * @example
 * const { ops, keys: ks } = mixStream(keys, 1000, rng);
 */
export function mixStream(keys: readonly Key[], blocks: number, rng: Rng): MixStream {
  const length = blocks * MIX_BLOCK;
  const ops = new Uint8Array(length);
  const out = new Array<Key>(length);
  for (let b = 0; b < blocks; b++) {
    const base = b * MIX_BLOCK;
    const removeAt = below(rng, MIX_BLOCK - 1);
    const insertAt = removeAt + 1 + below(rng, MIX_BLOCK - 1 - removeAt);
    const churned = keys[below(rng, keys.length)] as Key;
    for (let j = 0; j < MIX_BLOCK; j++) {
      if (j === removeAt) {
        ops[base + j] = OP_REMOVE;
        out[base + j] = churned;
      } else if (j === insertAt) {
        ops[base + j] = OP_INSERT;
        out[base + j] = churned;
      } else {
        ops[base + j] = OP_GET;
        out[base + j] = keys[below(rng, keys.length)] as Key;
      }
    }
  }
  return { ops, keys: out };
}
