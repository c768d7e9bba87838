import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './parse';
import { counterDeltas, counterIncrease, histogramDelta, histogramDeltas, histogramQuantile, histograms, indexSamples, sumHistograms } from './math';

const idx = (text: string) => indexSamples(parsePrometheusText(text).samples);
const B = (pairs: Array<[number, number]>) => pairs.map(([le, count]) => ({ le, count }));

describe('counterIncrease (rate() semantics)', () => {
  it('is the difference when the counter grew', () => expect(counterIncrease(10, 25)).toBe(15));
  it('treats a decrease as a reset to zero', () => expect(counterIncrease(100, 7)).toBe(7));
  it('counts a series born between scrapes from zero', () => expect(counterIncrease(undefined, 4)).toBe(4));
  it('gives null for NaN or negative values', () => {
    expect(counterIncrease(1, NaN)).toBeNull();
    expect(counterIncrease(NaN, 3)).toBeNull();
    expect(counterIncrease(1, -2)).toBeNull();
  });
});

describe('histogramQuantile (promql/quantile.go semantics)', () => {
  it('interpolates linearly inside the bucket holding the rank', () => {
    // 100 observations: 90 ≤ 0.05, 10 in (0.25, 0.5]. rank 95 → 0.25 + 0.25 * 5/10.
    expect(histogramQuantile(0.95, B([[0.05, 90], [0.1, 90], [0.25, 90], [0.5, 100], [Infinity, 100]]))).toBeCloseTo(0.375, 12);
  });
  it('starts the lowest bucket at 0', () => {
    expect(histogramQuantile(0.5, B([[1, 10], [Infinity, 10]]))).toBeCloseTo(0.5, 12);
  });
  it('answers the highest finite bound when the rank falls in +Inf', () => {
    expect(histogramQuantile(0.99, B([[1, 5], [2, 6], [Infinity, 10]]))).toBe(2);
  });
  it('returns the upper bound of a lowest bucket ≤ 0', () => {
    expect(histogramQuantile(0.1, B([[-1, 5], [0, 6], [Infinity, 10]]))).toBe(-1);
  });
  it('is null without +Inf, with one bucket or no observations; ±Inf outside [0,1]', () => {
    expect(histogramQuantile(0.5, B([[1, 3], [2, 4]]))).toBeNull();
    expect(histogramQuantile(0.5, B([[Infinity, 4]]))).toBeNull();
    expect(histogramQuantile(0.5, B([[1, 0], [Infinity, 0]]))).toBeNull();
    expect(histogramQuantile(-0.1, B([[1, 1], [Infinity, 1]]))).toBe(-Infinity);
    expect(histogramQuantile(1.1, B([[1, 1], [Infinity, 1]]))).toBe(Infinity);
    expect(histogramQuantile(NaN, B([[1, 1], [Infinity, 1]]))).toBeNull();
  });
  it('repairs non-monotonic buckets and sorts unsorted input', () => {
    // 2's count 3 < 1's count 5 is raised to 5: then rank 5 (q=.5 of 10) lands in bucket 1.
    expect(histogramQuantile(0.5, B([[Infinity, 10], [2, 3], [1, 5]]))).toBe(1);
  });
  it('coalesces equal bounds', () => {
    expect(histogramQuantile(0.5, B([[1, 2], [1, 2], [Infinity, 4], [Infinity, 4]]))).toBeCloseTo(1, 12);
  });
});

describe('histograms from exposition text', () => {
  const a = `# TYPE h histogram
h_bucket{route="/a",le="0.1"} 1
h_bucket{route="/a",le="1"} 2
h_bucket{route="/a",le="+Inf"} 3
h_sum{route="/a"} 2.5
h_count{route="/a"} 3
h_bucket{route="/b",le="1"} 4
h_bucket{route="/b",le="+Inf"} 4
`;
  it('groups labelled _bucket/_sum/_count and falls back to +Inf for a missing _count', () => {
    const hs = histograms(idx(a), 'h');
    expect(hs).toHaveLength(2);
    const ha = hs.find((h) => h.labels.route === '/a')!;
    expect(ha).toEqual({ labels: { route: '/a' }, buckets: B([[0.1, 1], [1, 2], [Infinity, 3]]), sum: 2.5, count: 3 });
    const hb = hs.find((h) => h.labels.route === '/b')!;
    expect(hb.count).toBe(4);
    expect(hb.sum).toBeNull();
  });
  it('diffs two scrapes bucket by bucket', () => {
    const b = a.replace('le="1"} 2', 'le="1"} 7').replace('le="+Inf"} 3', 'le="+Inf"} 9').replace('h_sum{route="/a"} 2.5', 'h_sum{route="/a"} 5.5').replace('h_count{route="/a"} 3', 'h_count{route="/a"} 9');
    const d = histogramDeltas(idx(a), idx(b), 'h').find((h) => h.labels.route === '/a')!;
    expect(d.buckets).toEqual(B([[0.1, 0], [1, 5], [Infinity, 6]]));
    expect(d.sum).toBeCloseTo(3, 12);
    expect(d.count).toBe(6);
  });
  it('treats a histogram whose counts fell as reset (the current values are the increase)', () => {
    const prev = { labels: {}, buckets: B([[1, 50], [Infinity, 60]]), sum: 40, count: 60 };
    const cur = { labels: {}, buckets: B([[1, 3], [Infinity, 4]]), sum: 2, count: 4 };
    expect(histogramDelta(prev, cur)).toEqual(cur);
  });
  it('sums instances by le', () => {
    const s = sumHistograms([
      { labels: {}, buckets: B([[1, 1], [Infinity, 2]]), sum: 1, count: 2 },
      { labels: {}, buckets: B([[1, 3], [Infinity, 3]]), sum: 2, count: 3 },
    ]);
    expect(s).toEqual({ labels: {}, buckets: B([[1, 4], [Infinity, 5]]), sum: 3, count: 5 });
  });
  it('counterDeltas handles reset and new series per label set', () => {
    const d = counterDeltas(idx('c{a="x"} 10\nc{a="y"} 5\n'), idx('c{a="x"} 2\nc{a="y"} 8\nc{a="z"} 1\n'), 'c');
    expect(d.map((x) => [x.labels.a, x.increase])).toEqual([['x', 2], ['y', 3], ['z', 1]]);
  });
});
