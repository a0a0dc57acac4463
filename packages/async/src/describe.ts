/**
 * Renders a bad argument for an error message: strings quoted, bigints with `n`, objects and
 * functions by kind (never their contents, which may be large or secret).
 *
 * @example
 * describe('64'); // '"64"'
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}
