// The backend stand-in (port 8000 by default): the guide's routes with latencies from its
// benchmark table, Prometheus /metrics, the JSON metrics API, real queries when it has a
// Postgres, and admin switches that make KPIs go bad on purpose.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { cpus, totalmem } from 'node:os';
import type pg from 'pg';
import { API_LATENCY, drawLatencyMs, sleep } from '../latency.js';
import { parseChaos, type Chaos } from '../chaos.js';
import { readJson, sendJson } from '../http-util.js';
import type { BackendMetrics } from './metrics.js';
import { poolState } from './db.js';
import { countPipelines, listProjectsWithPipelines, loadAllPipelines, recordRun } from './pipelines-repo.js';
import { RequestLog } from './request-log.js';

export interface BackendDeps {
  metrics: BackendMetrics;
  db: pg.Pool | null;
  llmUrl: string;
  chaos: { get(): Chaos; set(c: Chaos): void };
  load: { get(): { rps: number }; set(rps: number): void };
  /** The gateway's JSON (cache stats, providers) for /api/v1/metrics/llm. */
  llmStats: () => Promise<unknown>;
  rand?: () => number;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

type Handler = (req: IncomingMessage, params: Record<string, string>) => Promise<unknown>;

export function createBackendServer(deps: BackendDeps): Server {
  const rand = deps.rand ?? Math.random;
  const log = new RequestLog();
  const runLog = new RequestLog();
  let inFlight = 0;
  let lastCpu = { at: performance.now(), usage: process.cpuUsage(), pct: 0 };

  deps.metrics.dbPool.reset();
  const pool = () => poolState(deps.db, inFlight);
  // Gauge values are read at scrape time.
  const gauge = deps.metrics.dbPool as unknown as { collect?: () => void };
  gauge.collect = () => {
    const s = pool();
    for (const state of ['size', 'checked_in', 'checked_out', 'overflow'] as const) deps.metrics.dbPool.set({ state }, s[state]);
  };

  const cpuPercent = () => {
    const now = performance.now();
    if (now - lastCpu.at >= 1000) {
      const d = process.cpuUsage(lastCpu.usage);
      lastCpu = { at: now, usage: process.cpuUsage(), pct: ((d.user + d.system) / 1000 / (now - lastCpu.at) / cpus().length) * 100 };
    }
    return Math.round(lastCpu.pct * 100) / 100;
  };

  const api: Array<{ method: string; route: string; re: RegExp; handler: Handler }> = [
    {
      method: 'GET', route: '/api/v1/health', re: /^\/api\/v1\/health$/,
      // Like the guide's 5 ms health check: no database round trip, just the pool's view.
      handler: async () => ({ status: 'ok', database: deps.db ? 'pooled' : 'disabled', llm_gateway: deps.llmUrl }),
    },
    {
      method: 'GET', route: '/api/v1/pipelines', re: /^\/api\/v1\/pipelines$/,
      handler: async () => {
        if (!deps.db) return { items: [], total: 0, simulated: true };
        const projects = await listProjectsWithPipelines(deps.db);
        const items = projects.flatMap((p) => p.pipelines.map((x) => ({ ...x, project_id: p.id, project: p.name })));
        return { items, total: items.length };
      },
    },
    {
      method: 'POST', route: '/api/v1/pipelines/generate', re: /^\/api\/v1\/pipelines\/generate$/,
      handler: async (req) => {
        const body = (await readJson(req).catch((e: Error) => { throw new HttpError(400, e.message); })) as { intent?: string; provider?: string };
        const context = deps.db ? await loadAllPipelines(deps.db) : [];
        const r = await fetch(`${deps.llmUrl}/v1/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: `${body.intent ?? 'Generate SQL query'} (${context.length} pipelines of context)`, provider: body.provider }),
          signal: AbortSignal.timeout(120_000),
        });
        if (!r.ok) throw new HttpError(502, `LLM gateway answered ${r.status}`);
        const out = (await r.json()) as { provider: string; cache: string; tokens: number };
        return { status: 'generated', provider: out.provider, cache: out.cache, tokens: out.tokens, context_pipelines: context.length };
      },
    },
    {
      method: 'POST', route: '/api/v1/pipelines/{id}/run', re: /^\/api\/v1\/pipelines\/(\d+)\/run$/,
      handler: async (_req, params) => {
        const id = Number(params.id);
        if (deps.db && !(await recordRun(deps.db, id))) throw new HttpError(404, `pipeline ${id} not found`);
        return { status: 'queued', pipeline_id: id };
      },
    },
  ];

  const metricsApi: Record<string, () => Promise<unknown>> = {
    '/api/v1/metrics/system': async () => ({
      api: log.stats(),
      cpu_percent: cpuPercent(),
      memory_percent: Math.round((process.memoryUsage().rss / totalmem()) * 10000) / 100,
      database: { status: deps.db ? 'connected' : 'disabled', pool: pool() },
      uptime_seconds: Math.round(process.uptime()),
    }),
    '/api/v1/metrics/pipelines': async () => ({
      total_pipelines: deps.db ? await countPipelines(deps.db) : null,
      runs: runLog.stats(),
    }),
    '/api/v1/metrics/llm': async () => {
      const s = (await deps.llmStats()) as Record<string, unknown> & { providers?: Array<{ p95_duration: number | null }> };
      const p95s = (s.providers ?? []).map((p) => p.p95_duration).filter((v): v is number => v !== null);
      return { cache: s, providers: s.providers ?? [], p95_duration: p95s.length ? Math.max(...p95s) : null };
    },
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const hit = api.find((r) => r.method === req.method && r.re.test(path));
    if (!hit) return false;
    const started = performance.now();
    inFlight++;
    const chaos = deps.chaos.get();
    const target = drawLatencyMs(API_LATENCY[`${hit.method} ${hit.route}`], rand) * chaos.latencyFactor;
    let status = 200;
    let body: unknown;
    try {
      const m = hit.re.exec(path)!;
      body = await hit.handler(req, { id: m[1] ?? '' });
      if (rand() * 100 < chaos.errorRatePct) {
        status = 500;
        body = { error: 'injected failure (chaos errorRatePct)' };
      }
    } catch (e) {
      status = e instanceof HttpError ? e.status : 500;
      body = { error: (e as Error).message };
    }
    await sleep(target - (performance.now() - started));
    inFlight--;
    const ms = performance.now() - started;
    const labels = { method: hit.method, route: hit.route, status_code: String(status) };
    deps.metrics.httpDuration.observe(labels, ms / 1000);
    deps.metrics.httpRequests.inc(labels);
    log.add({ at: Date.now(), route: hit.route, ms, status });
    if (hit.route.endsWith('/run')) runLog.add({ at: Date.now(), route: hit.route, ms, status });
    sendJson(res, status, body, { 'x-response-time': `${(ms / 1000).toFixed(3)}s` });
    return true;
  }

  return createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    try {
      if (await handleApi(req, res, path)) return;
      if (req.method === 'GET' && path === '/metrics') {
        const text = await deps.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
        return res.end(text);
      }
      if (req.method === 'GET' && metricsApi[path]) return sendJson(res, 200, await metricsApi[path]());
      if (path === '/admin/chaos') {
        if (req.method === 'POST') {
          const next = parseChaos(await readJson(req), deps.chaos.get());
          if (typeof next === 'string') return sendJson(res, 400, { error: next });
          deps.chaos.set(next);
        }
        return sendJson(res, 200, deps.chaos.get());
      }
      if (path === '/admin/load') {
        if (req.method === 'POST') {
          const b = (await readJson(req)) as { rps?: unknown };
          if (typeof b.rps !== 'number' || b.rps < 0 || b.rps > 500) return sendJson(res, 400, { error: 'rps must be a number in [0, 500]' });
          deps.load.set(b.rps);
        }
        return sendJson(res, 200, deps.load.get());
      }
      sendJson(res, 404, { error: `no route ${req.method} ${path}` });
    } catch (e) {
      if (!res.headersSent) sendJson(res, 500, { error: (e as Error).message });
    }
  });
}
