// pg_stat_statements counters are cumulative since the last reset; the dashboard wants the last
// poll interval. This file turns two snapshots into per-statement interval figures, the way
// Prometheus' rate() treats counters: a drop means a reset, and what is there after it counts.
import type { SlowQuery } from '../types.js';

/** One pg_stat_statements row's counters (PG13+ column names in comments). */
export interface StatementCounters {
  /** userid:dbid:queryid — pg_stat_statements' own entry key. */
  key: string;
  queryid: string;
  calls: number;
  /** total_exec_time, ms */
  totalMs: number;
  /** Σ exec time² (ms²) = calls·(stddev_exec_time² + mean_exec_time²); lets intervals have a spread. */
  sumSqMs: number;
  rows: number;
  sharedBlksHit: number;
  sharedBlksRead: number;
  /** Query text when the caller has it (the source fetches texts only for the top statements). */
  query?: string;
}

export interface StatementSnapshot {
  /** epoch ms */
  at: number;
  /** pg_stat_statements_info.stats_reset (PG14+), null when unknown. */
  statsReset: string | null;
  entries: StatementCounters[];
}

/** A statement's figures over one interval; a SlowQuery plus what the KPI model needs. */
export interface IntervalStatement extends SlowQuery {
  key: string;
  queryid: string;
  rows: number;
  /** Standard deviation of execution time within the interval, ms. */
  stddevMs: number;
}

/** Build counters from a pg_stat_statements row's mean/stddev (population stddev, as PG stores it). */
export function sumOfSquares(calls: number, meanMs: number, stddevMs: number): number {
  return calls * (stddevMs * stddevMs + meanMs * meanMs);
}

/**
 * Per-statement figures between two snapshots, sorted by total time (the interval's biggest cost
 * first). A global reset (stats_reset changed) or an entry whose calls went down (per-entry reset,
 * eviction and re-entry, a server crash that lost the stats file) counts the current values
 * as the interval's. Entries that disappeared are dropped; entries without calls are omitted.
 */
export function diffStatements(prev: StatementSnapshot | null, cur: StatementSnapshot): IntervalStatement[] {
  if (!prev) return [];
  const globalReset = prev.statsReset !== null && cur.statsReset !== null && prev.statsReset !== cur.statsReset;
  const before = new Map(prev.entries.map((e) => [e.key, e]));
  const out: IntervalStatement[] = [];
  for (const c of cur.entries) {
    const p = globalReset ? undefined : before.get(c.key);
    const reset = !p || c.calls < p.calls || c.totalMs < p.totalMs;
    const base = reset ? ZERO : p;
    const calls = c.calls - base.calls;
    if (calls <= 0) continue;
    const totalMs = Math.max(0, c.totalMs - base.totalMs);
    const meanMs = totalMs / calls;
    const variance = Math.max(0, Math.max(0, c.sumSqMs - base.sumSqMs) / calls - meanMs * meanMs);
    const rows = Math.max(0, c.rows - base.rows);
    const hit = Math.max(0, c.sharedBlksHit - base.sharedBlksHit);
    const read = Math.max(0, c.sharedBlksRead - base.sharedBlksRead);
    out.push({
      key: c.key,
      queryid: c.queryid,
      query: c.query ?? '',
      calls,
      totalMs,
      meanMs,
      stddevMs: Math.sqrt(variance),
      rows,
      rowsPerCall: rows / calls,
      fingerprint: null,
      hitRatioPct: hit + read > 0 ? (100 * hit) / (hit + read) : null,
    });
  }
  return out.sort((a, b) => b.totalMs - a.totalMs || b.calls - a.calls);
}

const ZERO: StatementCounters = { key: '', queryid: '', calls: 0, totalMs: 0, sumSqMs: 0, rows: 0, sharedBlksHit: 0, sharedBlksRead: 0 };

export interface IntervalTotals {
  calls: number;
  totalMs: number;
  meanMs: number | null;
  /**
   * An *approximation* of the p95 execution time over all statements: pg_stat_statements keeps
   * only mean and stddev, so each statement is modelled as a normal distribution and the p95 of
   * the call-weighted mixture is solved for. Always label it approximate.
   */
  approxP95Ms: number | null;
}

export function intervalTotals(stmts: readonly IntervalStatement[]): IntervalTotals {
  const calls = stmts.reduce((s, q) => s + q.calls, 0);
  const totalMs = stmts.reduce((s, q) => s + q.totalMs, 0);
  return { calls, totalMs, meanMs: calls ? totalMs / calls : null, approxP95Ms: mixtureQuantile(stmts, 0.95) };
}

/** q-quantile of Σ wᵢ·N(μᵢ, σᵢ) with wᵢ = callsᵢ/Σcalls, by bisection (the CDF is monotone). */
export function mixtureQuantile(stmts: readonly Pick<IntervalStatement, 'calls' | 'meanMs' | 'stddevMs'>[], q: number): number | null {
  const calls = stmts.reduce((s, x) => s + x.calls, 0);
  if (!calls) return null;
  const cdf = (x: number) =>
    stmts.reduce((s, st) => {
      const p = st.stddevMs > 0 ? normalCdf((x - st.meanMs) / st.stddevMs) : x >= st.meanMs ? 1 : 0;
      return s + (st.calls / calls) * p;
    }, 0);
  let lo = 0;
  let hi = Math.max(...stmts.map((s) => s.meanMs + 8 * s.stddevMs), 1e-9);
  for (let i = 0; i < 100 && hi - lo > 1e-9 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) >= q) hi = mid;
    else lo = mid;
  }
  return hi;
}

// Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): plenty for a value already labelled approximate.
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
