// A real Prometheus server scrapes the reference platform while we scrape it directly. The KPIs
// our code computes from two direct scrapes (src/metrics/prometheus) must agree with what the
// server's histogram_quantile()/rate() say over the same window.
//
// How the windows are made comparable: traffic runs only between two quiet periods, and each of
// our scrapes is taken in a quiet period after the server has scraped it too. Then the server's
// samples at the window edges equal ours exactly, and
//  - `x - x offset W` at our second scrape's time is our counter delta exactly;
//  - histogram_quantile(rate()) and ratios of rate()s equal ours up to rate()'s extrapolation,
//    which scales every series nearly alike (checked: within one bucket's width, and 10 %);
//  - rate() itself is ours × W/(sampled interval): extrapolation to the window edges assumes
//    the counter kept growing there, so it may exceed ours by at most 2 scrape intervals' worth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpus, totalmem } from 'node:os';
import { startPlatform, type Platform } from '../platform/platform.js';
import { startPrometheus, type PrometheusHandle } from '../support/prometheus.js';
import { sharedPostgres } from '../support/services.js';
import { createPrometheusScrapeSource, type ScrapeSample } from '../../src/metrics/sources/prometheus-scrape.js';
import { derivePrometheus, type PrometheusDerived } from '../../src/metrics/prometheus/derive.js';
import { DEFAULT_METRIC_NAMES } from '../../src/metrics/config.js';

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, Infinity];
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, Infinity];
const SCRAPE_S = 1;

let platform: Platform;
let prom: PrometheusHandle;
let a: ScrapeSample;
let b: ScrapeSample;
let ours: PrometheusDerived;
let windowMs: number;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function promQuery(query: string, atMs: number): Promise<number | null> {
  const u = `${prom.url}/api/v1/query?query=${encodeURIComponent(query)}&time=${(atMs / 1000).toFixed(3)}`;
  const body = (await (await fetch(u)).json()) as { status: string; error?: string; data: { result: Array<{ value: [number, string] }> } };
  if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
  const r = body.data.result;
  if (r.length !== 1) return null;
  return Number(r[0].value[1]);
}

/** Time (ms) of the server's latest scrape of the backend. */
async function lastServerScrapeMs(): Promise<number> {
  const v = await promQuery('timestamp(up{job="backend"})', Date.now());
  return v === null ? 0 : v * 1000;
}

async function waitServerScrapeAfter(ms: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await lastServerScrapeMs()) > ms) return;
    await sleep(100);
  }
  throw new Error('Prometheus did not scrape the backend');
}

const source = () => createPrometheusScrapeSource(`${platform.backendUrl}/metrics#backend`, { timeoutMs: 5000, maxBytes: 10e6, maxSeries: 100_000 });
const total = (s: ScrapeSample) => s.samples.filter((x) => x.name === 'http_requests_total').reduce((acc, x) => acc + x.value, 0);

/** Stops traffic, waits until in-flight requests are done and the server has scraped the quiet state, then scrapes. */
async function quietScrape(): Promise<ScrapeSample> {
  platform.load.setRps(0);
  while (platform.load.inFlight > 0) await sleep(100);
  const src = source();
  let prev = await src.collect(AbortSignal.timeout(5000));
  for (;;) {
    await sleep(600);
    const cur = await src.collect(AbortSignal.timeout(5000));
    if (total(cur) === total(prev)) break;
    prev = cur;
  }
  const quietSince = Date.now();
  await waitServerScrapeAfter(quietSince);
  const s = await src.collect(AbortSignal.timeout(5000));
  await waitServerScrapeAfter(s.atMs); // the server's sample after ours is in the quiet period too
  return s;
}

/** Width of the histogram bucket that holds `v`: the resolution a p95 from buckets has. */
function bucketWidth(v: number, bounds: number[]): number {
  const i = bounds.findIndex((ub) => v <= ub);
  return bounds[i] - (i > 0 ? bounds[i - 1] : 0);
}

beforeAll(async () => {
  platform = await startPlatform({
    backendPort: 0,
    llmPort: 0,
    postgresUrl: sharedPostgres().url('plain'),
    pgSchema: `prom_${process.pid}`,
    loadRps: 0,
    // Faster than the guide so the run is short, with enough errors to measure a ratio.
    chaos: { latencyFactor: 0.3, errorRatePct: 8 },
  });
  const hostPort = (u: string) => new URL(u).host;
  prom = await startPrometheus({ backend: hostPort(platform.backendUrl), 'llm-gateway': hostPort(platform.llmUrl) }, { scrapeInterval: `${SCRAPE_S}s` });
  // Warm-up: every series (route × status) exists before the window opens. A series born inside
  // the window loses its first increment on the server (rate() needs two samples of a series),
  // while a direct-scrape delta counts it: that is a real difference, not the one under test.
  const chaos = platform.chaos;
  // Ten of each, so no series starts the window near zero (rate() limits its extrapolation
  // where a counter would cross zero, which would scale such a series differently).
  for (const errorRatePct of [100, 0]) {
    platform.setChaos({ ...chaos, errorRatePct });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => [
        fetch(`${platform.backendUrl}/api/v1/health`),
        fetch(`${platform.backendUrl}/api/v1/pipelines`),
        fetch(`${platform.backendUrl}/api/v1/pipelines/${i + 1}/run`, { method: 'POST' }),
        i < 2 ? fetch(`${platform.backendUrl}/api/v1/pipelines/generate`, { method: 'POST', body: '{}' }) : null,
      ]).flat(),
    );
  }
  platform.setChaos(chaos);
  platform.load.setRps(40);
  await sleep(3000);
  a = await quietScrape();
  platform.load.setRps(40);
  await sleep(5000);
  b = await quietScrape();
  windowMs = b.atMs - a.atMs;
  ours = derivePrometheus([{ prev: a, cur: b }], { names: DEFAULT_METRIC_NAMES, cpuCores: cpus().length, hostMemoryBytes: totalmem() });
}, 120_000);

afterAll(async () => {
  await prom?.destroy();
  await platform?.stop();
});

describe('our KPIs from two direct scrapes vs a real Prometheus server', () => {
  it('the server saw the same counter delta over the same window (x - x offset W)', async () => {
    const delta = await promQuery(`sum(http_requests_total{job="backend"}) - sum(http_requests_total{job="backend"} offset ${windowMs}ms)`, b.atMs);
    expect(delta).toBe(total(b) - total(a));
    expect(ours.api!.requests).toBe(delta);
    expect(delta).toBeGreaterThan(100);
  });

  it('request rate: equal to the exact delta / W; rate() only adds its edge extrapolation', async () => {
    const exact = await promQuery(`(sum(http_requests_total{job="backend"}) - sum(http_requests_total{job="backend"} offset ${windowMs}ms)) / ${windowMs / 1000}`, b.atMs);
    expect(ours.api!.rps).toBeCloseTo(exact!, 9);
    const rate = await promQuery(`sum(rate(http_requests_total{job="backend"}[${windowMs}ms]))`, b.atMs);
    expect(rate!).toBeGreaterThanOrEqual(ours.api!.rps! * 0.999);
    expect(rate!).toBeLessThanOrEqual((ours.api!.rps! * windowMs) / (windowMs - 2 * SCRAPE_S * 1000));
  });

  it('error rate (5xx share) agrees with rate(5xx) / rate(all)', async () => {
    const ratio = await promQuery(
      `sum(rate(http_requests_total{job="backend",status_code=~"5.."}[${windowMs}ms])) / sum(rate(http_requests_total{job="backend"}[${windowMs}ms]))`,
      b.atMs,
    );
    expect(ours.api!.errorRatePct).toBeGreaterThan(0);
    expect(Math.abs(ours.api!.errorRatePct! / (ratio! * 100) - 1)).toBeLessThan(0.01);
  });

  it('API p95 agrees with histogram_quantile(0.95, sum by (le) (rate(bucket[W]))) within bucket resolution', async () => {
    const server = await promQuery(`histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="backend"}[${windowMs}ms])))`, b.atMs);
    const mine = ours.api!.p95Ms! / 1000;
    expect(Math.abs(mine - server!)).toBeLessThanOrEqual(bucketWidth(server!, HTTP_BUCKETS));
    // rate() extrapolates each bucket series to the window edges, limited where a counter would
    // cross zero, so buckets with small start values scale slightly differently: close, not equal.
    expect(Math.abs(mine / server! - 1)).toBeLessThan(0.1);
  });

  it('per-route p95 (GET /api/v1/pipelines) agrees too', async () => {
    const r = ours.routes.find((x) => x.route === '/api/v1/pipelines' && x.method === 'GET')!;
    const server = await promQuery(
      `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="backend",route="/api/v1/pipelines"}[${windowMs}ms])))`,
      b.atMs,
    );
    expect(Math.abs(r.p95Ms! / 1000 - server!)).toBeLessThanOrEqual(bucketWidth(server!, HTTP_BUCKETS));
    expect(Math.abs(r.p95Ms! / 1000 / server! - 1)).toBeLessThan(0.1);
  });

  it('DB p95 from db_query_duration_seconds agrees with the server', async () => {
    const server = await promQuery(`histogram_quantile(0.95, sum by (le) (rate(db_query_duration_seconds_bucket{job="backend"}[${windowMs}ms])))`, b.atMs);
    expect(ours.db?.p95Ms).not.toBeNull();
    expect(Math.abs(ours.db!.p95Ms! / 1000 - server!)).toBeLessThanOrEqual(bucketWidth(server!, DB_BUCKETS));
    expect(Math.abs(ours.db!.p95Ms! / 1000 / server! - 1)).toBeLessThan(0.1);
  });
});
