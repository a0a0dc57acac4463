/**
 * @internal A bad argument as an error message shows it: strings quoted, bigints with `n`,
 * objects, arrays and functions by kind only (their contents may be large or secret). The core
 * keeps its own internal; this is the same rendering.
 */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return 'a function';
    case 'object':
      return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object';
    default:
      return String(value);
  }
}
