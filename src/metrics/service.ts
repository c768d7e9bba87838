// The poller the dashboard and the CLI use. It owns timing — every source on its own runner (one
// call in flight, timeout, backoff, circuit breaker), a tick every `intervalMs` while someone
// looks and a slower one (or none) while nobody does — and turns the latest samples into a
// KpiReport for its listeners. Nothing escapes it: listener, log and source errors are caught.
import { totalmem } from 'node:os';
import type { MetricsConfig } from './config';
import { KpiHistory } from './kpis';
import { SourceRunner } from './poller';
import type { ScrapePair } from './prometheus/derive';
import { buildReport, type Fed } from './report';
import { errorMessage, type MetricSource } from './source';
import { createPlatformApiSource, type ApiSample } from './sources/platform-api';
import { createPostgresSource, type PostgresSample } from './sources/postgres';
import { createPrometheusScrapeSource, type ScrapeSample } from './sources/prometheus-scrape';
import { createPrometheusServerSource, type PromServerSample } from './sources/prometheus-server';
import { createRedisSource, type RedisSample } from './sources/redis';
import type { KpiReport, SourceStatus } from './types';

export type LogFn = (level: 'info' | 'warn' | 'error', msg: string) => void;

export interface MetricsServiceOptions {
  config: MetricsConfig;
  secrets?: { postgresPassword?: string; redisPassword?: string };
  log?: LogFn;
  /** Poll interval while hidden; 0 pauses polling while hidden (default: 12 × interval, ≥ 60 s). */
  hiddenIntervalMs?: number;
  /** For tests: replace how sources are made. */
  factories?: Partial<SourceFactories>;
}

export interface SourceFactories {
  scrape(target: string, config: MetricsConfig): MetricSource<ScrapeSample>;
  server(url: string, config: MetricsConfig): MetricSource<PromServerSample>;
  api(url: string, config: MetricsConfig): MetricSource<ApiSample>;
  postgres(url: string, config: MetricsConfig, password?: string): MetricSource<PostgresSample>;
  redis(url: string, config: MetricsConfig, password?: string): MetricSource<RedisSample>;
}

export const DEFAULT_FACTORIES: SourceFactories = {
  scrape: (target, c) => createPrometheusScrapeSource(target, { timeoutMs: c.timeoutMs, maxBytes: c.maxResponseBytes, maxSeries: c.maxSeries }),
  server: (url, c) => createPrometheusServerSource({ url, queries: c.queries, window: c.prometheusWindow, timeoutMs: c.timeoutMs, maxBytes: c.maxResponseBytes }),
  api: (url, c) => createPlatformApiSource({ url, fields: c.apiFields, timeoutMs: c.timeoutMs, maxBytes: c.maxResponseBytes }),
  postgres: (url, c, password) => createPostgresSource({ url: withPassword(url, password), connectTimeoutMs: c.timeoutMs, statementTimeoutMs: c.timeoutMs }),
  redis: (url, c, password) => createRedisSource({ url, password, keyPattern: c.llmCacheKeyPattern, connectTimeoutMs: c.timeoutMs, commandTimeoutMs: c.timeoutMs }),
};

/**
 * The password goes into the connection URL handed to `pg` (never into settings or logs): pg lets
 * a connectionString without a password override an explicit `password` option with null.
 */
function withPassword(url: string, password: string | undefined): string {
  if (!password) return url;
  try {
    const u = new URL(url);
    if (u.password) return url;
    u.password = encodeURIComponent(password);
    return u.toString();
  } catch {
    return url;
  }
}

const joinRemarks = (list: string[]): string | null => (list.length ? list.join('; ') : null);

export class MetricsService {
  private readonly config: MetricsConfig;
  private readonly log: LogFn;
  private readonly scrapes: Array<SourceRunner<ScrapeSample>> = [];
  private readonly server: SourceRunner<PromServerSample> | null = null;
  private readonly api: SourceRunner<ApiSample> | null = null;
  private readonly postgres: SourceRunner<PostgresSample> | null = null;
  private readonly redis: SourceRunner<RedisSample> | null = null;
  private readonly disabled: SourceStatus[] = [];
  private readonly listeners = new Set<(r: KpiReport) => void>();
  private readonly history = new KpiHistory();
  private readonly hiddenIntervalMs: number;
  private report: KpiReport | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private visible = true;
  private ticking: Promise<void> | null = null;
  private lastTickAt = 0;

  constructor(opts: MetricsServiceOptions) {
    this.config = opts.config;
    const userLog = opts.log;
    this.log = (level, msg) => {
      try {
        userLog?.(level, msg);
      } catch {
        // A broken logger must not break polling.
      }
    };
    this.hiddenIntervalMs = opts.hiddenIntervalMs ?? Math.max(60_000, this.config.intervalMs * 12);
    const f: SourceFactories = { ...DEFAULT_FACTORIES, ...opts.factories };
    const c = this.config;
    const runner = <T>(make: () => MetricSource<T>, what: string, describe?: (d: T) => string | null): SourceRunner<T> | null => {
      try {
        return new SourceRunner(make(), { timeoutMs: c.timeoutMs + 1000, baseBackoffMs: Math.min(c.intervalMs, 5000) }, describe);
      } catch (err) {
        // e.g. a malformed Postgres URL: shown as a failing source instead of breaking the service.
        const kind = what.split(':')[0] as SourceStatus['kind'];
        this.disabled.push({ id: what, kind, state: 'failing', message: `cannot set up: ${errorMessage(err)}`, nextRetryAt: null });
        return null;
      }
    };
    for (const t of c.prometheusTargets) {
      const r = runner(() => f.scrape(t, c), `prometheus:${t}`, (d) => joinRemarks(d.warnings));
      if (r) this.scrapes.push(r);
    }
    const problems = (d: { problems: unknown }) => (Array.isArray(d.problems) ? joinRemarks(d.problems as string[]) : null);
    const serverProblems = (d: PromServerSample) => {
      const list = Object.entries(d.problems).map(([k, v]) => `${k}: ${v}`);
      return list.length ? `${list.length} quer${list.length === 1 ? 'y' : 'ies'} without a value (${list[0]}${list.length > 1 ? ', …' : ''})` : null;
    };
    this.server = c.prometheusServerUrl ? runner(() => f.server(c.prometheusServerUrl!, c), 'prometheus-server', serverProblems) : null;
    this.api = c.apiUrl ? runner(() => f.api(c.apiUrl!, c), 'api', problems) : null;
    this.postgres = c.postgresUrl ? runner(() => f.postgres(c.postgresUrl!, c, opts.secrets?.postgresPassword), 'postgres', problems) : null;
    this.redis = c.redisUrl ? runner(() => f.redis(c.redisUrl!, c, opts.secrets?.redisPassword), 'redis', problems) : null;
    if (!c.prometheusTargets.length) this.disabled.push(off('prometheus', 'prometheus', 'no /metrics targets configured'));
    if (!c.prometheusServerUrl) this.disabled.push(off('prometheus-server', 'prometheus-server', 'not configured (metrics.prometheusServerUrl / --prometheus-server)'));
    if (!c.apiUrl) this.disabled.push(off('api', 'api', 'not configured (metrics.apiUrl / --api)'));
    if (!c.postgresUrl) this.disabled.push(off('postgres', 'postgres', 'not configured (metrics.postgresUrl / --postgres)'));
    if (!c.redisUrl) this.disabled.push(off('redis', 'redis', 'not configured (metrics.redisUrl / --redis)'));
  }

  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.all(this.runners().map((r) => r.close()));
    this.listeners.clear();
  }

  /** Poll slower (or not at all) while nobody looks; catch up at once when someone does again. */
  setVisible(visible: boolean): void {
    if (this.visible === visible) return;
    this.visible = visible;
    if (!this.running) return;
    if (visible) this.schedule(Math.max(0, this.lastTickAt + this.config.intervalMs - Date.now()));
    else this.schedule(this.currentInterval());
  }

  /** Poll now, retrying failing sources immediately. */
  refresh(): void {
    if (this.stopped) return;
    void this.tick(true);
  }

  onReport(listener: (r: KpiReport) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  latest(): KpiReport | null {
    return this.report;
  }

  /** One round over all sources, then a report. Resolves when done; never rejects. */
  tick(force = false): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = (async () => {
      try {
        this.lastTickAt = Date.now();
        await Promise.all(this.runners().map((r) => r.poll(force)));
        if (this.stopped) return;
        this.report = this.buildReport();
        for (const l of [...this.listeners]) {
          try {
            l(this.report);
          } catch (err) {
            this.log('error', `a KPI report listener failed: ${errorMessage(err)}`);
          }
        }
      } catch (err) {
        this.log('error', `metrics poll failed: ${errorMessage(err)}`);
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  private currentInterval(): number {
    return this.visible ? this.config.intervalMs : this.hiddenIntervalMs;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.running) return;
    if (!this.visible && this.hiddenIntervalMs === 0) return; // paused while hidden
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().then(() => {
        if (this.running && !this.timer) this.schedule(this.currentInterval());
      });
    }, delayMs);
    // Polling alone must never keep a CLI process alive.
    this.timer.unref?.();
  }

  private runners(): Array<SourceRunner<unknown>> {
    const all = [...this.scrapes, this.server, this.api, this.postgres, this.redis] as Array<SourceRunner<unknown> | null>;
    return all.filter((r): r is SourceRunner<unknown> => r !== null);
  }

  private buildReport(): KpiReport {
    const fed = <T>(r: SourceRunner<T> | null): Fed<T> | null =>
      r ? { id: r.source.id, sample: r.fresh ? (r.last?.data ?? null) : null, prev: r.fresh ? (r.prev?.data ?? null) : null, status: r.status() } : null;
    const scrapes = this.scrapes.map((r) => {
      const pair: ScrapePair | null = r.fresh && r.prev && r.last ? { prev: r.prev.data, cur: r.last.data } : null;
      return { id: r.source.id, sample: r.fresh ? r.last?.data ?? null : null, status: r.status(), pair };
    });
    return buildReport({
      config: this.config,
      atMs: Date.now(),
      intervalMs: this.intervalOfData(),
      scrapes,
      server: fed(this.server),
      api: fed(this.api),
      postgres: fed(this.postgres),
      redis: fed(this.redis),
      disabled: this.disabled,
      hostMemoryBytes: totalmem(),
      history: this.history,
    });
  }

  /** The interval the figures cover: the scrape pairs' span, else the poll interval. */
  private intervalOfData(): number {
    const spans = this.scrapes.filter((r) => r.fresh && r.prev && r.last).map((r) => r.last!.data.atMs - r.prev!.data.atMs);
    return spans.length ? Math.round(Math.max(...spans)) : this.config.intervalMs;
  }
}

function off(id: string, kind: SourceStatus['kind'], message: string): SourceStatus {
  return { id, kind, state: 'disabled', message, nextRetryAt: null };
}

/** For the CLI: two rounds `intervalMs` apart, then the report of the second; sources are closed. */
export async function sampleTwice(opts: MetricsServiceOptions, intervalMs: number): Promise<KpiReport> {
  // The report's intervalMs falls back to the configured interval when no scrape pair measures it.
  const service = new MetricsService({ ...opts, config: { ...opts.config, intervalMs } });
  try {
    await service.tick(true);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    await service.tick(true);
    return service.latest()!;
  } finally {
    await service.stop();
  }
}
