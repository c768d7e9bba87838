// `--slow` exists so demos and the dashboard e2e can show a critical KPI on purpose: check that
// our own KPI maths (two direct scrapes) really puts the API p95 past the guide's 2 s.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cpus, totalmem } from 'node:os';
import { SLOW } from './chaos.js';
import { startPlatform, type Platform } from './platform.js';
import { createPrometheusScrapeSource } from '../../src/metrics/sources/prometheus-scrape.js';
import { derivePrometheus } from '../../src/metrics/prometheus/derive.js';
import { DEFAULT_METRIC_NAMES } from '../../src/metrics/config.js';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform({ backendPort: 0, llmPort: 0, loadRps: 20, chaos: SLOW });
});
afterAll(async () => platform?.stop());

it('API p95 over an interval is critical (> 2 s) in slow mode', async () => {
  const src = createPrometheusScrapeSource(`${platform.backendUrl}/metrics#backend`, { timeoutMs: 5000, maxBytes: 10e6, maxSeries: 100_000 });
  // Let slow requests start finishing, so the interval sees the steady-state mix, not only the fast ones.
  await new Promise((r) => setTimeout(r, 8000));
  const a = await src.collect(AbortSignal.timeout(5000));
  await new Promise((r) => setTimeout(r, 8000));
  const b = await src.collect(AbortSignal.timeout(5000));
  const d = derivePrometheus([{ prev: a, cur: b }], { names: DEFAULT_METRIC_NAMES, cpuCores: cpus().length, hostMemoryBytes: totalmem() });
  expect(d.api!.requests).toBeGreaterThan(50);
  expect(d.api!.p95Ms).toBeGreaterThan(2000);
}, 60_000);
