// The platform JSON API source against a local server shaped like the guide's endpoints.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_API_FIELDS } from '../config';
import { startServer, type TestServer } from '../testing/http-servers';
import { createPlatformApiSource, extractValues, lookup, parseResponseTime } from './platform-api';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const SYSTEM = {
  api: { count: 120, avg_duration: 45.5, p95_duration: 120, requests_per_minute: 90, error_rate: 0.05 },
  cpu_percent: 37.5,
  memory_percent: '61.2%',
  database: { status: 'connected', pool: { size: 20, checked_in: 4, checked_out: 16, overflow: 5 } },
};
const LLM = { cache: { hit_rate: 0.73, exact_hits: 50, semantic_hits: 23, misses: 27, total_entries: 400, cache_size_mb: 12.5 }, p95_duration: 8100 };

async function platform(over: Record<string, (res: import('node:http').ServerResponse) => void> = {}) {
  const s = await startServer((req, res) => {
    const path = req.url ?? '';
    if (over[path]) return over[path](res);
    const json = (b: unknown, h: Record<string, string> = {}) => res.writeHead(200, { 'content-type': 'application/json', ...h }).end(JSON.stringify(b));
    if (path === '/api/v1/metrics/system') return json(SYSTEM);
    if (path === '/api/v1/metrics/llm') return json(LLM);
    if (path === '/api/v1/metrics/pipelines') return json({ total_pipelines: 500 });
    if (path === '/api/v1/health') return json({ status: 'ok' }, { 'x-response-time': '0.234s' });
    res.writeHead(404).end();
  });
  servers.push(s);
  return s;
}

describe('platform API source', () => {
  it('maps the guide fields through the default paths', async () => {
    const s = await platform();
    const src = createPlatformApiSource({ url: `${s.url}/`, fields: DEFAULT_API_FIELDS, timeoutMs: 2000, maxBytes: 1 << 20 });
    const out = await src.collect(new AbortController().signal);
    expect(out.values).toEqual({
      avgDurationMs: 45.5,
      p95DurationMs: 120,
      requestsPerMinute: 90,
      errorRatePct: 0.05,
      hitRate: 0.73,
      exactHits: 50,
      semanticHits: 23,
      misses: 27,
      cacheSizeMb: 12.5,
      cacheEntries: 400,
      cpuPct: 37.5,
      memoryPct: 61.2,
      poolSize: 20,
      poolCheckedIn: 4,
      poolCheckedOut: 16,
      poolOverflow: 5,
      llmP95Ms: 8100,
    });
    expect(out.healthServerMs).toBeCloseTo(234, 9);
    expect(out.healthRoundTripMs).toBeGreaterThan(0);
    expect(out.problems).toEqual([]);
    expect(src.id).toBe(`api:${s.url}`);
  });

  it('ignores absent fields, reports failing endpoints, and fails only when none answers', async () => {
    const s = await platform({
      '/api/v1/metrics/llm': (res) => res.writeHead(500).end('boom'),
      '/api/v1/metrics/system': (res) => res.writeHead(200).end(JSON.stringify({ cpu_percent: 12 })),
    });
    const out = await createPlatformApiSource({ url: s.url, fields: DEFAULT_API_FIELDS, timeoutMs: 2000, maxBytes: 1 << 20 }).collect(new AbortController().signal);
    expect(out.values).toEqual({ cpuPct: 12 });
    expect(out.problems).toEqual([`${s.url}/api/v1/metrics/llm answered HTTP 500 Internal Server Error: boom`]);
    const dead = await startServer(() => undefined);
    await dead.close();
    await expect(createPlatformApiSource({ url: dead.url, fields: DEFAULT_API_FIELDS, timeoutMs: 1000, maxBytes: 1 << 20 }).collect(new AbortController().signal)).rejects.toThrow(
      /connection refused/,
    );
  });

  it('uses configured field paths', () => {
    const doc = { system: { stats: { p95: '250' } } };
    expect(extractValues(doc, { ...DEFAULT_API_FIELDS, p95DurationMs: ['system.nope', 'system.stats.p95'] }).p95DurationMs).toBe(250);
    expect(lookup({ a: { b: 'x' } }, 'a.b')).toBeUndefined();
    expect(lookup({ a: null }, 'a.b')).toBeUndefined();
  });

  it('parses X-Response-Time forms', () => {
    expect([parseResponseTime('0.234s'), parseResponseTime('12ms'), parseResponseTime('7'), parseResponseTime('500us'), parseResponseTime('fast'), parseResponseTime(null)]).toEqual([
      234, 12, 7, 0.5, null, null,
    ]);
  });
});
