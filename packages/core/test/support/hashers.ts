import { defaultHasher, type Hasher } from '../../src/index.js';

/** The worst legal hasher: every key to one shard. */
export const constantHasher: Hasher<unknown> = () => 0;

/**
 * A legal but wild hasher: equal keys hash equal (it is built on `defaultHasher`), but the result
 * is huge, negative or fractional, never a tidy 32-bit integer.
 */
export const wildHasher: Hasher<unknown> = (key) => {
  const h = defaultHasher(key);
  switch (h & 3) {
    case 0:
      return h * 1e12;
    case 1:
      return -Math.abs(h) - 0.5;
    case 2:
      return h / 3;
    default:
      return Number.MAX_SAFE_INTEGER - Math.abs(h);
  }
};
