// End to end: the MetricsService against the reference platform (backend + LLM gateway on
// prom-client) with the shared private Postgres (pg_stat_statements) and a private Redis.
// Every KPI gets a value from the source that should give it, the secrets path is used for the
// passwords, and the report matches the JSON Schema.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../../test/platform/platform';
import { PG_ROLES } from '../../test/support/postgres';
import { startRedis, type RedisHandle } from '../../test/support/redis';
import { sharedPostgres } from '../../test/support/services';
import { resolveMetricsConfig } from './config';
import schema from './kpi-report.schema.json';
import { sampleTwice } from './service';
import type { KpiReport } from './types';

const pgi = sharedPostgres();
let platform: Platform;
let redis: RedisHandle;
let report: KpiReport;

const withoutPassword = (url: string) => {
  const u = new URL(url);
  u.password = '';
  return u.toString();
};

beforeAll(async () => {
  redis = await startRedis();
  platform = await startPlatform({
    backendPort: 0,
    llmPort: 0,
    postgresUrl: pgi.url('plain'),
    pgSchema: `svc_${process.pid}`,
    redisUrl: redis.url,
    loadRps: 30,
    // Latencies at a tenth of the guide's so the run is short; still shaped like its table.
    chaos: { latencyFactor: 0.1, errorRatePct: 0 },
  });
  await new Promise((r) => setTimeout(r, 1500)); // let the load create every series first
  const config = resolveMetricsConfig({
    prometheusTargets: [`${platform.backendUrl}/metrics`, `${platform.llmUrl}/metrics#llm-gateway`],
    apiUrl: platform.backendUrl,
    postgresUrl: withoutPassword(pgi.url('monitor')),
    redisUrl: redis.url,
    timeoutMs: 5000,
  }).config;
  report = await sampleTwice({ config, secrets: { postgresPassword: PG_ROLES.monitor.password } }, 3000);
}, 90_000);

afterAll(async () => {
  await platform?.stop();
  await redis?.destroy();
});

const kpi = (id: string) => report.kpis.find((k) => k.id === id)!;

describe('MetricsService on the reference platform', () => {
  it('every source is ok and the report is schema-valid', () => {
    if (process.env.H3_DEBUG) console.log(JSON.stringify({ ...report, history: undefined }, null, 1));
    expect(report.sources.filter((s) => s.state !== 'disabled').map((s) => [s.kind, s.state])).toEqual([
      ['prometheus', 'ok'],
      ['prometheus', 'ok'],
      ['api', 'ok'],
      ['postgres', 'ok'],
      ['redis', 'ok'],
    ]);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.validate(schema, report);
    expect(ajv.errors ?? []).toEqual([]);
  });

  it('fills all eight KPIs from the best source', () => {
    for (const k of report.kpis) expect([k.id, k.value]).not.toEqual([k.id, null]);
    expect(kpi('api_p95_ms').source).toMatch(/^prometheus:/);
    expect(kpi('db_p95_ms')).toMatchObject({ approximate: false });
    expect(kpi('db_p95_ms').source).toMatch(/^prometheus:/); // the backend's db_query_duration_seconds histogram
    expect(kpi('llm_p95_ms').source).toMatch(/^prometheus:.*#?/);
    expect(kpi('cache_hit_rate_pct').source).toContain(platform.llmUrl);
    expect(kpi('db_connections_pct').source).toContain(platform.backendUrl); // db_pool_connections gauge
    expect(kpi('error_rate_pct').value).toBe(0);
    expect(kpi('error_rate_pct').status).toBe('ok');
  });

  it('has routes per service, LLM providers, Redis cache stats and the interval\'s slow queries', () => {
    const routes = report.routes.map((r) => `${r.service} ${r.method} ${r.route}`);
    expect(routes).toEqual(expect.arrayContaining(['ai-etl-backend GET /api/v1/health', 'ai-etl-backend GET /api/v1/pipelines']));
    expect(report.llm.providers.length).toBeGreaterThan(0);
    for (const p of report.llm.providers) expect(['Qwen3-Coder-30B', 'GPT-4-Turbo', 'Claude-3', 'Local (Qwen2)']).toContain(p.provider);
    const cache = report.llm.cache!;
    expect(cache.entries).toBeGreaterThan(0);
    expect(cache.withoutTtlPct).not.toBeNull();
    expect((cache.exactHits ?? 0) + (cache.semanticHits ?? 0) + (cache.misses ?? 0)).toBeGreaterThan(0);
    expect(report.slowQueries.length).toBeGreaterThan(0);
    expect(report.slowQueries.every((q) => q.calls > 0 && q.query.length > 0)).toBe(true);
    expect(Object.keys(report.slowQueries[0]).sort()).toEqual(['calls', 'fingerprint', 'hitRatioPct', 'meanMs', 'query', 'rowsPerCall', 'totalMs']);
    // The platform's N+1 (one SELECT per project) is among them, with its fingerprint for linking to code.
    expect(report.slowQueries.some((q) => /FROM pipelines WHERE project_id = \$1/.test(q.query) && q.fingerprint)).toBe(true);
    expect(report.connections!.max).toBeGreaterThan(0);
  });
});

describe('fallbacks when the platform exposes no histograms for a KPI', () => {
  it('DB p95 comes from pg_stat_statements and says it is approximate', async () => {
    const config = resolveMetricsConfig({
      prometheusTargets: [],
      postgresUrl: withoutPassword(pgi.url('monitor')),
      timeoutMs: 5000,
    }).config;
    const r = await sampleTwice({ config, secrets: { postgresPassword: PG_ROLES.monitor.password } }, 2000);
    if (process.env.H3_DEBUG) console.log(JSON.stringify({ ...r, history: undefined }, null, 1));
    const db = r.kpis.find((k) => k.id === 'db_p95_ms')!;
    expect(db.value).not.toBeNull();
    expect(db.approximate).toBe(true);
    expect(db.reason).toMatch(/^approximation: pg_stat_statements keeps only mean and stddev/);
    const conn = r.kpis.find((k) => k.id === 'db_connections_pct')!;
    expect(conn).toMatchObject({ approximate: true });
    expect(conn.reason).toMatch(/share of Postgres max_connections/);
  });
});
