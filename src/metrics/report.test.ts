// Report assembly from plain samples: which source wins each KPI, how fallbacks are labelled,
// and how failing sources explain unknown KPIs.
import { describe, expect, it } from 'vitest';
import { resolveMetricsConfig } from './config';
import { buildReport, type Fed, type ReportInputs } from './report';
import type { ApiSample } from './sources/platform-api';
import type { PostgresSample } from './sources/postgres';
import type { PromServerSample } from './sources/prometheus-server';
import type { RedisSample } from './sources/redis';
import type { SourceStatus } from './types';

const ok = (id: string, kind: SourceStatus['kind']): SourceStatus => ({ id, kind, state: 'ok', message: null, nextRetryAt: null });
const failing = (id: string, kind: SourceStatus['kind'], message: string): SourceStatus => ({ id, kind, state: 'failing', message, nextRetryAt: 1 });
const fed = <T>(id: string, kind: SourceStatus['kind'], sample: T | null, message = 'down'): Fed<T> => ({ id, sample, status: sample ? ok(id, kind) : failing(id, kind, message) });

const base = (over: Partial<ReportInputs>): ReportInputs => ({
  config: resolveMetricsConfig({ memoryLimitBytes: 1000 }).config,
  atMs: Date.UTC(2026, 0, 1),
  intervalMs: 5000,
  scrapes: [],
  server: null,
  api: null,
  postgres: null,
  redis: null,
  disabled: [],
  hostMemoryBytes: 1e9,
  ...over,
});

const server: PromServerSample = {
  atMs: 0,
  values: { apiP95Seconds: 0.42, errorRatio: 0.002, dbP95Seconds: null, llmP95Seconds: 6, cacheHitRatio: 0.8, cpuCores: 0.5, residentMemoryBytes: 900 },
  problems: { dbP95Seconds: 'no data (the metric is absent or had no samples in the window)' },
};
const api: ApiSample = {
  atMs: 0,
  values: { p95DurationMs: 130, errorRatePct: 0.5, hitRate: 0.73, cpuPct: 20, memoryPct: 50, poolSize: 10, poolCheckedOut: 6, poolOverflow: 2, exactHits: 5, semanticHits: 3, misses: 2, cacheSizeMb: 1.5, cacheEntries: 40 },
  healthRoundTripMs: 3,
  healthServerMs: 1,
  problems: [],
};
const pg: PostgresSample = {
  at: 0,
  intervalMs: 5000,
  serverVersion: 150000,
  slowQueries: [{ query: 'SELECT 1', calls: 3, meanMs: 2, totalMs: 6, rowsPerCall: 1, fingerprint: 'ab', hitRatioPct: 100 }],
  statements: { calls: 3, totalMs: 6, meanMs: 2, approxP95Ms: 4.5 },
  connections: { active: 2, idle: 3, idleInTransaction: 0, waiting: 0, max: 100, total: 5 },
  unusedIndexes: [{ table: 't', index: 'i', sizeBytes: 8192 }],
  seqScanTables: [],
  problems: [],
};
const redis = {
  at: 0,
  intervalMs: 5000,
  info: {} as RedisSample['info'],
  interval: { hits: 60, misses: 40, hitRatePct: 60, evictedKeys: 0 },
  memoryPct: null,
  cache: { pattern: 'llm:cache:*', entries: 120, capped: false, withoutTtl: 12, withoutTtlPct: 10, sampled: 10, sampleAvgBytes: 1024, sampleMaxBytes: 2048, estimatedBytes: 120 * 1024 },
  problems: [],
} as RedisSample;

const kpis = (r: ReturnType<typeof buildReport>) => Object.fromEntries(r.kpis.map((k) => [k.id, k]));

describe('buildReport', () => {
  it('uses the Prometheus server before the API, and the API for what the server lacks', () => {
    const r = buildReport(base({ server: fed('prometheus-server:x', 'prometheus-server', server), api: fed('api:y', 'api', api) }));
    const k = kpis(r);
    expect(k.api_p95_ms).toMatchObject({ value: 420, source: 'prometheus-server:x', status: 'ok' });
    expect(k.error_rate_pct).toMatchObject({ value: 0.2, status: 'warning' });
    expect(k.llm_p95_ms).toMatchObject({ value: 6000, status: 'warning' });
    expect(k.cache_hit_rate_pct.value).toBeCloseTo(80, 9);
    expect(k.cpu_pct).toMatchObject({ value: 50, source: 'prometheus-server:x' });
    expect(k.memory_pct).toMatchObject({ value: 90, status: 'warning' }); // 900 of memoryLimitBytes 1000
    // The server had no DB histogram; the API has no DB p95 either: unknown with both reasons.
    expect(k.db_p95_ms.reason).toBe('prometheus-server:x: no data (the metric is absent or had no samples in the window)');
    // Pool utilisation per the guide: checked_out / (size + overflow) = 6 / 12.
    expect(k.db_connections_pct).toMatchObject({ value: 50, source: 'api:y', approximate: false });
    expect(r.llm.cache).toEqual({ hitRatePct: 73, exactHits: 5, semanticHits: 3, misses: 2, entries: 40, withoutTtlPct: null, memoryMb: 1.5 });
  });

  it('turns the API\'s cumulative cache counters into the interval\'s, hit rate included', () => {
    const prev = { ...api, values: { ...api.values, exactHits: 2, semanticHits: 1, misses: 1 } };
    const r = buildReport(base({ api: { ...fed('api:y', 'api', api), prev } }));
    // Interval: 3 exact + 2 semantic hits, 1 miss → 5/6.
    expect(r.llm.cache).toMatchObject({ exactHits: 3, semanticHits: 2, misses: 1 });
    expect(r.llm.cache!.hitRatePct).toBeCloseTo((5 / 6) * 100, 9);
    expect(kpis(r).cache_hit_rate_pct.value).toBeCloseTo((5 / 6) * 100, 9);
    // A restart (counters fell) counts the current values.
    const after = buildReport(base({ api: { ...fed('api:y', 'api', { ...api, values: { ...api.values, exactHits: 1, semanticHits: 0, misses: 1 } }), prev: api } }));
    expect(after.llm.cache).toMatchObject({ exactHits: 1, semanticHits: 0, misses: 1, hitRatePct: 50 });
  });

  it('labels the pg_stat_statements p95 and the max_connections share as approximate', () => {
    const r = buildReport(base({ postgres: fed('postgres:db', 'postgres', pg) }));
    const k = kpis(r);
    expect(k.db_p95_ms).toMatchObject({ value: 4.5, approximate: true, source: 'postgres:db' });
    expect(k.db_p95_ms.reason).toMatch(/^approximation: /);
    expect(k.db_connections_pct).toMatchObject({ value: 5, approximate: true });
    expect(k.db_connections_pct.reason).toMatch(/max_connections \(5\/100\)/);
    expect(r.slowQueries).toEqual(pg.slowQueries);
    expect(r.connections).toEqual({ active: 2, idle: 3, idleInTransaction: 0, waiting: 0, max: 100 });
    expect(r.unusedIndexes).toEqual(pg.unusedIndexes);
  });

  it('takes the Redis keyspace hit rate last, and the cache entries/TTL from Redis', () => {
    const r = buildReport(base({ api: fed('api:y', 'api', { ...api, values: { cpuPct: 1 } }), redis: fed('redis:r', 'redis', redis) }));
    expect(kpis(r).cache_hit_rate_pct).toMatchObject({ value: 60, source: 'redis:r' });
    expect(r.llm.cache).toMatchObject({ entries: 120, withoutTtlPct: 10, memoryMb: 120 / 1024, hitRatePct: null });
  });

  it('explains unknown KPIs with each failing source\'s message, and lists all source states', () => {
    const scrape = { id: 'prometheus:a', sample: null, pair: null, status: failing('prometheus:a', 'prometheus', 'cannot connect: connection refused') };
    const off: SourceStatus = { id: 'redis', kind: 'redis', state: 'disabled', message: 'not configured', nextRetryAt: null };
    const r = buildReport(base({ scrapes: [scrape], postgres: fed<PostgresSample>('postgres:db', 'postgres', null, 'auth failed'), disabled: [off] }));
    const k = kpis(r);
    expect(k.api_p95_ms).toMatchObject({ status: 'unknown', value: null, reason: 'prometheus: prometheus:a failing: cannot connect: connection refused' });
    expect(k.db_p95_ms.reason).toBe('prometheus: prometheus:a failing: cannot connect: connection refused; postgres:db: failing: auth failed');
    expect(r.sources.map((s) => `${s.id}=${s.state}`)).toEqual(['prometheus:a=failing', 'postgres:db=failing', 'redis=disabled']);
    expect(r.connections).toBeNull();
    expect(r.llm).toEqual({ providers: [], cache: null });
  });

  it('keeps a history for sparklines', async () => {
    const { KpiHistory } = await import('./kpis');
    const history = new KpiHistory();
    const inp = base({ api: fed('api:y', 'api', api), history });
    buildReport({ ...inp, atMs: 1000 });
    const r = buildReport({ ...inp, atMs: 2000 });
    expect(r.history!.cpu_pct).toEqual([[1000, 20], [2000, 20]]);
    expect(r.history!.db_p95_ms).toEqual([[1000, null], [2000, null]]);
  });
});
