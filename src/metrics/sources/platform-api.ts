// The platform's own JSON metrics API (the guide's "Metrics Service"):
//   GET /api/v1/metrics/system, /api/v1/metrics/pipelines, /api/v1/metrics/llm, /api/v1/health
// The answers are combined into one document `{ system, pipelines, llm, health }` and each value
// is looked up by the dotted paths of `ApiFieldPaths` (first path present wins; absent fields are
// simply not reported). `/api/v1/health` is also timed, and its `X-Response-Time` header read.
import type { ApiFieldPaths } from '../config';
import { httpGetJson } from '../http';
import { SourceError, errorMessage, type MetricSource } from '../source';

export type ApiValues = Partial<Record<keyof ApiFieldPaths, number>>;

export interface ApiSample {
  atMs: number;
  values: ApiValues;
  /** Round trip of GET /api/v1/health, ms. */
  healthRoundTripMs: number | null;
  /** The server's own `X-Response-Time` for that request, ms. */
  healthServerMs: number | null;
  /** Endpoints that failed while others answered. */
  problems: string[];
}

export interface ApiOptions {
  url: string;
  fields: ApiFieldPaths;
  timeoutMs: number;
  maxBytes: number;
}

export const API_ENDPOINTS = {
  system: '/api/v1/metrics/system',
  pipelines: '/api/v1/metrics/pipelines',
  llm: '/api/v1/metrics/llm',
  health: '/api/v1/health',
} as const;

/** Value at a dotted path; numbers and numeric strings only. */
export function lookup(doc: unknown, path: string): number | undefined {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (typeof cur === 'number' && Number.isFinite(cur)) return cur;
  if (typeof cur === 'string' && cur.trim() !== '' && Number.isFinite(Number(cur.replace(/%$/, '')))) return Number(cur.replace(/%$/, ''));
  return undefined;
}

export function extractValues(doc: unknown, fields: ApiFieldPaths): ApiValues {
  const out: ApiValues = {};
  for (const [key, paths] of Object.entries(fields) as Array<[keyof ApiFieldPaths, string[]]>) {
    for (const p of paths) {
      const v = lookup(doc, p);
      if (v !== undefined) {
        out[key] = v;
        break;
      }
    }
  }
  return out;
}

/** "0.234s", "234ms", "234" (ms) → ms. */
export function parseResponseTime(header: string | null): number | null {
  if (!header) return null;
  const m = /^\s*([\d.]+(?:e[+-]?\d+)?)\s*(ms|s|us|µs)?\s*$/i.exec(header);
  if (!m) return null;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return null;
  const unit = (m[2] ?? 'ms').toLowerCase();
  return unit === 's' ? n * 1000 : unit === 'ms' ? n : n / 1000;
}

export function createPlatformApiSource(opts: ApiOptions): MetricSource<ApiSample> {
  const base = opts.url.replace(/\/+$/, '');
  return {
    id: `api:${base}`,
    kind: 'api',
    async collect(signal) {
      const http = { signal, timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes };
      const doc: Record<string, unknown> = {};
      const problems: string[] = [];
      let healthRoundTripMs: number | null = null;
      let healthServerMs: number | null = null;
      let answered = 0;
      let firstError: unknown;
      for (const [key, path] of Object.entries(API_ENDPOINTS)) {
        const started = performance.now();
        try {
          const { json, headers } = await httpGetJson(base + path, http);
          answered++;
          doc[key] = json;
          if (key === 'health') {
            healthRoundTripMs = performance.now() - started;
            healthServerMs = parseResponseTime(headers.get('x-response-time'));
          }
        } catch (err) {
          if (signal.aborted) throw err;
          firstError ??= err;
          problems.push(errorMessage(err));
        }
      }
      if (answered === 0) throw firstError instanceof SourceError ? firstError : new SourceError(errorMessage(firstError));
      return { atMs: Date.now(), values: extractValues(doc, opts.fields), healthRoundTripMs, healthServerMs, problems };
    },
  };
}
