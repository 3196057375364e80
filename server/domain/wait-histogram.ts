/**
 * Durations kept as counts in fixed log-scale bins, so a day's median and 90th percentile can
 * be merged from hourly aggregates without keeping every sample. Bin 0 holds [0, 1 s); bin k
 * (k ≥ 1) holds [1 s · 2^((k−1)/8), 1 s · 2^(k/8)): eight bins per doubling, the last one open
 * up to any length. A percentile is the geometric middle of the bin its rank falls in, so it
 * is within ±4.5 % of the true sample (2^(1/16) − 1), or ±0.5 s under one second.
 */

/** Bin index → samples in it; sparse, and plain JSON for both stores. */
export type Histogram = Record<string, number>;

const PER_DOUBLING = 8;
/** 2^20 s is about 12 days: anything longer shares the last bin. */
const LAST_BIN = 20 * PER_DOUBLING + 1;

/** The bin a duration falls in. */
export function binOf(ms: number): number {
  if (!(ms >= 1000)) return 0;
  const k = Math.floor(Math.log2(ms / 1000) * PER_DOUBLING) + 1;
  return Math.min(k, LAST_BIN);
}

/** The duration that stands for a bin: the geometric middle of its bounds. */
export function binValue(bin: number): number {
  if (bin <= 0) return 500;
  return 1000 * 2 ** ((bin - 0.5) / PER_DOUBLING);
}

/** Adds (or, with `times` −1, takes back) one sample; a bin back at zero is dropped. */
export function addSample(histogram: Histogram, ms: number, times = 1): void {
  const key = String(binOf(ms));
  const next = (histogram[key] ?? 0) + times;
  if (next > 0) histogram[key] = next;
  else delete histogram[key];
}

/** Adds every sample of `from` to `into`. */
export function mergeInto(into: Histogram, from: Histogram): void {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
}

export function sampleCount(histogram: Histogram): number {
  let n = 0;
  for (const count of Object.values(histogram)) n += count;
  return n;
}

/**
 * The `q`-th percentile (0 < q ≤ 1) by nearest rank: the value of the bin holding the
 * ⌈q·n⌉-th smallest sample. Null with no samples.
 */
export function percentile(histogram: Histogram, q: number): number | null {
  const n = sampleCount(histogram);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  const bins = Object.keys(histogram)
    .map(Number)
    .sort((a, b) => a - b);
  let seen = 0;
  for (const bin of bins) {
    seen += histogram[String(bin)] ?? 0;
    if (seen >= rank) return Math.round(binValue(bin));
  }
  return Math.round(binValue(bins.at(-1) ?? 0));
}
