// From two direct scrapes of each target to the platform's numbers: per-route rate, error rate,
// average and p95 latency; overall API, DB and LLM p95; LLM cache hits; process CPU and memory;
// DB pool use. Instances of one service (same service name) are summed, like `sum by (…)`.
import type { MetricNames } from '../config';
import type { LlmProvider, RouteStats } from '../types';
import type { Sample } from './parse';
import {
  counterDeltas,
  histogramDeltas,
  histogramMean,
  histogramQuantile,
  indexSamples,
  sumHistograms,
  type HistogramSeries,
  type SampleIndex,
} from './math';

export interface Scrape {
  /** Service name: from the target URL's fragment (explicit) or its host:port (fallback). */
  service: string;
  /** The name came from the URL; otherwise a `service`/`job` label on the series wins. */
  serviceExplicit?: boolean;
  /** The target URL (one instance). */
  instance: string;
  atMs: number;
  samples: Sample[];
  /** Loopback targets may use the host's memory as the memory limit. */
  loopback: boolean;
}

export interface ScrapePair {
  prev: Scrape;
  cur: Scrape;
}

export interface LatencySummary {
  p95Ms: number | null;
  avgMs: number | null;
  observations: number;
}

export interface PrometheusDerived {
  routes: RouteStats[];
  /** All routes of all services, except ignored ones. null: no HTTP metrics found. */
  api: (LatencySummary & { rps: number | null; requests: number; errors: number | null; errorRatePct: number | null }) | null;
  db: LatencySummary | null;
  llm: { overall: LatencySummary; providers: LlmProvider[] } | null;
  cache: { exactHits: number; semanticHits: number; misses: number; hitRatePct: number | null } | null;
  cpu: { pct: number; instance: string } | null;
  memory: { pct: number | null; bytes: number; instance: string; reason?: string } | null;
  pool: { used: number; total: number; pct: number } | null;
}

interface Options {
  names: MetricNames;
  cpuCores: number;
  memoryLimitBytes?: number;
  hostMemoryBytes: number;
}

const firstLabel = (labels: Record<string, string>, names: string[]): string | undefined => {
  for (const n of names) if (labels[n] !== undefined) return labels[n];
  return undefined;
};

/** 5xx in either form: "503" (prom-client, `code`) or "5xx" (instrumentator). */
export const isServerError = (status: string | undefined): boolean => status !== undefined && /^5(\d\d|xx)$/i.test(status.trim());

/** Factor from the histogram's unit to milliseconds, from its name. */
export const toMsFactor = (metric: string): number => (/_(milliseconds|ms)(_|$)/.test(metric) ? 1 : 1000);

function latency(h: HistogramSeries, factor: number): LatencySummary {
  const p95 = histogramQuantile(0.95, h.buckets);
  const mean = histogramMean(h);
  const finite = (v: number | null) => (v !== null && Number.isFinite(v) ? v : null);
  return {
    p95Ms: finite(p95 === null ? null : p95 * factor),
    avgMs: finite(mean === null ? null : mean * factor),
    observations: h.count ?? 0,
  };
}

interface PairIndex {
  pair: ScrapePair;
  prev: SampleIndex;
  cur: SampleIndex;
  seconds: number;
}

/**
 * Samples the maths can use: NaN/±Inf carry no count, and beyond 2^53 a double no longer holds
 * an exact integer, so differences of such counters mean nothing (and sums could overflow).
 */
const usable = (samples: readonly Sample[]): Sample[] => samples.filter((s) => Number.isFinite(s.value) && Math.abs(s.value) <= Number.MAX_SAFE_INTEGER);

export function derivePrometheus(pairs: readonly ScrapePair[], opts: Options): PrometheusDerived {
  const n = opts.names;
  const indexed: PairIndex[] = pairs
    .map((pair) => ({ pair, prev: indexSamples(usable(pair.prev.samples)), cur: indexSamples(usable(pair.cur.samples)), seconds: (pair.cur.atMs - pair.prev.atMs) / 1000 }))
    .filter((p) => p.seconds > 0);
  return {
    ...deriveHttp(indexed, n),
    db: deriveHistogramOverall(indexed, n.dbDuration),
    llm: deriveLlm(indexed, n),
    cache: deriveCache(indexed, n),
    cpu: deriveCpu(indexed, n, opts.cpuCores),
    memory: deriveMemory(indexed, n, opts),
    pool: derivePool(indexed, n),
  };
}

interface RouteAcc {
  service: string;
  route: string;
  method: string;
  hist: HistogramSeries[];
  rps: number;
  requests: number;
  errors: number;
  hasCounter: boolean;
  hasStatus: boolean;
}

function deriveHttp(pairs: PairIndex[], n: MetricNames): Pick<PrometheusDerived, 'routes' | 'api'> {
  const routes = new Map<string, RouteAcc>();
  const acc = (service: string, labels: Record<string, string>): RouteAcc | null => {
    const route = firstLabel(labels, n.routeLabels) ?? '(all)';
    if (n.ignoreRoutes.includes(route)) return null;
    const method = firstLabel(labels, n.methodLabels) ?? '*';
    const key = `${service}\u0000${route}\u0000${method}`;
    let a = routes.get(key);
    if (!a) routes.set(key, (a = { service, route, method, hist: [], rps: 0, requests: 0, errors: 0, hasCounter: false, hasStatus: false }));
    return a;
  };
  const factor = toMsFactor(n.httpDuration);
  for (const p of pairs) {
    const cur = p.pair.cur;
    // prom-client's default labels / a Prometheus job label name the service better than host:port.
    const serviceOf = (labels: Record<string, string>) => (cur.serviceExplicit ? cur.service : (labels.service ?? labels.job ?? cur.service));
    const hists = histogramDeltas(p.prev, p.cur, n.httpDuration);
    const counters = counterDeltas(p.prev, p.cur, n.httpRequests);
    for (const h of hists) {
      const a = acc(serviceOf(h.labels), h.labels);
      if (!a) continue;
      a.hist.push(h);
      if (counters.length === 0) {
        // No request counter: the histogram's count is the request count.
        const c = h.count ?? 0;
        a.requests += c;
        a.rps += c / p.seconds;
        const status = firstLabel(h.labels, n.statusLabels);
        if (status !== undefined) {
          a.hasStatus = true;
          if (isServerError(status)) a.errors += c;
        }
      }
    }
    for (const c of counters) {
      const a = acc(serviceOf(c.labels), c.labels);
      if (!a) continue;
      a.hasCounter = true;
      a.requests += c.increase;
      a.rps += c.increase / p.seconds;
      const status = firstLabel(c.labels, n.statusLabels);
      if (status !== undefined) {
        a.hasStatus = true;
        if (isServerError(status)) a.errors += c.increase;
      }
    }
  }
  const list = [...routes.values()];
  if (list.length === 0) return { routes: [], api: null };
  const out: RouteStats[] = list
    .map((a) => {
      const l = a.hist.length ? latency(sumHistograms(a.hist), factor) : null;
      return {
        service: a.service,
        route: a.route,
        method: a.method,
        rps: a.rps,
        p95Ms: l?.p95Ms ?? null,
        avgMs: l?.avgMs ?? null,
        errorRatePct: a.hasStatus && a.requests > 0 ? (a.errors / a.requests) * 100 : null,
      };
    })
    .sort((x, y) => (y.rps ?? 0) - (x.rps ?? 0) || x.route.localeCompare(y.route));
  const all = sumHistograms(list.flatMap((a) => a.hist));
  const requests = list.reduce((s, a) => s + a.requests, 0);
  const withStatus = list.filter((a) => a.hasStatus);
  const statusRequests = withStatus.reduce((s, a) => s + a.requests, 0);
  const errors = withStatus.length ? withStatus.reduce((s, a) => s + a.errors, 0) : null;
  return {
    routes: out,
    api: {
      ...latency(all, factor),
      rps: list.reduce((s, a) => s + a.rps, 0),
      requests,
      errors,
      errorRatePct: errors !== null && statusRequests > 0 ? (errors / statusRequests) * 100 : null,
    },
  };
}

function deriveHistogramOverall(pairs: PairIndex[], metric: string): LatencySummary | null {
  const deltas = pairs.flatMap((p) => histogramDeltas(p.prev, p.cur, metric));
  if (deltas.length === 0) return null;
  return latency(sumHistograms(deltas), toMsFactor(metric));
}

function deriveLlm(pairs: PairIndex[], n: MetricNames): PrometheusDerived['llm'] {
  const deltas = pairs.flatMap((p) => histogramDeltas(p.prev, p.cur, n.llmDuration));
  if (deltas.length === 0) return null;
  const factor = toMsFactor(n.llmDuration);
  const tokens = new Map<string, number>();
  for (const p of pairs) {
    for (const c of counterDeltas(p.prev, p.cur, n.llmTokens)) {
      const provider = c.labels[n.llmProviderLabel] ?? '(all)';
      tokens.set(provider, (tokens.get(provider) ?? 0) + c.increase);
    }
  }
  const byProvider = new Map<string, HistogramSeries[]>();
  for (const h of deltas) {
    const provider = h.labels[n.llmProviderLabel] ?? '(all)';
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), h]);
  }
  const providers: LlmProvider[] = [...byProvider]
    .map(([provider, hs]) => {
      const sum = sumHistograms(hs);
      const l = latency(sum, factor);
      const t = tokens.get(provider);
      // Tokens per second as in the guide's table: tokens generated over the time spent answering.
      // The histogram cannot tell cache hits from provider calls, so hits count as answering time
      // (a lower bound); an interval without generated tokens has no figure rather than 0.
      const busySeconds = sum.sum !== null ? (sum.sum * factor) / 1000 : null;
      return { provider, p95Ms: l.p95Ms, avgMs: l.avgMs, tokensPerSec: t && busySeconds ? t / busySeconds : null };
    })
    .sort((a, b) => a.provider.localeCompare(b.provider));
  return { overall: latency(sumHistograms(deltas), factor), providers };
}

function deriveCache(pairs: PairIndex[], n: MetricNames): PrometheusDerived['cache'] {
  let exact = 0;
  let semantic = 0;
  let misses = 0;
  let seen = false;
  for (const p of pairs) {
    for (const c of counterDeltas(p.prev, p.cur, n.llmCacheHits)) {
      seen = true;
      if ((c.labels[n.llmCacheTypeLabel] ?? 'exact') === 'semantic') semantic += c.increase;
      else exact += c.increase;
    }
    for (const c of counterDeltas(p.prev, p.cur, n.llmCacheMisses)) {
      seen = true;
      misses += c.increase;
    }
  }
  if (!seen) return null;
  const total = exact + semantic + misses;
  return { exactHits: exact, semanticHits: semantic, misses, hitRatePct: total > 0 ? ((exact + semantic) / total) * 100 : null };
}

/** The busiest instance: a KPI about saturation is about the hottest process, not the average. */
function deriveCpu(pairs: PairIndex[], n: MetricNames, cores: number): PrometheusDerived['cpu'] {
  let best: PrometheusDerived['cpu'] = null;
  for (const p of pairs) {
    const [c] = counterDeltas(p.prev, p.cur, n.cpuSeconds);
    if (!c) continue;
    const pct = (c.increase / p.seconds / cores) * 100;
    if (!best || pct > best.pct) best = { pct, instance: p.pair.cur.instance };
  }
  return best;
}

function deriveMemory(pairs: PairIndex[], n: MetricNames, opts: Options): PrometheusDerived['memory'] {
  let best: PrometheusDerived['memory'] = null;
  for (const p of pairs) {
    const rss = p.cur.get(n.residentMemory)?.[0]?.value;
    if (rss === undefined || !Number.isFinite(rss)) continue;
    const limit = opts.memoryLimitBytes ?? (p.pair.cur.loopback ? opts.hostMemoryBytes : undefined);
    const pct = limit ? (rss / limit) * 100 : null;
    const entry = {
      pct,
      bytes: rss,
      instance: p.pair.cur.instance,
      reason: limit ? undefined : 'the memory limit of a remote process is unknown; set metrics.memoryLimitBytes',
    };
    if (!best || (pct ?? -1) > (best.pct ?? -1)) best = entry;
  }
  return best;
}

/**
 * Pool use from a gauge with a state label, SQLAlchemy style (size / checked_in / checked_out /
 * overflow, utilisation = checked_out / (size + overflow) as in the guide) or active/idle(/max).
 */
function derivePool(pairs: PairIndex[], n: MetricNames): PrometheusDerived['pool'] {
  let used = 0;
  let total = 0;
  let seen = false;
  for (const p of pairs) {
    const byState = new Map<string, number>();
    for (const s of p.cur.get(n.dbPool) ?? []) {
      const state = s.labels[n.dbPoolStateLabel];
      if (state !== undefined && Number.isFinite(s.value)) byState.set(state, (byState.get(state) ?? 0) + s.value);
    }
    if (byState.size === 0) continue;
    const get = (...keys: string[]) => keys.reduce((sum, k) => sum + (byState.get(k) ?? 0), 0);
    const u = get('checked_out', 'active', 'used', 'busy', 'in_use');
    const overflow = Math.max(0, get('overflow'));
    const size = byState.has('size') ? get('size') + overflow : byState.has('max') ? get('max') : u + get('checked_in', 'idle', 'free');
    seen = true;
    used += u;
    total += size;
  }
  if (!seen || total <= 0) return null;
  return { used, total, pct: (used / total) * 100 };
}
