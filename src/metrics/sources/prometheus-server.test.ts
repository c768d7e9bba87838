// The PromQL source against a real Prometheus server (Debian `prometheus`) scraping a prom-client
// backend with a known latency distribution: the default queries are valid PromQL and give the
// values the distribution implies.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import client from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type PrometheusHandle } from '../../../test/support/prometheus';
import { DEFAULT_PROM_QUERIES } from '../config';
import { startServer } from '../testing/http-servers';
import { createPrometheusServerSource, resultValue } from './prometheus-server';

let backend: Server;
let prom: PrometheusHandle;
let traffic: NodeJS.Timeout;

beforeAll(async () => {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const h = new client.Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'], registers: [registry] });
  const c = new client.Counter({ name: 'http_requests_total', help: 'c', labelNames: ['method', 'route', 'status_code'], registers: [registry] });
  // Every 50 ms: 9 fast successes and 1 failure, all in the (0.025, 0.05] bucket.
  traffic = setInterval(() => {
    for (let i = 0; i < 10; i++) {
      const status = i === 0 ? '500' : '200';
      h.observe({ method: 'GET', route: '/api/v1/pipelines', status_code: status }, 0.04);
      c.inc({ method: 'GET', route: '/api/v1/pipelines', status_code: status });
    }
  }, 50);
  backend = createServer(async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  prom = await startPrometheus({ backend: `127.0.0.1:${(backend.address() as AddressInfo).port}` }, { scrapeInterval: '1s' });
  // Wait until the server holds enough samples for rate() over the window.
  const enough = async () => {
    const r = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent('count_over_time(http_requests_total[30s])')}`).then((x) => x.json() as Promise<unknown>);
    return (resultValue(r).value ?? 0) >= 8;
  };
  const deadline = Date.now() + 30_000;
  while (!(await enough())) {
    if (Date.now() > deadline) throw new Error('prometheus did not collect samples in 30 s');
    await new Promise((r) => setTimeout(r, 500));
  }
}, 60_000);

afterAll(async () => {
  clearInterval(traffic);
  await prom?.destroy();
  await new Promise((r) => backend?.close(r));
});

describe('prometheus-server source (real Prometheus)', () => {
  it('evaluates the default queries', async () => {
    const src = createPrometheusServerSource({ url: prom.url, queries: DEFAULT_PROM_QUERIES, window: '30s', timeoutMs: 5000, maxBytes: 1 << 20 });
    const s = await src.collect(new AbortController().signal);
    // All observations in (0.025, 0.05]: histogram_quantile gives 0.025 + 0.025 · 0.95.
    expect(s.values.apiP95Seconds).toBeCloseTo(0.04875, 6);
    expect(s.values.apiAvgSeconds).toBeCloseTo(0.04, 6);
    // One in ten requests fails; rate() extrapolation keeps the ratio close to 0.1.
    expect(s.values.errorRatio).toBeGreaterThan(0.07);
    expect(s.values.errorRatio).toBeLessThan(0.13);
    expect(s.values.requestRate).toBeGreaterThan(0); // rate() over a window only partly filled: no exact figure
    expect(s.values.cpuCores).toBeGreaterThanOrEqual(0);
    expect(s.values.residentMemoryBytes).toBeGreaterThan(1e6);
    // Metrics this backend does not have: no value, and why.
    expect(s.values.llmP95Seconds).toBeNull();
    expect(s.problems.llmP95Seconds).toMatch(/no data|NaN/);
    expect(src.id).toBe(`prometheus-server:${prom.url}`);
  });

  it('reports a bad query with the server\'s error and keeps the good ones', async () => {
    const src = createPrometheusServerSource({
      url: prom.url,
      queries: { ...DEFAULT_PROM_QUERIES, apiP95Seconds: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[$window]))', errorRatio: '' },
      window: '30s',
      timeoutMs: 5000,
      maxBytes: 1 << 20,
    });
    const s = await src.collect(new AbortController().signal);
    expect(s.values.apiP95Seconds).toBeNull();
    expect(s.problems.apiP95Seconds).toMatch(/answered HTTP 400.*(parse error|unclosed)/i);
    expect(s.values.apiAvgSeconds).toBeCloseTo(0.04, 6);
    expect('errorRatio' in s.values).toBe(false);
  });

  it('fails with a clear message when the server is down or not Prometheus', async () => {
    const dead = await startServer(() => undefined);
    await dead.close();
    const down = createPrometheusServerSource({ url: dead.url, queries: DEFAULT_PROM_QUERIES, window: '1m', timeoutMs: 1000, maxBytes: 1 << 20 });
    await expect(down.collect(new AbortController().signal)).rejects.toThrow(/connection refused/);
    const html = await startServer((_q, res) => res.writeHead(200).end('<html>grafana login</html>'));
    const notProm = createPrometheusServerSource({ url: html.url, queries: { ...DEFAULT_PROM_QUERIES }, window: '1m', timeoutMs: 1000, maxBytes: 1 << 20 });
    const s = await notProm.collect(new AbortController().signal).catch((e: Error) => e);
    await html.close();
    expect(s).toBeInstanceOf(Error);
    expect((s as Error).message).toMatch(/did not return JSON/);
  });

  it('resultValue reads scalars, vectors and errors', () => {
    expect(resultValue({ status: 'success', data: { resultType: 'scalar', result: [1, '0.5'] } })).toEqual({ value: 0.5 });
    expect(resultValue({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, '2'] }, { value: [1, '3'] }] } })).toEqual({ value: 5 });
    expect(resultValue({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, 'NaN'] }] } }).value).toBeNull();
    expect(resultValue({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, '+Inf'] }] } }).problem).toMatch(/highest bucket/);
    expect(resultValue({ status: 'error', errorType: 'bad_data', error: 'parse error' }).problem).toBe('query failed: bad_data: parse error');
  });
});
