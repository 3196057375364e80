/** Percentiles of a list of latencies, as every bench table shows them. */

export interface LatencyStats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles, rounded to 0.1 ms; null for an empty list. */
export function stats(values: readonly number[]): LatencyStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return {
    count: sorted.length,
    p50: round1(rank(0.5)),
    p95: round1(rank(0.95)),
    p99: round1(rank(0.99)),
    max: round1(sorted.at(-1)),
    mean: round1(sorted.reduce((sum, v) => sum + v, 0) / sorted.length),
  };
}

export function round1(value: number | undefined): number {
  return Math.round((value ?? 0) * 10) / 10;
}
