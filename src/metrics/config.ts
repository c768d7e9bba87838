// Configuration of the live metrics: which sources to poll, which metric/label names to read,
// KPI thresholds. Read from the `metrics` section of `.perf-insights.json` (CLI) or built by the
// editor from its settings. Passwords are never part of it: the CLI takes them from the
// environment (PGPASSWORD, REDIS_URL) and the editor from its secret storage.
import { readFileSync } from 'node:fs';
import type { KpiId } from './types';

/** Metric and label names. Defaults fit prom-client and prometheus-fastapi-instrumentator. */
export interface MetricNames {
  /** Request latency histogram (seconds, or milliseconds when the name ends in `_milliseconds`/`_ms`). */
  httpDuration: string;
  /** Request counter; when absent the histogram's `_count` is used. */
  httpRequests: string;
  /** First label present names the route. */
  routeLabels: string[];
  methodLabels: string[];
  /** `"500"` (prom-client `status_code`, `code`) or `"5xx"` (instrumentator `status`). */
  statusLabels: string[];
  /** Routes left out of the KPIs (the scrape endpoint itself). */
  ignoreRoutes: string[];
  dbDuration: string;
  /** Gauge with a state label: checked_out/checked_in/overflow/size (or active/idle/max). */
  dbPool: string;
  dbPoolStateLabel: string;
  llmDuration: string;
  llmTokens: string;
  llmProviderLabel: string;
  llmCacheHits: string;
  /** Label on the hits counter telling exact from semantic hits. */
  llmCacheTypeLabel: string;
  llmCacheMisses: string;
  cpuSeconds: string;
  residentMemory: string;
}

export const DEFAULT_METRIC_NAMES: MetricNames = {
  httpDuration: 'http_request_duration_seconds',
  httpRequests: 'http_requests_total',
  routeLabels: ['route', 'handler', 'path', 'endpoint'],
  methodLabels: ['method'],
  statusLabels: ['status_code', 'status', 'code'],
  ignoreRoutes: ['/metrics'],
  dbDuration: 'db_query_duration_seconds',
  dbPool: 'db_pool_connections',
  dbPoolStateLabel: 'state',
  llmDuration: 'llm_request_duration_seconds',
  llmTokens: 'llm_tokens_total',
  llmProviderLabel: 'provider',
  llmCacheHits: 'llm_cache_hits_total',
  llmCacheTypeLabel: 'type',
  llmCacheMisses: 'llm_cache_misses_total',
  cpuSeconds: 'process_cpu_seconds_total',
  residentMemory: 'process_resident_memory_bytes',
};

/** PromQL for a Prometheus server. `$window` is replaced by the configured range (e.g. 5m). */
export interface PromQueries {
  apiP95Seconds: string;
  apiAvgSeconds: string;
  requestRate: string;
  errorRatio: string;
  dbP95Seconds: string;
  llmP95Seconds: string;
  cacheHitRatio: string;
  cpuCores: string;
  residentMemoryBytes: string;
}

// The guide's "Key Queries" (average response time, request rate, error rate), plus the
// histogram_quantile forms of the p95 KPIs. `status=~"5.."` is the guide's; `5xx` added for
// instrumentator, `status_code` for prom-client; `or vector(0)` so that no errors is 0 %, not "no data".
export const DEFAULT_PROM_QUERIES: PromQueries = {
  apiP95Seconds: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[$window])))',
  apiAvgSeconds: 'sum(rate(http_request_duration_seconds_sum[$window])) / sum(rate(http_request_duration_seconds_count[$window]))',
  requestRate: 'sum(rate(http_requests_total[$window]))',
  errorRatio:
    '(sum(rate(http_requests_total{status=~"5..|5xx"}[$window]) or rate(http_requests_total{status_code=~"5.."}[$window]) or rate(http_requests_total{code=~"5.."}[$window])) or vector(0)) / sum(rate(http_requests_total[$window]))',
  dbP95Seconds: 'histogram_quantile(0.95, sum by (le) (rate(db_query_duration_seconds_bucket[$window])))',
  llmP95Seconds: 'histogram_quantile(0.95, sum by (le) (rate(llm_request_duration_seconds_bucket[$window])))',
  cacheHitRatio: 'sum(rate(llm_cache_hits_total[$window])) / (sum(rate(llm_cache_hits_total[$window])) + sum(rate(llm_cache_misses_total[$window])))',
  cpuCores: 'max(rate(process_cpu_seconds_total[$window]))',
  residentMemoryBytes: 'max(process_resident_memory_bytes)',
};

/**
 * Where each value sits in the platform API's JSON: dotted paths into the document
 * `{ system, pipelines, llm, health }` built from `/api/v1/metrics/system|pipelines|llm` and
 * `/api/v1/health`. Several candidates are tried in order; absent fields are ignored.
 */
export interface ApiFieldPaths {
  /** Average API response time in ms (`get_api_metrics()['avg_duration']`). */
  avgDurationMs: string[];
  p95DurationMs: string[];
  requestsPerMinute: string[];
  /** Error rate in percent. */
  errorRatePct: string[];
  /** Cache hit rate: a ratio ≤ 1 is read as a fraction, above 1 as percent. */
  hitRate: string[];
  exactHits: string[];
  semanticHits: string[];
  misses: string[];
  cacheSizeMb: string[];
  cacheEntries: string[];
  cpuPct: string[];
  memoryPct: string[];
  poolSize: string[];
  poolCheckedIn: string[];
  poolCheckedOut: string[];
  poolOverflow: string[];
  llmP95Ms: string[];
}

export const DEFAULT_API_FIELDS: ApiFieldPaths = {
  avgDurationMs: ['system.api.avg_duration', 'system.avg_duration', 'system.api.avg_response_time'],
  p95DurationMs: ['system.api.p95_duration', 'system.p95_duration', 'system.api.p95_response_time'],
  requestsPerMinute: ['system.api.requests_per_minute', 'system.requests_per_minute'],
  errorRatePct: ['system.api.error_rate', 'system.error_rate'],
  hitRate: ['llm.cache.hit_rate', 'llm.hit_rate', 'system.cache.hit_rate'],
  exactHits: ['llm.cache.exact_hits', 'llm.exact_hits'],
  semanticHits: ['llm.cache.semantic_hits', 'llm.semantic_hits'],
  misses: ['llm.cache.misses', 'llm.misses'],
  cacheSizeMb: ['llm.cache.cache_size_mb', 'llm.cache_size_mb'],
  cacheEntries: ['llm.cache.total_entries', 'llm.total_entries', 'llm.cache.entries'],
  cpuPct: ['system.cpu_percent', 'system.cpu.percent', 'system.cpu_pct'],
  memoryPct: ['system.memory_percent', 'system.memory.percent', 'system.memory_pct'],
  poolSize: ['system.database.pool.size', 'system.pool.size', 'system.db_pool.size'],
  poolCheckedIn: ['system.database.pool.checked_in', 'system.pool.checked_in', 'system.db_pool.checked_in'],
  poolCheckedOut: ['system.database.pool.checked_out', 'system.pool.checked_out', 'system.db_pool.checked_out'],
  poolOverflow: ['system.database.pool.overflow', 'system.pool.overflow', 'system.db_pool.overflow'],
  llmP95Ms: ['llm.p95_duration', 'llm.p95_ms', 'llm.latency.p95_ms'],
};

export interface Thresholds {
  target: number;
  critical: number;
}

export interface MetricsConfig {
  /** `/metrics` URLs. A URL fragment names the service (`http://10.0.0.7:8000/metrics#backend`); same name = summed instances. */
  prometheusTargets: string[];
  prometheusServerUrl?: string;
  /** Range for PromQL `rate()` (default `5m`). */
  prometheusWindow: string;
  apiUrl?: string;
  /** `postgres://user@host:port/db` — no password (PGPASSWORD / the editor's secret storage). */
  postgresUrl?: string;
  /** `redis://host:port[/db]` — no password. */
  redisUrl?: string;
  llmCacheKeyPattern: string;
  names: MetricNames;
  queries: PromQueries;
  apiFields: ApiFieldPaths;
  thresholds: Partial<Record<KpiId, Partial<Thresholds>>>;
  /** Memory limit for the memory KPI; default: host memory for loopback targets, unknown otherwise. */
  memoryLimitBytes?: number;
  /** Cores a process may use, for the CPU KPI (default 1: Node and CPython run one core hot). */
  cpuCores: number;
  /** Poll interval while someone looks (ms). */
  intervalMs: number;
  /** Per-call timeout (ms). */
  timeoutMs: number;
  /** Response size cap (bytes). */
  maxResponseBytes: number;
  /** Series cap per scrape. */
  maxSeries: number;
}

export const DEFAULT_METRICS_CONFIG: MetricsConfig = {
  prometheusTargets: ['http://localhost:8000/metrics', 'http://localhost:8001/metrics'],
  prometheusWindow: '5m',
  llmCacheKeyPattern: 'llm:cache:*',
  names: DEFAULT_METRIC_NAMES,
  queries: DEFAULT_PROM_QUERIES,
  apiFields: DEFAULT_API_FIELDS,
  thresholds: {},
  cpuCores: 1,
  intervalMs: 5000,
  timeoutMs: 5000,
  maxResponseBytes: 10 * 1024 * 1024,
  maxSeries: 50_000,
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Merge a partial config (e.g. the `metrics` section of `.perf-insights.json`) over the defaults.
 * Unknown keys and wrongly typed values are reported in `problems` and ignored, never thrown.
 */
export function resolveMetricsConfig(input: unknown, base: MetricsConfig = DEFAULT_METRICS_CONFIG): { config: MetricsConfig; problems: string[] } {
  const problems: string[] = [];
  const config: MetricsConfig = {
    ...base,
    names: { ...base.names },
    queries: { ...base.queries },
    apiFields: { ...base.apiFields },
    thresholds: { ...base.thresholds },
  };
  if (input === undefined || input === null) return { config, problems };
  if (!isRecord(input)) return { config, problems: ['"metrics" must be an object'] };
  const str = (k: string, v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    problems.push(`metrics.${k} must be a string`);
    return undefined;
  };
  const num = (k: string, v: unknown, min: number): number | undefined => {
    if (typeof v === 'number' && Number.isFinite(v) && v >= min) return v;
    problems.push(`metrics.${k} must be a number ≥ ${min}`);
    return undefined;
  };
  const strList = (k: string, v: unknown): string[] | undefined => {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    problems.push(`metrics.${k} must be a list of strings`);
    return undefined;
  };
  for (const [key, value] of Object.entries(input)) {
    switch (key) {
      case 'prometheusTargets': {
        const v = strList(key, value);
        if (v) config.prometheusTargets = v;
        break;
      }
      case 'prometheusServerUrl':
      case 'apiUrl':
      case 'postgresUrl':
      case 'redisUrl':
      case 'llmCacheKeyPattern':
      case 'prometheusWindow': {
        const v = str(key, value);
        if (v !== undefined) (config as unknown as Record<string, unknown>)[key] = v === '' && key !== 'llmCacheKeyPattern' ? undefined : v;
        if ((key === 'postgresUrl' || key === 'redisUrl') && v && /:\/\/[^/@]*:[^/@]*@/.test(v)) {
          problems.push(`metrics.${key} contains a password; put it in ${key === 'postgresUrl' ? 'PGPASSWORD' : 'REDIS_URL'} instead`);
        }
        break;
      }
      case 'memoryLimitBytes':
      case 'cpuCores':
      case 'intervalMs':
      case 'timeoutMs':
      case 'maxResponseBytes':
      case 'maxSeries': {
        const v = num(key, value, key === 'intervalMs' ? 100 : 1);
        if (v !== undefined) (config as unknown as Record<string, unknown>)[key] = v;
        break;
      }
      case 'names':
      case 'queries':
      case 'apiFields': {
        if (!isRecord(value)) {
          problems.push(`metrics.${key} must be an object`);
          break;
        }
        const target = config[key] as unknown as Record<string, unknown>;
        for (const [k, v] of Object.entries(value)) {
          if (!(k in target)) problems.push(`metrics.${key}.${k} is not a known name (known: ${Object.keys(target).join(', ')})`);
          else if (Array.isArray(target[k])) {
            const list = strList(`${key}.${k}`, typeof v === 'string' ? [v] : v);
            if (list) target[k] = list;
          } else {
            const s = str(`${key}.${k}`, v);
            if (s !== undefined) target[k] = s;
          }
        }
        break;
      }
      case 'thresholds': {
        if (!isRecord(value)) {
          problems.push('metrics.thresholds must be an object');
          break;
        }
        for (const [id, t] of Object.entries(value)) {
          if (!isRecord(t)) {
            problems.push(`metrics.thresholds.${id} must be { "target": n, "critical": n }`);
            continue;
          }
          const entry: Partial<Thresholds> = {};
          if (t.target !== undefined) entry.target = num(`thresholds.${id}.target`, t.target, -Infinity);
          if (t.critical !== undefined) entry.critical = num(`thresholds.${id}.critical`, t.critical, -Infinity);
          config.thresholds[id as KpiId] = entry;
        }
        break;
      }
      default:
        problems.push(`metrics.${key} is not a known setting`);
    }
  }
  return { config, problems };
}

/** Read `metrics` from a `.perf-insights.json`; a missing file gives the defaults. */
export function readMetricsConfigFile(path: string): { config: MetricsConfig; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { config: resolveMetricsConfig(undefined).config, problems: [] };
    return { config: resolveMetricsConfig(undefined).config, problems: [`cannot read ${path}: ${(err as Error).message}`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { config: resolveMetricsConfig(undefined).config, problems: [`${path} is not valid JSON: ${(err as Error).message}`] };
  }
  return resolveMetricsConfig(isRecord(json) ? json.metrics : undefined);
}
