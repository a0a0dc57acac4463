// Number formatting for tables and charts: fixed significant digits, no rounding in anyone's
// favour (plain round-half-even of toPrecision).

/**
 * Nanoseconds with three significant digits.
 *
 * @example
 * formatNs(42.137); // '42.1'
 */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '–';
  return ns >= 1000 ? Math.round(ns).toLocaleString('en-US') : ns.toPrecision(3);
}

/**
 * Operations per second, scaled (`k`, `M`).
 *
 * @example
 * formatRate(23_700_000); // '23.7M'
 */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toPrecision(3)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toPrecision(3)}k`;
  return perSecond.toPrecision(3);
}

/**
 * A ratio with two decimals and a `×`.
 *
 * @example
 * formatRatio(1.2666); // '1.27×'
 */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–';
}

/**
 * A count with thousands separators, or `1k` / `200k` / `20M` for round sizes.
 *
 * @example
 * formatCount(200_000); // '200k'
 */
export function formatCount(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return n.toLocaleString('en-US');
}

/**
 * Bytes as MiB with one decimal.
 *
 * @example
 * formatMiB(3 * 2 ** 20); // '3.0 MiB'
 */
export function formatMiB(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * A duration given in nanoseconds, in the unit that suits it (ns, µs, ms, s), three significant digits.
 *
 * @example
 * formatDuration(1_534_000); // '1.53 ms'
 */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '–';
  if (ns < 1e3) return `${Number(ns.toPrecision(3))} ns`;
  if (ns < 1e6) return `${Number((ns / 1e3).toPrecision(3))} µs`;
  if (ns < 1e9) return `${Number((ns / 1e6).toPrecision(3))} ms`;
  return `${Number((ns / 1e9).toPrecision(3))} s`;
}

/**
 * A per-round figure: its median, and the range in brackets when there were several rounds.
 *
 * @example
 * formatOverRounds({ median: 2, min: 1, max: 3 }, String, 3); // '2 (1–3)'
 */
export function formatOverRounds(
  figure: { readonly median: number; readonly min: number; readonly max: number },
  format: (value: number) => string,
  rounds: number,
): string {
  return rounds > 1 ? `${format(figure.median)} (${format(figure.min)}–${format(figure.max)})` : format(figure.median);
}
