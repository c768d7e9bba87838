// The reference platform against the shared private Postgres and a private Redis: its routes,
// /metrics and JSON API have the guide's shape, its N+1 really reaches pg_stat_statements (and
// links to the code the analysis engine flags), and its cache entries really land in Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { sharedPostgres } from '../support/services.js';
import { startRedis, type RedisHandle } from '../support/redis.js';
import { startPlatform, type Platform } from './platform.js';
import { parsePrometheusText } from '../../src/metrics/prometheus/parse.js';
import { createPostgresSource } from '../../src/metrics/sources/postgres.js';
import { createRedisSource } from '../../src/metrics/sources/redis.js';
import { fingerprintSql, initSql } from '../../src/analysis/sql/index.js';
import { PROVIDERS } from './llm/providers.js';

const pgi = sharedPostgres();
const SCHEMA = `plat_${process.pid}`;
let platform: Platform;
let redis: RedisHandle;

const get = (path: string) => fetch(`${platform.backendUrl}${path}`);
const post = (path: string, body: unknown = {}) =>
  fetch(`${platform.backendUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const scrape = async (url: string) => parsePrometheusText(await (await fetch(`${url}/metrics`)).text(), { maxSeries: 100_000 }).samples;

beforeAll(async () => {
  await initSql();
  redis = await startRedis();
  platform = await startPlatform({
    backendPort: 0,
    llmPort: 0,
    postgresUrl: pgi.url('plain'),
    pgSchema: SCHEMA,
    redisUrl: redis.url,
    loadRps: 0,
    // LLM calls 100× faster than the guide's seconds: the test is about shapes and counts.
    chaos: { latencyFactor: 0.01, errorRatePct: 0 },
  });
});

afterAll(async () => {
  await platform?.stop();
  await redis?.destroy();
});

describe('backend routes', () => {
  it('GET /api/v1/health answers with an X-Response-Time header like the guide\'s middleware', async () => {
    const r = await get('/api/v1/health');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-response-time')).toMatch(/^\d+\.\d{3}s$/);
    expect(await r.json()).toMatchObject({ status: 'ok' });
  });

  it('GET /api/v1/pipelines lists the seeded pipelines (read through the N+1)', async () => {
    const body = (await (await get('/api/v1/pipelines')).json()) as { total: number; items: Array<{ project_id: number }> };
    expect(body.total).toBe(20 * 25);
    expect(new Set(body.items.map((i) => i.project_id)).size).toBe(20);
  });

  it('POST /api/v1/pipelines/{id}/run queues a run; an unknown id is a 404', async () => {
    expect(await (await post('/api/v1/pipelines/3/run')).json()).toEqual({ status: 'queued', pipeline_id: 3 });
    expect((await post('/api/v1/pipelines/999999/run')).status).toBe(404);
  });

  it('POST /api/v1/pipelines/generate goes through the LLM gateway to one of the guide\'s providers', async () => {
    const body = (await (await post('/api/v1/pipelines/generate', { intent: 'Generate SQL query' })).json()) as { provider: string; context_pipelines: number };
    expect(PROVIDERS.map((p) => p.name)).toContain(body.provider);
    expect(body.context_pipelines).toBe(500); // the unpaginated SELECT * read them all
  });
});

describe('/metrics', () => {
  it('backend: the HTTP histogram per {method, route, status_code}, counters, process, DB histogram and pool gauge', async () => {
    await get('/api/v1/health');
    const s = await scrape(platform.backendUrl);
    const routes = new Set(s.filter((x) => x.name === 'http_request_duration_seconds_count').map((x) => `${x.labels.method} ${x.labels.route} ${x.labels.status_code}`));
    expect(routes).toContain('GET /api/v1/health 200');
    expect(routes).toContain('GET /api/v1/pipelines 200');
    expect(routes).toContain('POST /api/v1/pipelines/{id}/run 200');
    expect(routes).toContain('POST /api/v1/pipelines/{id}/run 404');
    expect(s.some((x) => x.name === 'http_request_duration_seconds_bucket' && x.labels.le === '+Inf')).toBe(true);
    expect(s.some((x) => x.name === 'http_requests_total')).toBe(true);
    expect(s.some((x) => x.name === 'process_cpu_seconds_total')).toBe(true);
    expect(s.some((x) => x.name === 'process_resident_memory_bytes')).toBe(true);
    expect(s.find((x) => x.name === 'db_query_duration_seconds_count' && x.labels.operation === 'select')!.value).toBeGreaterThan(20);
    const pool = Object.fromEntries(s.filter((x) => x.name === 'db_pool_connections').map((x) => [x.labels.state, x.value]));
    expect(Object.keys(pool).sort()).toEqual(['checked_in', 'checked_out', 'overflow', 'size']);
    expect(pool.size).toBe(5);
  });

  it('LLM gateway: latency and tokens per provider, cache hits by type, misses', async () => {
    for (let i = 0; i < 12; i++) await fetch(`${platform.llmUrl}/v1/completions`, { method: 'POST', body: JSON.stringify({ prompt: `q${i}` }) });
    const s = await scrape(platform.llmUrl);
    const providers = new Set(s.filter((x) => x.name === 'llm_request_duration_seconds_count').map((x) => x.labels.provider));
    expect([...providers].sort()).toEqual(PROVIDERS.map((p) => p.name).sort());
    expect(new Set(s.filter((x) => x.name === 'llm_tokens_total').map((x) => x.labels.provider)).size).toBe(4);
    expect(new Set(s.filter((x) => x.name === 'llm_cache_hits_total').map((x) => x.labels.type))).toEqual(new Set(['exact', 'semantic']));
    const hits = s.filter((x) => x.name === 'llm_cache_hits_total').reduce((a, x) => a + x.value, 0);
    const misses = s.find((x) => x.name === 'llm_cache_misses_total')!.value;
    expect(hits + misses).toBe(platform.gateway.counts.exact + platform.gateway.counts.semantic + platform.gateway.counts.miss);
    expect(misses).toBeGreaterThan(0);
  });
});

describe('JSON metrics API (the guide\'s fields)', () => {
  it('system: api avg_duration / requests_per_minute / error_rate, cpu, memory, pool size/checked_in/checked_out/overflow', async () => {
    const b = (await (await get('/api/v1/metrics/system')).json()) as Record<string, any>;
    expect(b.api.avg_duration).toBeGreaterThan(0);
    expect(b.api.requests_per_minute).toBeGreaterThan(0);
    expect(typeof b.api.error_rate).toBe('number');
    expect(typeof b.cpu_percent).toBe('number');
    expect(b.memory_percent).toBeGreaterThan(0);
    expect(Object.keys(b.database.pool)).toEqual(expect.arrayContaining(['size', 'checked_in', 'checked_out', 'overflow']));
  });

  it('llm: hit_rate, semantic_hits, cache_size_mb and per-provider figures', async () => {
    const b = (await (await get('/api/v1/metrics/llm')).json()) as Record<string, any>;
    expect(b.cache.hit_rate).toBeGreaterThanOrEqual(0);
    expect(b.cache.hit_rate).toBeLessThanOrEqual(1);
    expect(typeof b.cache.semantic_hits).toBe('number');
    expect(b.cache.cache_size_mb).toBeGreaterThan(0);
    expect(b.providers.map((p: { provider: string }) => p.provider)).toEqual(PROVIDERS.map((p) => p.name));
  });

  it('pipelines: totals from the database', async () => {
    const b = (await (await get('/api/v1/metrics/pipelines')).json()) as Record<string, any>;
    expect(b.total_pipelines).toBe(500);
  });
});

describe('real traffic in the real services', () => {
  it('the N+1 shows up in pg_stat_statements with the fingerprint the analysis engine gives the code', async () => {
    const src = createPostgresSource({ url: pgi.url('monitor'), topN: 200 });
    try {
      await src.collect(AbortSignal.timeout(10_000));
      await get('/api/v1/pipelines');
      await get('/api/v1/pipelines');
      await post('/api/v1/pipelines/generate');
      const s = await src.collect(AbortSignal.timeout(10_000));
      const n1 = s.slowQueries!.find((q) => q.query === 'SELECT id, name, status FROM pipelines WHERE project_id = $1');
      // Other files may run the platform against this database too, but not in this schema;
      // pg_stat_statements keys entries by the tables' OIDs, so these counts are ours alone.
      expect(n1?.calls).toBe(2 * 20);
      expect(n1!.rowsPerCall).toBe(25);
      const all = s.slowQueries!.find((q) => q.query === 'SELECT * FROM pipelines');
      expect(all?.calls).toBe(1);
      expect(all!.rowsPerCall).toBe(500);

      const { AnalysisProject } = await import('../../src/analysis/index.js');
      const root = resolve(__dirname, 'backend');
      const project = await AnalysisProject.create({ root });
      const file = resolve(root, 'pipelines-repo.ts');
      project.addFiles([file]);
      const findings = project.analyzeFile(file);
      const loop = findings.find((f) => f.rule === 'n-plus-one');
      expect(loop, JSON.stringify(findings.map((f) => [f.rule, f.message]))).toBeDefined();
      expect(loop!.sqlFingerprint).toBe(n1!.fingerprint);
      expect(n1!.fingerprint).toBe(fingerprintSql('SELECT id, name, status FROM pipelines WHERE project_id = $1'));
    } finally {
      await src.close();
    }
  });

  it('LLM cache entries land in Redis with TTLs, one in ten without, as the Redis source counts them', async () => {
    // Outcomes are random (the providers' hit rates); go on until both kinds of entry and a
    // cache hit exist, which takes a few dozen requests at most.
    for (let i = 0; i < 500; i++) {
      const st = platform.gateway.cacheStats();
      if (i >= 25 && st.entries_without_ttl > 0 && st.exact_hits + st.semantic_hits > 0) break;
      await fetch(`${platform.llmUrl}/v1/completions`, { method: 'POST', body: JSON.stringify({ prompt: `p${i}` }) });
    }
    const src = createRedisSource({ url: redis.url });
    try {
      const s = await src.collect(AbortSignal.timeout(10_000));
      const stats = platform.gateway.cacheStats();
      expect(stats.backend).toBe('redis');
      expect(s.cache.entries).toBe(stats.total_entries);
      expect(s.cache.withoutTtl).toBe(stats.entries_without_ttl);
      expect(stats.entries_without_ttl).toBeGreaterThan(0);
      expect(s.cache.withoutTtlPct).toBeCloseTo((100 * stats.entries_without_ttl) / stats.total_entries, 9);
      expect(s.info.keyspaceHits).toBeGreaterThan(0); // exact/semantic hits are real GETs
      expect(s.info.keyspaceMisses).toBeGreaterThan(0);
    } finally {
      await src.close();
    }
  });

  it('chaos: injected errors reach http_requests_total{status_code="500"} and the JSON error_rate', async () => {
    const before = platform.chaos;
    const r = await post('/admin/chaos', { errorRatePct: 100 });
    expect(await r.json()).toMatchObject({ errorRatePct: 100 });
    try {
      for (let i = 0; i < 5; i++) expect((await get('/api/v1/health')).status).toBe(500);
      const s = await scrape(platform.backendUrl);
      const errors = s.find((x) => x.name === 'http_requests_total' && x.labels.route === '/api/v1/health' && x.labels.status_code === '500');
      expect(errors?.value).toBe(5);
      const sys = (await (await get('/api/v1/metrics/system')).json()) as { api: { error_rate: number } };
      expect(sys.api.error_rate).toBeGreaterThan(0);
      expect((await post('/admin/chaos', { errorRatePct: 'lots' })).status).toBe(400);
    } finally {
      platform.setChaos(before);
    }
  });

  it('the load generator makes the metrics move', async () => {
    const count = async () => (await scrape(platform.backendUrl)).filter((x) => x.name === 'http_requests_total').reduce((a, x) => a + x.value, 0);
    const start = await count();
    expect((await (await post('/admin/load', { rps: 40 })).json())).toEqual({ rps: 40 });
    try {
      let now = start;
      for (let i = 0; i < 100 && now < start + 20; i++) {
        await new Promise((r) => setTimeout(r, 100));
        now = await count();
      }
      expect(now).toBeGreaterThanOrEqual(start + 20);
    } finally {
      await post('/admin/load', { rps: 0 });
    }
  });
});
