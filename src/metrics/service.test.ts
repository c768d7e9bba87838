import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import client from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveMetricsConfig } from './config';
import { MetricsService, sampleTwice } from './service';
import type { KpiReport } from './types';

const servers: Server[] = [];
const accepts: Array<string | undefined> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A backend exposing real prom-client metrics; `hit()` records one request. */
async function backend() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const h = new client.Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'], registers: [registry] });
  const c = new client.Counter({ name: 'http_requests_total', help: 'c', labelNames: ['method', 'route', 'status_code'], registers: [registry] });
  let scrapes = 0;
  const afterScrape: Array<(n: number) => void> = [];
  const srv = createServer(async (req, res) => {
    if (req.url === '/metrics') {
      accepts.push(req.headers.accept);
      res.setHeader('content-type', registry.contentType);
      res.end(await registry.metrics());
      scrapes++;
      for (const f of afterScrape) f(scrapes);
    } else res.writeHead(404).end();
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/metrics`;
  const hit = (route: string, status: string, seconds: number, n = 1) => {
    for (let i = 0; i < n; i++) {
      h.observe({ method: 'GET', route, status_code: status }, seconds);
      c.inc({ method: 'GET', route, status_code: status });
    }
  };
  return { url, hit, afterScrape };
}

const config = (over: Record<string, unknown>) => resolveMetricsConfig({ intervalMs: 100, timeoutMs: 1000, ...over }).config;

describe('MetricsService against a live prom-client backend', () => {
  it('sampleTwice computes the interval KPIs from two scrapes', async () => {
    const b = await backend();
    b.hit('/api/v1/health', '200', 0.004, 50);
    // Load between the two scrapes only.
    b.afterScrape.push((n) => {
      if (n !== 1) return;
      b.hit('/api/v1/pipelines', '200', 0.04, 95);
      b.hit('/api/v1/pipelines', '500', 0.3, 5);
    });
    const report = await sampleTwice({ config: config({ prometheusTargets: [b.url] }) }, 200);
    const api = report.kpis.find((k) => k.id === 'api_p95_ms')!;
    // Only the 100 requests of the interval: 95 ≤ 50 ms, 5 in (0.25, 0.5]; p95 → 0.025 + 0.025·(95-0)/95 = 50 ms.
    expect(api.value).toBeCloseTo(50, 6);
    expect(api.status).toBe('ok');
    expect(api.source).toBe(`prometheus:${b.url}`);
    const err = report.kpis.find((k) => k.id === 'error_rate_pct')!;
    expect(err.value).toBeCloseTo(5, 9);
    expect(err.status).toBe('critical');
    expect(report.routes.find((r) => r.route === '/api/v1/pipelines')!.errorRatePct).toBeCloseTo(5, 9);
    expect(report.kpis.find((k) => k.id === 'cpu_pct')!.value).not.toBeNull();
    expect(report.kpis.find((k) => k.id === 'memory_pct')!.value).toBeGreaterThan(0);
    const db = report.kpis.find((k) => k.id === 'db_p95_ms')!;
    expect(db.status).toBe('unknown');
    expect(db.reason).toMatch(/db_query_duration_seconds/);
    expect(report.sources.find((s) => s.id === `prometheus:${b.url}`)!.state).toBe('ok');
    expect(report.sources.find((s) => s.id === 'postgres')!.state).toBe('disabled');
    expect(report.version).toBe(1);
    expect(accepts.at(-1)).toBe('text/plain;version=0.0.4');
  });

  it('polls on its own, reports to listeners, keeps history and stops cleanly', async () => {
    const b = await backend();
    const svc = new MetricsService({ config: config({ prometheusTargets: [b.url] }) });
    const reports: KpiReport[] = [];
    const sub = svc.onReport((r) => {
      b.hit('/x', '200', 0.1, 10);
      reports.push(r);
    });
    svc.onReport(() => {
      throw new Error('listener bug');
    });
    svc.start();
    await expect.poll(() => reports.length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    sub.dispose();
    await svc.stop();
    const last = svc.latest()!;
    expect(last.kpis.find((k) => k.id === 'api_p95_ms')!.value).toBeGreaterThan(0);
    expect(last.history!.api_p95_ms!.length).toBeGreaterThanOrEqual(3);
    const n = reports.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(reports.length).toBe(n);
  });

  it('pauses while hidden when hiddenIntervalMs is 0 and resumes when visible', async () => {
    const b = await backend();
    const svc = new MetricsService({ config: config({ prometheusTargets: [b.url] }), hiddenIntervalMs: 0 });
    let count = 0;
    svc.onReport(() => count++);
    svc.start();
    await expect.poll(() => count, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    svc.setVisible(false);
    await new Promise((r) => setTimeout(r, 150));
    const paused = count;
    await new Promise((r) => setTimeout(r, 400));
    expect(count).toBe(paused);
    svc.setVisible(true);
    await expect.poll(() => count, { timeout: 5000 }).toBeGreaterThan(paused);
    await svc.stop();
  });
});
