// Prometheus maths over two scrapes: counter increases with `rate()`'s reset handling, and
// `histogram_quantile` over bucket deltas, following Prometheus' promql/quantile.go so our p95
// agrees with what a Prometheus server computes from the same buckets.
import type { Sample } from './parse';

/** Samples grouped by metric name, for repeated lookups. */
export type SampleIndex = Map<string, Sample[]>;

export function indexSamples(samples: readonly Sample[]): SampleIndex {
  const index: SampleIndex = new Map();
  for (const s of samples) {
    let list = index.get(s.name);
    if (!list) index.set(s.name, (list = []));
    list.push(s);
  }
  return index;
}

/**
 * How much a counter grew between two samples. Like `rate()`: a decrease means the process
 * restarted and the counter began again from zero, so the increase is the current value. A series
 * absent from the first scrape was created in between (clients create series lazily on first use),
 * so it also counts from zero. NaN or negative values give null.
 */
export function counterIncrease(prev: number | undefined, cur: number): number | null {
  if (!Number.isFinite(cur) || cur < 0) return null;
  if (prev === undefined) return cur;
  if (!Number.isFinite(prev)) return null;
  return cur >= prev ? cur - prev : cur;
}

export interface Bucket {
  /** Upper bound (`le`), +Infinity for the last bucket. */
  le: number;
  /** Cumulative count of observations ≤ le. */
  count: number;
}

/**
 * `histogram_quantile(q, …)` for one set of cumulative buckets, as Prometheus computes it:
 * linear interpolation inside the bucket holding the rank, the lowest bucket starting at 0 (unless
 * its upper bound is ≤ 0), the `+Inf` bucket answered with the highest finite bound, counts made
 * monotonic first (float noise and non-atomic scrapes can break monotonicity). null where
 * Prometheus returns NaN (no +Inf bucket, fewer than two buckets, no observations).
 */
export function histogramQuantile(q: number, input: readonly Bucket[]): number | null {
  if (Number.isNaN(q)) return null;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = input.filter((b) => !Number.isNaN(b.le) && !Number.isNaN(b.count)).slice().sort((a, b) => a.le - b.le);
  // Coalesce buckets with the same bound (e.g. "1" and "1.0" from different instances).
  const buckets: Bucket[] = [];
  for (const b of sorted) {
    const last = buckets.at(-1);
    if (last && last.le === b.le) last.count += b.count;
    else buckets.push({ le: b.le, count: b.count });
  }
  if (buckets.length < 2 || buckets.at(-1)!.le !== Infinity) return null;
  // Monotonicity fix: a cumulative count may never fall.
  for (let i = 1; i < buckets.length; i++) if (buckets[i].count < buckets[i - 1].count) buckets[i].count = buckets[i - 1].count;
  const observations = buckets.at(-1)!.count;
  if (!(observations > 0)) return null;
  let rank = q * observations;
  let b = buckets.findIndex((x) => x.count >= rank);
  if (b === -1) b = buckets.length - 1;
  if (b === buckets.length - 1) return buckets[buckets.length - 2].le;
  if (b === 0 && buckets[0].le <= 0) return buckets[0].le;
  let start = 0;
  const end = buckets[b].le;
  let count = buckets[b].count;
  if (b > 0) {
    start = buckets[b - 1].le;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  const v = start + (end - start) * (rank / count);
  return Number.isNaN(v) ? null : v;
}

/** One histogram series (all `_bucket`s of one label set, without `le`) with its `_sum`/`_count`. */
export interface HistogramSeries {
  labels: Record<string, string>;
  buckets: Bucket[];
  sum: number | null;
  /** From `_count`, or the +Inf bucket when `_count` is missing. */
  count: number | null;
}

function withoutLe(labels: Record<string, string>): Record<string, string> {
  const { le: _le, ...rest } = labels;
  return rest;
}

export function labelKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0001${labels[k]}`)
    .join('\u0000');
}

/** Group `<metric>_bucket/_sum/_count` samples into histogram series. */
export function histograms(index: SampleIndex, metric: string): HistogramSeries[] {
  const byKey = new Map<string, HistogramSeries>();
  const get = (labels: Record<string, string>) => {
    const key = labelKey(labels);
    let h = byKey.get(key);
    if (!h) byKey.set(key, (h = { labels, buckets: [], sum: null, count: null }));
    return h;
  };
  for (const s of index.get(`${metric}_bucket`) ?? []) {
    const le = s.labels.le === undefined ? NaN : s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    if (Number.isNaN(le)) continue;
    get(withoutLe(s.labels)).buckets.push({ le, count: s.value });
  }
  for (const s of index.get(`${metric}_sum`) ?? []) get(s.labels).sum = s.value;
  for (const s of index.get(`${metric}_count`) ?? []) get(s.labels).count = s.value;
  for (const h of byKey.values()) {
    h.buckets.sort((a, b) => a.le - b.le);
    if (h.count === null) {
      const inf = h.buckets.find((b) => b.le === Infinity);
      if (inf) h.count = inf.count;
    }
  }
  return [...byKey.values()];
}

/**
 * The observations between two scrapes of one histogram series. A histogram resets as a whole
 * (the process restarted), so if its count, sum or any bucket fell, the current values are the
 * increase — the same outcome as `rate()` applied to each series.
 */
export function histogramDelta(prev: HistogramSeries | undefined, cur: HistogramSeries): HistogramSeries {
  if (!prev) return cur;
  const prevBuckets = new Map(prev.buckets.map((b) => [b.le, b.count]));
  const reset =
    (prev.count !== null && cur.count !== null && cur.count < prev.count) ||
    (prev.sum !== null && cur.sum !== null && cur.sum < prev.sum && (cur.count ?? 0) <= (prev.count ?? 0)) ||
    cur.buckets.some((b) => b.count < (prevBuckets.get(b.le) ?? 0));
  if (reset) return cur;
  return {
    labels: cur.labels,
    buckets: cur.buckets.map((b) => ({ le: b.le, count: b.count - (prevBuckets.get(b.le) ?? 0) })),
    sum: cur.sum === null ? null : prev.sum === null ? cur.sum : cur.sum - prev.sum,
    count: cur.count === null ? null : prev.count === null ? cur.count : cur.count - prev.count,
  };
}

/** Deltas of every series of a histogram metric between two scrapes, matched by labels. */
export function histogramDeltas(prev: SampleIndex, cur: SampleIndex, metric: string): HistogramSeries[] {
  const before = new Map(histograms(prev, metric).map((h) => [labelKey(h.labels), h]));
  return histograms(cur, metric).map((h) => histogramDelta(before.get(labelKey(h.labels)), h));
}

/** Bucket-wise sum, like `sum by (le) (…)`. */
export function sumHistograms(series: readonly HistogramSeries[], labels: Record<string, string> = {}): HistogramSeries {
  const buckets = new Map<number, number>();
  let sum: number | null = null;
  let count: number | null = null;
  for (const h of series) {
    for (const b of h.buckets) buckets.set(b.le, (buckets.get(b.le) ?? 0) + b.count);
    if (h.sum !== null) sum = (sum ?? 0) + h.sum;
    if (h.count !== null) count = (count ?? 0) + h.count;
  }
  return { labels, buckets: [...buckets].map(([le, c]) => ({ le, count: c })).sort((a, b) => a.le - b.le), sum, count };
}

/** Mean observation (Δsum/Δcount), null without observations. */
export function histogramMean(h: HistogramSeries): number | null {
  if (h.sum === null || h.count === null || !(h.count > 0)) return null;
  return h.sum / h.count;
}

/** Increase of every series of a counter between two scrapes. */
export function counterDeltas(prev: SampleIndex, cur: SampleIndex, metric: string): Array<{ labels: Record<string, string>; increase: number }> {
  const before = new Map((prev.get(metric) ?? []).map((s) => [labelKey(s.labels), s.value]));
  const out: Array<{ labels: Record<string, string>; increase: number }> = [];
  for (const s of cur.get(metric) ?? []) {
    const inc = counterIncrease(before.get(labelKey(s.labels)), s.value);
    if (inc !== null) out.push({ labels: s.labels, increase: inc });
  }
  return out;
}
