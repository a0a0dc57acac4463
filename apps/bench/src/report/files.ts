import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes `content` to `dir/name` (creating `dir`); returns the path written.
 *
 * @example
 * writeResultFile('bench-results', 'workload-1.json', JSON.stringify(report, null, 2));
 */
export function writeResultFile(dir: string, name: string, content: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, content.endsWith('\n') ? content : `${content}\n`);
  return file;
}

/**
 * JSON of `value`, two-space indented, non-integers cut to 6 significant digits (measurements
 * carry no more, and float noise such as 30.744999999999997 only hinders readers).
 *
 * @example
 * toJson({ ns: 30.744999999999997 }); // '{\n  "ns": 30.745\n}'
 */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v),
    2,
  );
}
