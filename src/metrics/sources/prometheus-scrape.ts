// Scrapes one Prometheus `/metrics` endpoint directly (one source per target URL). The URL's
// fragment, if any, names the service so that several instances can be summed:
// `http://10.0.0.7:8000/metrics#backend`; without one the service is `host:port`.
import { httpGetText } from '../http';
import { parsePrometheusText } from '../prometheus/parse';
import type { Scrape } from '../prometheus/derive';
import { SourceError, type MetricSource } from '../source';

export interface ScrapeSample extends Scrape {
  /** Parse problems worth showing while the source is otherwise fine. */
  warnings: string[];
}

export interface ScrapeOptions {
  timeoutMs: number;
  maxBytes: number;
  maxSeries: number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function describeTarget(target: string): { url: string; service: string; serviceExplicit: boolean; loopback: boolean } {
  try {
    const u = new URL(target);
    const named = decodeURIComponent(u.hash.slice(1));
    u.hash = '';
    return { url: u.toString(), service: named || u.host, serviceExplicit: named !== '', loopback: LOOPBACK.has(u.hostname) };
  } catch {
    return { url: target, service: target, serviceExplicit: false, loopback: false };
  }
}

export function createPrometheusScrapeSource(target: string, opts: ScrapeOptions): MetricSource<ScrapeSample> {
  const { url, service, serviceExplicit, loopback } = describeTarget(target);
  return {
    id: `prometheus:${url}`,
    kind: 'prometheus',
    async collect(signal) {
      const res = await httpGetText(url, {
        signal,
        timeoutMs: opts.timeoutMs,
        maxBytes: opts.maxBytes,
        // Ask for the classic text format only: Python's prometheus_client switches to OpenMetrics
        // whenever the Accept header mentions it, whatever its q. OpenMetrics is parsed anyway.
        headers: { accept: 'text/plain;version=0.0.4' },
      });
      const atMs = Date.now();
      const parsed = parsePrometheusText(res.text, { maxSeries: opts.maxSeries });
      const first = parsed.errors[0];
      if (parsed.samples.length === 0 && first) {
        const start = res.text.replace(/\s+/g, ' ').trim().slice(0, 60);
        throw new SourceError(`${url} did not return Prometheus metrics (line ${first.line}: ${first.message}; the body starts with "${start}")`);
      }
      const warnings: string[] = [];
      if (parsed.errors.length) warnings.push(`${parsed.errors.length} line(s) skipped, first at line ${first!.line}: ${first!.message}`);
      if (parsed.truncated) warnings.push(`more than ${opts.maxSeries} series; the rest was ignored (raise metrics.maxSeries)`);
      return { service, serviceExplicit, instance: url, atMs, loopback, samples: parsed.samples, warnings };
    },
  };
}
