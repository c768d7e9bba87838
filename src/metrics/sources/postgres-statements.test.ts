import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffStatements, intervalTotals, mixtureQuantile, sumOfSquares, type StatementCounters, type StatementSnapshot } from './postgres-statements.js';

const entry = (key: string, calls: number, totalMs: number, extra: Partial<StatementCounters> = {}): StatementCounters => ({
  key,
  queryid: key,
  calls,
  totalMs,
  sumSqMs: sumOfSquares(calls, calls ? totalMs / calls : 0, 0),
  rows: calls,
  sharedBlksHit: 0,
  sharedBlksRead: 0,
  ...extra,
});
const snap = (entries: StatementCounters[], statsReset: string | null = '2026-01-01', at = 0): StatementSnapshot => ({ at, statsReset, entries });

describe('diffStatements', () => {
  it('returns nothing without a previous snapshot (one sample is not an interval)', () => {
    expect(diffStatements(null, snap([entry('a', 10, 100)]))).toEqual([]);
  });

  it('reports only what happened between the snapshots, slowest total first', () => {
    const prev = snap([entry('a', 10, 100), entry('b', 5, 500)]);
    const cur = snap([entry('a', 30, 400, { rows: 90, sharedBlksHit: 30, sharedBlksRead: 10 }), entry('b', 6, 520)]);
    const d = diffStatements(prev, cur);
    expect(d.map((s) => [s.key, s.calls, s.totalMs, s.meanMs])).toEqual([
      ['a', 20, 300, 15],
      ['b', 1, 20, 20],
    ]);
    expect(d[0].rowsPerCall).toBe((90 - 10) / 20);
    expect(d[0].hitRatioPct).toBe(75);
    expect(d[1].hitRatioPct).toBeNull(); // no buffer access in the interval: unknown, not 0 %
  });

  it('omits statements without calls in the interval and ignores ones that disappeared', () => {
    const prev = snap([entry('a', 10, 100), entry('gone', 3, 3)]);
    const cur = snap([entry('a', 10, 100)]);
    expect(diffStatements(prev, cur)).toEqual([]);
  });

  it('counts a new statement fully', () => {
    const d = diffStatements(snap([]), snap([entry('new', 4, 40)]));
    expect(d.map((s) => [s.key, s.calls, s.totalMs])).toEqual([['new', 4, 40]]);
  });

  it('treats a drop in calls as a per-entry reset (pg_stat_statements_reset(userid, dbid, queryid))', () => {
    const d = diffStatements(snap([entry('a', 100, 1000)]), snap([entry('a', 7, 70)]));
    expect(d.map((s) => [s.calls, s.totalMs])).toEqual([[7, 70]]);
  });

  it('treats a changed stats_reset as a global reset even when counters grew past the old values', () => {
    const d = diffStatements(snap([entry('a', 10, 100)], 'T1'), snap([entry('a', 12, 130)], 'T2'));
    expect(d.map((s) => [s.calls, s.totalMs])).toEqual([[12, 130]]);
  });

  it('does not mistake an unknown stats_reset for a reset', () => {
    const d = diffStatements(snap([entry('a', 10, 100)], null), snap([entry('a', 12, 130)], 'T2'));
    expect(d.map((s) => s.calls)).toEqual([2]);
  });

  it('recovers the interval spread from cumulative mean/stddev', () => {
    // 10 calls of 10 ms, then 10 more calls of 30 ms: interval mean 30, stddev 0.
    const p = { ...entry('a', 10, 100), sumSqMs: sumOfSquares(10, 10, 0) };
    // cumulative over 20 calls: mean 20, population stddev 10
    const c = { ...entry('a', 20, 400), sumSqMs: sumOfSquares(20, 20, 10) };
    const [d] = diffStatements(snap([p]), snap([c]));
    expect(d.meanMs).toBeCloseTo(30, 9);
    expect(d.stddevMs).toBeCloseTo(0, 4);
  });

  it('never yields negative or NaN figures (property)', () => {
    const counters = fc.record({ calls: fc.nat(1e6), totalMs: fc.double({ min: 0, max: 1e9, noNaN: true }), rows: fc.nat(1e6) });
    fc.assert(
      fc.property(fc.array(counters, { maxLength: 5 }), fc.array(counters, { maxLength: 5 }), (a, b) => {
        const mk = (xs: typeof a) => xs.map((x, i) => entry(`k${i}`, x.calls, x.totalMs, { rows: x.rows }));
        for (const s of diffStatements(snap(mk(a)), snap(mk(b)))) {
          for (const v of [s.calls, s.totalMs, s.meanMs, s.stddevMs, s.rowsPerCall ?? 0]) {
            expect(Number.isFinite(v) && v >= 0).toBe(true);
          }
        }
      }),
    );
  });
});

describe('intervalTotals / mixtureQuantile (approximate DB p95)', () => {
  it('is null without calls', () => {
    expect(intervalTotals([]).approxP95Ms).toBeNull();
    expect(intervalTotals([]).meanMs).toBeNull();
  });

  it('is the normal p95 (μ + 1.645σ) for a single statement', () => {
    expect(mixtureQuantile([{ calls: 10, meanMs: 100, stddevMs: 20 }], 0.95)).toBeCloseTo(100 + 1.6449 * 20, 1);
  });

  it('is dominated by a slow statement carrying more than 5 % of calls', () => {
    const q = mixtureQuantile(
      [
        { calls: 90, meanMs: 2, stddevMs: 0 },
        { calls: 10, meanMs: 400, stddevMs: 0 },
      ],
      0.95,
    );
    expect(q).toBeCloseTo(400, 3);
  });

  it('ignores a slow statement under 5 % of calls', () => {
    const q = mixtureQuantile(
      [
        { calls: 97, meanMs: 2, stddevMs: 0 },
        { calls: 3, meanMs: 400, stddevMs: 0 },
      ],
      0.95,
    );
    expect(q).toBeCloseTo(2, 3);
  });
});
