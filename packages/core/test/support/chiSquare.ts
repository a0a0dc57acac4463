/** Pearson's chi-square statistic of `loads` against a uniform spread of their sum. */
export function chiSquare(loads: readonly number[]): number {
  const total = loads.reduce((a, b) => a + b, 0);
  const expected = total / loads.length;
  let sum = 0;
  for (const load of loads) sum += (load - expected) ** 2 / expected;
  return sum;
}

/**
 * The chi-square value a uniform spread over `bins` exceeds with probability about 3·10⁻⁷
 * (z = 5, Wilson–Hilferty): generous, so a fair hash never fails, yet about 2× the degrees of
 * freedom at 64 bins and 1.2× at 1024, so clustered keys do.
 */
export function chiSquareCritical(bins: number, z = 5): number {
  const df = bins - 1;
  const c = 2 / (9 * df);
  return df * (1 - c + z * Math.sqrt(c)) ** 3;
}
