// Queries a Prometheus server (or Thanos, Mimir, VictoriaMetrics — anything with the
// `/api/v1/query` HTTP API) with PromQL. The server already did the rate()/histogram_quantile()
// work over its window, so one query round gives the KPIs; no second sample is needed.
import type { PromQueries } from '../config';
import { httpGetJson } from '../http';
import { SourceError, errorMessage, type MetricSource } from '../source';

export type PromServerValues = Partial<Record<keyof PromQueries, number | null>>;

export interface PromServerSample {
  atMs: number;
  values: PromServerValues;
  /** Per query: why it gave no value (error, or an empty result). */
  problems: Partial<Record<keyof PromQueries, string>>;
}

export interface PromServerOptions {
  url: string;
  queries: PromQueries;
  window: string;
  timeoutMs: number;
  maxBytes: number;
}

/** The single number of an instant query's result: a scalar or a one-element vector (summed otherwise). */
export function resultValue(json: unknown): { value: number | null; problem?: string } {
  const body = json as { status?: string; error?: string; errorType?: string; data?: { resultType?: string; result?: unknown } };
  if (!body || typeof body !== 'object') return { value: null, problem: 'the answer is not a Prometheus API response' };
  if (body.status !== 'success') return { value: null, problem: `query failed: ${body.errorType ?? 'error'}: ${body.error ?? 'unknown error'}` };
  const data = body.data;
  if (data?.resultType === 'scalar' && Array.isArray(data.result)) return num(data.result[1]);
  if (data?.resultType === 'vector' && Array.isArray(data.result)) {
    if (data.result.length === 0) return { value: null, problem: 'no data (the metric is absent or had no samples in the window)' };
    let sum = 0;
    for (const r of data.result as Array<{ value?: unknown[] }>) {
      const v = num(r?.value?.[1]);
      if (v.value === null) return v;
      sum += v.value;
    }
    return { value: sum };
  }
  return { value: null, problem: `unexpected result type "${data?.resultType}"` };
}

function num(v: unknown): { value: number | null; problem?: string } {
  const n = typeof v === 'string' ? Number(v.trim().replace(/^\+?Inf$/i, 'Infinity')) : NaN;
  if (Number.isNaN(n)) return { value: null, problem: v === 'NaN' ? 'NaN (no requests in the window)' : `not a number: ${String(v).slice(0, 40)}` };
  if (!Number.isFinite(n)) return { value: null, problem: `${v} (all observations above the highest bucket)` };
  return { value: n };
}

export function createPrometheusServerSource(opts: PromServerOptions): MetricSource<PromServerSample> {
  const base = opts.url.replace(/\/+$/, '');
  return {
    id: `prometheus-server:${base}`,
    kind: 'prometheus-server',
    async collect(signal) {
      const entries = Object.entries(opts.queries) as Array<[keyof PromQueries, string]>;
      const values: PromServerValues = {};
      const problems: PromServerSample['problems'] = {};
      let failures = 0;
      let firstFailure: unknown;
      // Sequential: a handful of cheap queries; parallel bursts would only load the server.
      for (const [key, template] of entries) {
        if (!template.trim()) continue;
        const query = template.replace(/\$window/g, opts.window);
        try {
          const { json } = await httpGetJson(`${base}/api/v1/query?query=${encodeURIComponent(query)}`, {
            signal,
            timeoutMs: opts.timeoutMs,
            maxBytes: opts.maxBytes,
          });
          const r = resultValue(json);
          values[key] = r.value;
          if (r.problem) problems[key] = r.problem;
        } catch (err) {
          if (signal.aborted) throw err;
          // A 400 for one bad query answers with JSON errors; keep going with the others.
          failures++;
          firstFailure ??= err;
          values[key] = null;
          problems[key] = errorMessage(err);
        }
      }
      if (failures > 0 && failures === entries.length) throw firstFailure instanceof SourceError ? firstFailure : new SourceError(errorMessage(firstFailure));
      return { atMs: Date.now(), values, problems };
    },
  };
}
