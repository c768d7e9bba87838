// The contract between the poller (service.ts) and every metric source (Prometheus scrape,
// Prometheus server, platform API, Postgres, Redis). A source is a small object that fetches
// one raw sample; it owns no timing. The poller decides when to call it, aborts it through
// `signal` on timeout/stop, keeps at most one call in flight, and applies backoff and the
// circuit breaker. A source reports failure by throwing (or rejecting) with an Error whose
// message is shown to the user as is, so it must say what failed and what to do.
import type { SourceStatus } from './types';

export interface MetricSource<T> {
  /** Stable id shown in `report.sources` and in each KPI's `source` (e.g. "prometheus:localhost:8000"). */
  readonly id: string;
  readonly kind: SourceStatus['kind'];
  /** Fetch one sample. Must honour `signal` (abort promptly) and must not retain it. */
  collect(signal: AbortSignal): Promise<T>;
  /** Release pools/sockets. Called once when the poller stops or the config changes. */
  close?(): Promise<void>;
}

/** An error whose message is already written for the user (what failed, and what to do). */
export class SourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceError';
  }
}

/** The message to show for anything a source threw, never "[object Object]". */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}
