import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_NAMES } from '../config';
import { parsePrometheusText } from './parse';
import { derivePrometheus, isServerError, type Scrape } from './derive';

const FIX = join(__dirname, '../../../test/fixtures/prometheus');
const scrape = (file: string, atMs: number, service = 'svc', instance = 'http://127.0.0.1:1/metrics'): Scrape => ({
  service,
  instance,
  atMs,
  loopback: true,
  samples: parsePrometheusText(readFileSync(join(FIX, file), 'utf8')).samples,
});
const opts = { names: DEFAULT_METRIC_NAMES, cpuCores: 1, hostMemoryBytes: 8 * 1024 ** 3 };

describe('derivePrometheus on prom-client scrapes', () => {
  for (const suffix of ['', '-openmetrics']) {
    it(`computes per-route and overall KPIs from bucket deltas (${suffix || '0.0.4'})`, () => {
      const d = derivePrometheus([{ prev: scrape(`prom-client-a${suffix}.txt`, 0), cur: scrape(`prom-client-b${suffix}.txt`, 10_000) }], opts);
      const list = d.routes.find((r) => r.route === '/api/v1/pipelines' && r.method === 'GET')!;
      // Interval: 90 × 40 ms + 10 × 300 ms. p95: rank 95 in (0.25, 0.5] holding 10 → 375 ms.
      expect(list.p95Ms).toBeCloseTo(375, 6);
      expect(list.avgMs).toBeCloseTo(66, 6);
      expect(list.rps).toBeCloseTo(10, 9);
      expect(list.errorRatePct).toBe(0);
      const gen = d.routes.find((r) => r.route === '/api/v1/pipelines/generate')!;
      expect(gen.errorRatePct).toBeCloseTo(20, 9);
      // Overall 310 requests; rank 294.5 lands in (0.25, 0.5] (290 below, 10 inside).
      expect(d.api!.p95Ms).toBeCloseTo(362.5, 6);
      expect(d.api!.requests).toBe(310);
      expect(d.api!.errorRatePct).toBeCloseTo((2 / 310) * 100, 9);
      expect(d.api!.rps).toBeCloseTo(31, 9);
      expect(d.routes[0].route).toBe('/api/v1/health');
      const b = parsePrometheusText(readFileSync(join(FIX, `prom-client-b${suffix}.txt`), 'utf8')).samples;
      const a = parsePrometheusText(readFileSync(join(FIX, `prom-client-a${suffix}.txt`), 'utf8')).samples;
      const cpu = (s: typeof a) => s.find((x) => x.name === 'process_cpu_seconds_total')!.value;
      expect(d.cpu!.pct).toBeCloseTo(((cpu(b) - cpu(a)) / 10) * 100, 9);
      const rss = b.find((x) => x.name === 'process_resident_memory_bytes')!.value;
      expect(d.memory!.pct).toBeCloseTo((rss / opts.hostMemoryBytes) * 100, 9);
      expect(d.llm).toBeNull();
      expect(d.db).toBeNull();
    });
  }

  it('sums two instances of one service', () => {
    const d = derivePrometheus(
      [
        { prev: scrape('prom-client-a.txt', 0, 'backend', 'i1'), cur: scrape('prom-client-b.txt', 10_000, 'backend', 'i1') },
        { prev: scrape('prom-client-a.txt', 0, 'backend', 'i2'), cur: scrape('prom-client-b.txt', 10_000, 'backend', 'i2') },
      ],
      opts,
    );
    const list = d.routes.find((r) => r.route === '/api/v1/pipelines' && r.method === 'GET')!;
    expect(list.rps).toBeCloseTo(20, 9);
    expect(list.p95Ms).toBeCloseTo(375, 6); // same distribution, same quantile
    expect(d.api!.requests).toBe(620);
  });

  it('handles a restart between scrapes like rate(): the new values are the increase', () => {
    const d = derivePrometheus([{ prev: scrape('prom-client-b.txt', 0), cur: scrape('prom-client-a.txt', 10_000) }], opts);
    expect(d.api!.requests).toBe(150);
    expect(d.routes.find((r) => r.route === '/api/v1/pipelines')!.avgMs).toBeCloseTo(40, 6);
  });
});

describe('derivePrometheus on prometheus_client (instrumentator names)', () => {
  for (const suffix of ['', '-openmetrics']) {
    it(`reads handler/status="5xx", LLM providers and cache (${suffix || '0.0.4'})`, () => {
      const d = derivePrometheus([{ prev: scrape(`python-a${suffix}.txt`, 0), cur: scrape(`python-b${suffix}.txt`, 60_000) }], opts);
      expect(d.api!.requests).toBe(400);
      expect(d.api!.errorRatePct).toBeCloseTo(1.25, 9);
      // Buckets 0.1/0.5/1: 300 ≤ 0.1, 95 in (0.1,0.5], 5 in (0.5,1]; rank 380 → 0.1 + 0.4·80/95.
      expect(d.api!.p95Ms).toBeCloseTo((0.1 + (0.4 * 80) / 95) * 1000, 6);
      const pipelines = d.routes.filter((r) => r.route === '/api/v1/pipelines');
      expect(pipelines).toHaveLength(1);
      expect(pipelines[0].errorRatePct).toBeCloseTo(5, 9);
      const gpt = d.llm!.providers.find((p) => p.provider === 'gpt-4-turbo')!;
      expect(gpt.p95Ms).toBeCloseTo(4850, 6);
      expect(gpt.avgMs).toBeCloseTo(4500, 6);
      expect(gpt.tokensPerSec).toBeCloseTo(35, 6);
      const local = d.llm!.providers.find((p) => p.provider === 'local-qwen2')!;
      expect(local.p95Ms).toBeCloseTo(1950, 6);
      expect(local.tokensPerSec).toBeCloseTo(25, 6);
      expect(d.cache).toEqual({ exactHits: 30, semanticHits: 40, misses: 30, hitRatePct: 70 });
    });
  }
});

describe('pool and helpers', () => {
  it('reads SQLAlchemy-style pool states (utilisation = checked_out / (size + overflow))', () => {
    const s = (text: string, atMs: number): Scrape => ({ service: 's', instance: 'i', atMs, loopback: false, samples: parsePrometheusText(text).samples });
    const text = 'db_pool_connections{state="size"} 10\ndb_pool_connections{state="checked_out"} 9\ndb_pool_connections{state="checked_in"} 1\ndb_pool_connections{state="overflow"} 2\nprocess_resident_memory_bytes 100\n';
    const d = derivePrometheus([{ prev: s(text, 0), cur: s(text, 1000) }], opts);
    expect(d.pool).toEqual({ used: 9, total: 12, pct: 75 });
    expect(d.memory!.pct).toBeNull();
    expect(d.memory!.reason).toMatch(/memoryLimitBytes/);
    expect(d.api).toBeNull();
  });
  it('gives no tokens/s for a provider that generated no tokens in the interval (all cache hits)', () => {
    const s = (text: string, atMs: number): Scrape => ({ service: 's', instance: 'i', atMs, loopback: true, samples: parsePrometheusText(text).samples });
    const h = (n: number) =>
      `llm_request_duration_seconds_bucket{provider="p",le="1"} ${n}\nllm_request_duration_seconds_bucket{provider="p",le="+Inf"} ${n}\nllm_request_duration_seconds_sum{provider="p"} ${n * 0.01}\nllm_request_duration_seconds_count{provider="p"} ${n}\nllm_tokens_total{provider="p"} 40\n`;
    const d = derivePrometheus([{ prev: s(h(2), 0), cur: s(h(5), 1000) }], opts);
    expect(d.llm!.providers).toEqual([{ provider: 'p', p95Ms: expect.any(Number), avgMs: expect.closeTo(10, 6), tokensPerSec: null }]);
  });

  it('recognises 5xx in both label styles', () => {
    expect(['500', '503', '5xx', '5XX'].every(isServerError)).toBe(true);
    expect(['200', '404', '2xx', '50', undefined].some(isServerError)).toBe(false);
  });
});
