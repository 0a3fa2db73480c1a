/** A latency histogram: 10 µs buckets up to 100 ms, then 1 ms buckets up to 10 s. Mergeable across processes. */
const FINE = 10_000;
const COARSE = 9_900;

export function createHistogram(): number[] {
  return new Array(FINE + COARSE + 1).fill(0);
}

export function record(histogram: number[], ms: number): void {
  const value = Math.max(0, ms);
  const at = value < 100 ? Math.floor(value * 100) : Math.min(FINE + Math.floor(value - 100), FINE + COARSE);
  histogram[at]!++;
}

export function merge(into: number[], from: readonly number[]): void {
  for (let i = 0; i < from.length; i++) into[i]! += from[i]!;
}

/** The value (ms, bucket upper bound) below which `fraction` of the samples fall. */
export function percentile(histogram: readonly number[], fraction: number): number {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= total * fraction && total > 0) return i < FINE ? (i + 1) / 100 : 100 + (i - FINE + 1);
  }
  return Number.NaN;
}

export function count(histogram: readonly number[]): number {
  return histogram.reduce((sum, n) => sum + n, 0);
}
