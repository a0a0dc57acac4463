import fc from 'fast-check';

// Keys with an identity, created once so that generated operations hit them again and again.
const objectA = { name: 'a' };
const objectB = { name: 'a' }; // structurally equal to objectA, a different key
const arrayKey: unknown[] = [];
const functionKey = () => 0;
const uniqueSymbol = Symbol('unique');
const uniqueTwin = Symbol('unique'); // same description, a different key

/** A string of `length` characters that ends like every other one: only the middle tells them apart. */
function middleString(middle: string, length = 2_000): string {
  const half = 'm'.repeat((length - middle.length) >> 1);
  return `${half}${middle}${half}`;
}

/**
 * Keys that a careless hash or equality gets wrong: SameValueZero corners, identities,
 * registered and unregistered symbols, bigints past 64 bits, long strings alike at both ends,
 * non-ASCII text, numbers beyond 2^32.
 */
export const trickyKeys: readonly unknown[] = [
  Number.NaN,
  -0,
  0,
  1,
  -1,
  0.5,
  -2.25,
  1e300,
  Number.MIN_VALUE,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 31,
  2 ** 32,
  2 ** 32 + 1,
  2 ** 53 - 1,
  -(2 ** 40),
  0n,
  1n,
  -1n,
  2n ** 64n,
  2n ** 64n + 1n,
  -(2n ** 100n),
  true,
  false,
  null,
  undefined,
  '',
  '0',
  'NaN',
  'undefined',
  'é',
  'e\u0301',
  '😀',
  'a😀b',
  '\ud83d', // a lone surrogate
  '\ude00',
  'l'.repeat(1_000),
  'l'.repeat(5_000),
  middleString('x'),
  middleString('y'),
  middleString('xy'),
  Symbol.for('registered'),
  Symbol.for(''),
  Symbol.iterator,
  uniqueSymbol,
  uniqueTwin,
  objectA,
  objectB,
  arrayKey,
  functionKey,
];

/** A `NaN` with a payload: other bits than `Number.NaN`, the same key for `Map`. */
const payloadNaN = new Float64Array(new Uint32Array([1, 0x7ff00000]).buffer)[0] as number;

/** Keys `Map` treats as equal although they differ in bits or in `Object.is`. */
export const sameValueZeroKeys: readonly unknown[] = [Number.NaN, payloadNaN, 0 / 0, -0, 0];

/**
 * Any key, drawn mostly from small domains so that operations collide on the same keys: the
 * tricky keys above, small integers, short strings, strings alike but in the middle, long
 * strings, floats, bigints.
 */
export const keyArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...trickyKeys), weight: 6 },
  { arbitrary: fc.constantFrom(...sameValueZeroKeys), weight: 2 },
  { arbitrary: fc.integer({ min: -4, max: 12 }), weight: 3 },
  { arbitrary: fc.string({ maxLength: 2, unit: 'binary' }), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 9 }).map((i) => middleString(String(i), 64)), weight: 1 },
  { arbitrary: fc.integer({ min: 1_000, max: 5_000 }).map((n) => `${'s'.repeat(n - 1)}!`), weight: 1 },
  { arbitrary: fc.constantFrom(0.1, 0.2, 0.30000000000000004, 4294967297.5, -1e-300), weight: 1 },
  { arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), weight: 1 },
);

/** Any value, including `undefined` (a present key may hold it) and objects (compared by reference). */
export const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1_000, max: 1_000 }),
  fc.constant(undefined),
  fc.integer().map((n) => ({ n })),
);
