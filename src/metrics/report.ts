// Assembles the KPI report from the latest samples of all sources: each source offers values for
// the KPIs it can measure, best source first (interval data from direct scrapes, then the
// Prometheus server's window, then the platform API's own figures, then Postgres/Redis), and the
// KPI model picks. Pure: no I/O, so it is tested with plain objects.
import type { MetricsConfig } from './config';
import { buildKpis, KpiHistory, type KpiCandidate, type KpiCandidates } from './kpis';
import { derivePrometheus, type ScrapePair } from './prometheus/derive';
import type { ApiSample } from './sources/platform-api';
import type { PostgresSample } from './sources/postgres';
import type { PromServerSample } from './sources/prometheus-server';
import type { RedisSample } from './sources/redis';
import type { KpiId, KpiReport, LlmCache, SourceStatus } from './types';

export interface Fed<T> {
  id: string;
  /** The latest sample when the last attempt succeeded; null while failing or before the first. */
  sample: T | null;
  /** The sample before it, for sources whose counters are cumulative (the API's cache counts). */
  prev?: T | null;
  status: SourceStatus;
}

export interface ReportInputs {
  config: MetricsConfig;
  atMs: number;
  intervalMs: number;
  /** One entry per scrape target; `pair` needs two successful scrapes. */
  scrapes: Array<Fed<unknown> & { pair: ScrapePair | null }>;
  server: Fed<PromServerSample> | null;
  api: Fed<ApiSample> | null;
  postgres: Fed<PostgresSample> | null;
  redis: Fed<RedisSample> | null;
  /** Sources that are not configured, shown as disabled. */
  disabled: SourceStatus[];
  hostMemoryBytes: number;
  history?: KpiHistory;
}

const failing = (f: Fed<unknown>): string => (f.status.state === 'failing' ? `failing: ${f.status.message ?? 'unknown error'}` : 'waiting for the first sample');

export function buildReport(inp: ReportInputs): KpiReport {
  const { config } = inp;
  const names = config.names;
  const c: Record<KpiId, KpiCandidate[]> = {
    api_p95_ms: [],
    db_p95_ms: [],
    llm_p95_ms: [],
    error_rate_pct: [],
    cache_hit_rate_pct: [],
    cpu_pct: [],
    memory_pct: [],
    db_connections_pct: [],
  };
  const offer = (id: KpiId, cand: KpiCandidate) => c[id].push(cand);
  const offerAll = (ids: KpiId[], source: string, reason: string) => ids.forEach((id) => offer(id, { value: null, source, reason }));

  // 1. Direct scrapes: two samples of every target, summed per service.
  const pairs = inp.scrapes.filter((s) => s.pair !== null).map((s) => s.pair!);
  const d = derivePrometheus(pairs, { names, cpuCores: config.cpuCores, memoryLimitBytes: config.memoryLimitBytes, hostMemoryBytes: inp.hostMemoryBytes });
  const scrapeIds = (metric: string | string[]) => {
    const wanted = Array.isArray(metric) ? metric : [metric];
    const ids = inp.scrapes.filter((s) => s.pair && s.pair.cur.samples.some((x) => wanted.some((w) => x.name.startsWith(w)))).map((s) => s.id);
    return ids.length ? ids.join(', ') : inp.scrapes.map((s) => s.id).join(', ');
  };
  if (inp.scrapes.length) {
    const waiting = inp.scrapes.filter((s) => !s.pair);
    if (pairs.length === 0) {
      const why = waiting.map((s) => (s.status.state === 'failing' ? `${s.id} ${failing(s)}` : `${s.id}: needs two scrapes`)).join('; ');
      offerAll(['api_p95_ms', 'error_rate_pct', 'cpu_pct', 'memory_pct', 'db_p95_ms', 'llm_p95_ms', 'cache_hit_rate_pct', 'db_connections_pct'], 'prometheus', why);
    } else {
      const src = (m: string | string[]) => scrapeIds(m);
      const none = (what: string) => `no ${what} in the scraped metrics`;
      offer('api_p95_ms', d.api && d.api.p95Ms !== null ? { value: d.api.p95Ms, source: src(names.httpDuration) } : { value: null, source: 'prometheus', reason: d.api ? 'no requests in the interval' : none(`${names.httpDuration} histogram`) });
      offer('error_rate_pct', d.api?.errorRatePct != null ? { value: d.api.errorRatePct, source: src([names.httpRequests, names.httpDuration]) } : { value: null, source: 'prometheus', reason: d.api ? 'no requests with a status label in the interval' : none(names.httpRequests) });
      offer('db_p95_ms', d.db?.p95Ms != null ? { value: d.db.p95Ms, source: src(names.dbDuration) } : { value: null, source: 'prometheus', reason: d.db ? 'no queries in the interval' : none(`${names.dbDuration} histogram`) });
      offer('llm_p95_ms', d.llm?.overall.p95Ms != null ? { value: d.llm.overall.p95Ms, source: src(names.llmDuration) } : { value: null, source: 'prometheus', reason: d.llm ? 'no LLM requests in the interval' : none(`${names.llmDuration} histogram`) });
      offer('cache_hit_rate_pct', d.cache?.hitRatePct != null ? { value: d.cache.hitRatePct, source: src([names.llmCacheHits, names.llmCacheMisses]) } : { value: null, source: 'prometheus', reason: d.cache ? 'no cache lookups in the interval' : none(names.llmCacheHits) });
      offer('cpu_pct', d.cpu ? { value: d.cpu.pct, source: `prometheus:${d.cpu.instance}` } : { value: null, source: 'prometheus', reason: none(names.cpuSeconds) });
      offer('memory_pct', d.memory?.pct != null ? { value: d.memory.pct, source: `prometheus:${d.memory.instance}` } : { value: null, source: 'prometheus', reason: d.memory?.reason ?? none(names.residentMemory) });
      offer('db_connections_pct', d.pool ? { value: d.pool.pct, source: src(names.dbPool) } : { value: null, source: 'prometheus', reason: none(`${names.dbPool} gauge`) });
    }
  }

  // 2. A Prometheus server: same KPIs over its own window.
  if (inp.server) {
    const s = inp.server;
    if (!s.sample) offerAll(['api_p95_ms', 'error_rate_pct', 'db_p95_ms', 'llm_p95_ms', 'cache_hit_rate_pct', 'cpu_pct', 'memory_pct'], s.id, failing(s));
    else {
      const v = s.sample.values;
      const p = s.sample.problems;
      const put = (id: KpiId, key: keyof typeof v, scale: number) =>
        offer(id, v[key] != null ? { value: v[key]! * scale, source: s.id } : { value: null, source: s.id, reason: p[key] ?? 'query not configured' });
      put('api_p95_ms', 'apiP95Seconds', 1000);
      put('error_rate_pct', 'errorRatio', 100);
      put('db_p95_ms', 'dbP95Seconds', 1000);
      put('llm_p95_ms', 'llmP95Seconds', 1000);
      put('cache_hit_rate_pct', 'cacheHitRatio', 100);
      put('cpu_pct', 'cpuCores', 100 / config.cpuCores);
      if (v.residentMemoryBytes != null && config.memoryLimitBytes) offer('memory_pct', { value: (v.residentMemoryBytes / config.memoryLimitBytes) * 100, source: s.id });
      else offer('memory_pct', { value: null, source: s.id, reason: v.residentMemoryBytes != null ? 'set metrics.memoryLimitBytes to turn resident memory into a percentage' : (p.residentMemoryBytes ?? 'no data') });
    }
  }

  // 3. The platform's JSON API.
  const apiV = inp.api?.sample ? apiCacheInterval(inp.api.prev?.values, inp.api.sample.values) : undefined;
  if (inp.api) {
    const a = inp.api;
    if (!a.sample || !apiV) offerAll(['api_p95_ms', 'error_rate_pct', 'cache_hit_rate_pct', 'cpu_pct', 'memory_pct', 'db_connections_pct', 'llm_p95_ms'], a.id, failing(a));
    else {
      const put = (id: KpiId, value: number | undefined, what: string) => offer(id, value !== undefined ? { value, source: a.id } : { value: null, source: a.id, reason: `no ${what} field` });
      put('api_p95_ms', apiV.p95DurationMs, 'p95_duration');
      put('error_rate_pct', apiV.errorRatePct, 'error_rate');
      put('cache_hit_rate_pct', apiV.hitRate === undefined ? undefined : apiV.hitRate <= 1 ? apiV.hitRate * 100 : apiV.hitRate, 'hit_rate');
      put('cpu_pct', apiV.cpuPct, 'cpu_percent');
      put('memory_pct', apiV.memoryPct, 'memory_percent');
      put('llm_p95_ms', apiV.llmP95Ms, 'LLM p95');
      const out = apiV.poolCheckedOut;
      const size = apiV.poolSize;
      // The guide's utilisation: checked_out / (size + overflow).
      put('db_connections_pct', out !== undefined && size !== undefined && size + Math.max(0, apiV.poolOverflow ?? 0) > 0 ? (out / (size + Math.max(0, apiV.poolOverflow ?? 0))) * 100 : undefined, 'pool size/checked_out');
    }
  }

  // 4. Postgres: an approximate p95 from pg_stat_statements, and server connections.
  const pg = inp.postgres?.sample ?? null;
  if (inp.postgres) {
    const id = inp.postgres.id;
    if (!pg) offerAll(['db_p95_ms', 'db_connections_pct'], id, failing(inp.postgres));
    else {
      const approx = pg.statements?.approxP95Ms ?? null;
      offer('db_p95_ms', {
        value: approx,
        source: id,
        approximate: true,
        reason:
          approx !== null
            ? 'approximation: pg_stat_statements keeps only mean and stddev per statement, so the p95 is modelled (no db_query_duration_seconds histogram available)'
            : pg.statements === null
              ? (pg.problems[0] ?? 'needs two polls of pg_stat_statements')
              : 'no statements in the interval',
      });
      const total = pg.connections.total;
      const max = pg.connections.max;
      offer('db_connections_pct', {
        value: max ? (total / max) * 100 : null,
        source: id,
        approximate: true,
        reason: max
          ? `share of Postgres max_connections (${total}/${max}) in use; no application pool metrics available`
          : 'max_connections unknown',
      });
    }
  }

  // 5. Redis: the keyspace hit rate, if nothing measures the LLM cache itself.
  const rd = inp.redis?.sample ?? null;
  if (inp.redis) {
    const id = inp.redis.id;
    if (!rd) offer('cache_hit_rate_pct', { value: null, source: id, reason: failing(inp.redis) });
    else offer('cache_hit_rate_pct', { value: rd.interval.hitRatePct, source: id, reason: rd.interval.hitRatePct === null ? 'no keyspace lookups in the interval (or first poll)' : undefined });
  }

  const kpis = buildKpis(c as KpiCandidates, config.thresholds);
  const report: KpiReport = {
    version: 1,
    at: new Date(inp.atMs).toISOString(),
    intervalMs: inp.intervalMs,
    kpis,
    routes: d.routes,
    // Only the contract's fields: the source's working fields (keys, stddev) are not part of v1.
    slowQueries: (pg?.slowQueries ?? []).map((q) => ({
      query: q.query,
      calls: q.calls,
      meanMs: q.meanMs,
      totalMs: q.totalMs,
      rowsPerCall: q.rowsPerCall,
      fingerprint: q.fingerprint,
      hitRatioPct: q.hitRatioPct ?? null,
    })),
    connections: pg ? { active: pg.connections.active, idle: pg.connections.idle, idleInTransaction: pg.connections.idleInTransaction, waiting: pg.connections.waiting, max: pg.connections.max } : null,
    unusedIndexes: pg?.unusedIndexes ?? [],
    llm: { providers: d.llm?.providers ?? [], cache: llmCache(d.cache, apiV, rd) },
    sources: [...inp.scrapes.map((s) => s.status), ...[inp.server, inp.api, inp.postgres, inp.redis].filter((f): f is Fed<never> => f !== null).map((f) => f.status), ...inp.disabled],
  };
  if (inp.history) {
    inp.history.push(inp.atMs, kpis);
    report.history = inp.history.snapshot();
  }
  return report;
}

/**
 * The API's cache counters are cumulative (cache_manager.get_stats()); with a previous sample they
 * become the interval's counts like everything else in `llm`, and the hit rate follows them.
 * Without one (first poll) the API's own figures are kept as they are.
 */
function apiCacheInterval(prev: ApiSample['values'] | undefined, cur: ApiSample['values']): ApiSample['values'] {
  if (!prev) return cur;
  const keys = ['exactHits', 'semanticHits', 'misses'] as const;
  if (!keys.every((k) => cur[k] !== undefined && prev[k] !== undefined)) return cur;
  const restarted = keys.some((k) => cur[k]! < prev[k]!);
  const d = Object.fromEntries(keys.map((k) => [k, restarted ? cur[k]! : cur[k]! - prev[k]!])) as Record<(typeof keys)[number], number>;
  const total = d.exactHits + d.semanticHits + d.misses;
  const out: ApiSample['values'] = { ...cur, ...d };
  if (total > 0) out.hitRate = (d.exactHits + d.semanticHits) / total;
  else delete out.hitRate;
  return out;
}

function llmCache(scraped: ReturnType<typeof derivePrometheus>['cache'], api: ApiSample['values'] | undefined, redis: RedisSample | null): LlmCache | null {
  if (!scraped && !api && !redis) return null;
  const apiRate = api?.hitRate === undefined ? null : api.hitRate <= 1 ? api.hitRate * 100 : api.hitRate;
  const cache: LlmCache = {
    hitRatePct: scraped?.hitRatePct ?? apiRate ?? null,
    exactHits: scraped?.exactHits ?? api?.exactHits ?? null,
    semanticHits: scraped?.semanticHits ?? api?.semanticHits ?? null,
    misses: scraped?.misses ?? api?.misses ?? null,
    entries: redis?.cache.entries ?? api?.cacheEntries ?? null,
    withoutTtlPct: redis?.cache.withoutTtlPct ?? null,
    memoryMb: redis?.cache.estimatedBytes != null ? redis.cache.estimatedBytes / 1024 / 1024 : (api?.cacheSizeMb ?? null),
  };
  return Object.values(cache).every((v) => v === null) ? null : cache;
}
