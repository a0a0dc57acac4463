/** @internal Renders a bad value for an error message: strings quoted, others as `String()` would. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (value === null) return 'null';
  if (typeof value === 'object')
    return Array.isArray(value) ? 'an array' : `an object (${value.constructor?.name ?? 'null prototype'})`;
  if (typeof value === 'function') return 'a function';
  return String(value);
}
