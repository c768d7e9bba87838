// The poller under faults, with real local servers that change behaviour mid-run: each fault
// gives a clear failing state (no throw, no unhandled rejection), backoff, and recovery.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveMetricsConfig } from './config';
import { SourceRunner } from './poller';
import { MetricsService } from './service';
import type { MetricSource } from './source';
import { garbage, huge, promFixture, sequence, slow, startServer, type TestServer } from './testing/http-servers';

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  expect(unhandled).toEqual([]);
});
const serve = async (h: TestServer['handler']) => {
  const s = await startServer(h);
  servers.push(s);
  return s;
};

const healthy = () => sequence([promFixture('prom-client-a.txt'), promFixture('prom-client-b.txt')]);

async function service(target: string, over: Record<string, unknown> = {}) {
  const config = resolveMetricsConfig({ prometheusTargets: [target], intervalMs: 100, timeoutMs: 400, maxResponseBytes: 1024 * 1024, ...over }).config;
  const svc = new MetricsService({ config });
  return svc;
}
const state = (svc: MetricsService) => svc.latest()!.sources[0];

describe('MetricsService faults', () => {
  it.each([
    ['endpoint down', async () => {
      const s = await startServer(() => undefined);
      await s.close();
      return { port: s.port, handler: null };
    }, /connection refused/],
    ['slow beyond the timeout', async () => ({ port: 0, handler: slow(30_000) }), /did not answer within 0\.4 s \(timeout\)/],
    ['50 MB body', async () => ({ port: 0, handler: huge(50 * 1024 * 1024) }), /more than the 1 MB cap; stopped reading/],
    ['garbage body', async () => ({ port: 0, handler: garbage() }), /did not return Prometheus metrics \(line 1: .*the body starts with "<html><body>Welcome to nginx!/],
  ] as const)('%s: failing with a clear message, then recovers', async (_name, make, message) => {
    const fault = await make();
    const s = fault.handler ? await serve(fault.handler) : null;
    const url = s ? `${s.url}/metrics` : `http://127.0.0.1:${fault.port}/metrics`;
    // A short timeout only where the timeout is the fault: on a loaded CI machine the other
    // faults must show their own message, not a timeout.
    const svc = await service(url, { timeoutMs: _name.startsWith('slow') ? 400 : 10_000 });
    await svc.tick(true);
    expect(state(svc)).toMatchObject({ state: 'failing', message: expect.stringMatching(message) });
    expect(state(svc).nextRetryAt).toBeGreaterThan(Date.now() - 1000);
    const api = svc.latest()!.kpis.find((k) => k.id === 'api_p95_ms')!;
    expect(api.status).toBe('unknown');
    expect(api.reason).toMatch(message);
    // The service comes back (same port where possible): two good scrapes give KPIs again.
    if (s) s.handler = healthy();
    else servers.push(await startAt(fault.port, healthy()));
    await svc.tick(true);
    await svc.tick(true);
    expect(state(svc)).toMatchObject({ state: 'ok', message: null });
    expect(svc.latest()!.kpis.find((k) => k.id === 'api_p95_ms')!.value).toBeCloseTo(362.5, 6);
    await svc.stop();
  });

  it('backs off with jitter and opens the circuit after repeated failures', async () => {
    let calls = 0;
    const src: MetricSource<number> = {
      id: 'flaky',
      kind: 'api',
      collect: async () => {
        calls++;
        throw new Error('boom');
      },
    };
    let now = 1_000_000;
    const r = new SourceRunner(src, { timeoutMs: 100, baseBackoffMs: 1000, maxBackoffMs: 8000, failureThreshold: 3, random: () => 1, now: () => now });
    await r.poll();
    expect(r.nextRetryAt).toBe(now + 1000);
    await r.poll(); // backing off: not called
    expect(calls).toBe(1);
    now += 1000;
    await r.poll();
    expect(r.nextRetryAt).toBe(now + 2000);
    now += 2000;
    await r.poll();
    expect(calls).toBe(3);
    expect(r.circuit).toBe('open');
    expect(r.status()).toMatchObject({ state: 'failing', message: 'boom (3 failures in a row; paused, next try in 4 s)', nextRetryAt: now + 4000 });
    now += 100_000;
    await r.poll();
    expect(r.nextRetryAt).toBe(now + 8000); // capped
    const half = new SourceRunner(src, { timeoutMs: 100, baseBackoffMs: 1000, random: () => 0, now: () => now });
    await half.poll();
    expect(half.nextRetryAt).toBe(now + 500); // equal jitter: at least half the delay
  });

  it('keeps one call in flight and times out a source that ignores its signal', async () => {
    let calls = 0;
    const src: MetricSource<number> = { id: 'stuck', kind: 'api', collect: () => (calls++, new Promise<number>(() => undefined)) };
    const r = new SourceRunner(src, { timeoutMs: 100 });
    const a = r.poll();
    const b = r.poll();
    expect(a).toBe(b);
    await a;
    expect(calls).toBe(1);
    expect(r.status()).toMatchObject({ state: 'failing', message: 'stuck did not answer within 0.1 s (timeout)' });
  });

  it('survives sources that throw synchronously, reject with non-errors, or fail to close', async () => {
    const svc = new MetricsService({
      config: resolveMetricsConfig({ prometheusTargets: ['x'], apiUrl: 'http://127.0.0.1:1', intervalMs: 100, timeoutMs: 200 }).config,
      factories: {
        scrape: () => ({ id: 'sync', kind: 'prometheus', collect: () => { throw new Error('sync throw'); }, close: async () => { throw new Error('close'); } }),
        api: () => ({ id: 'weird', kind: 'api', collect: () => Promise.reject({ odd: true }) }),
      },
    });
    await svc.tick(true);
    const r = svc.latest()!;
    expect(r.sources.find((s) => s.id === 'sync')).toMatchObject({ state: 'failing', message: 'sync throw' });
    expect(r.sources.find((s) => s.id === 'weird')).toMatchObject({ state: 'failing', message: '{"odd":true}' });
    await expect(svc.stop()).resolves.toBeUndefined();
  });

  it('a source whose setup throws is shown as failing, the others still run', async () => {
    const svc = new MetricsService({
      config: resolveMetricsConfig({ prometheusTargets: [], postgresUrl: 'postgres://x@h/db', intervalMs: 100, timeoutMs: 200 }).config,
      factories: {
        postgres: () => {
          throw new Error('invalid connection string');
        },
      },
    });
    await svc.tick(true);
    expect(svc.latest()!.sources.find((s) => s.kind === 'postgres')).toMatchObject({ id: 'postgres', state: 'failing', message: 'cannot set up: invalid connection string' });
    await svc.stop();
  });

  it('a garbage body mixed into good lines keeps the source ok with a remark', async () => {
    const bad = (t: string) => t + '\nthis is not a metric line\n';
    const s = await serve(sequence([bad(promFixture('prom-client-a.txt')), bad(promFixture('prom-client-b.txt'))]));
    const svc = await service(`${s.url}/metrics`);
    await svc.tick(true);
    await svc.tick(true);
    expect(state(svc)).toMatchObject({ state: 'ok', message: expect.stringMatching(/1 line\(s\) skipped, first at line \d+: /) });
    expect(svc.latest()!.kpis.find((k) => k.id === 'api_p95_ms')!.value).toBeCloseTo(362.5, 6);
    await svc.stop();
  });
});

async function startAt(port: number, handler: TestServer['handler']): Promise<TestServer> {
  // Re-listen on the port the "down" endpoint had, like a service coming back.
  const { createServer } = await import('node:http');
  const srv = createServer((req, res) => handler(req, res, 0));
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, port, requests: 0, handler, close: () => new Promise((r) => srv.close(() => r())) };
}
