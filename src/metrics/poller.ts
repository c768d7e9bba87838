// Runs one MetricSource for the poller: at most one collect() in flight, a timeout on every call,
// exponential backoff with jitter after failures and a circuit breaker that stops calling a source
// that keeps failing until its cool-down has passed (then one trial call decides). poll() never
// rejects; failures become `state: 'failing'` with the source's own message.
import { errorMessage, type MetricSource } from './source';
import type { SourceStatus } from './types';

export interface RunnerOptions {
  timeoutMs: number;
  /** First retry delay after a failure (default 1 s). */
  baseBackoffMs?: number;
  /** Longest delay between retries (default 5 min). */
  maxBackoffMs?: number;
  /** Consecutive failures that open the circuit (default 3). */
  failureThreshold?: number;
  random?: () => number;
  now?: () => number;
}

export interface Collected<T> {
  atMs: number;
  data: T;
}

export type Circuit = 'closed' | 'open' | 'half-open';

export class SourceRunner<T> {
  last: Collected<T> | null = null;
  prev: Collected<T> | null = null;
  /** The last attempt succeeded (data are current). */
  fresh = false;
  failures = 0;
  nextRetryAt: number | null = null;
  message: string | null = null;
  /** Non-fatal remarks from the last successful sample (shown with state ok). */
  remarks: string | null = null;
  circuit: Circuit = 'closed';
  private inFlight: Promise<void> | null = null;
  private controller: AbortController | null = null;
  private closed = false;
  private readonly base: number;
  private readonly max: number;
  private readonly threshold: number;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(
    readonly source: MetricSource<T>,
    private readonly opts: RunnerOptions,
    private readonly describe: (data: T) => string | null = () => null,
  ) {
    this.base = opts.baseBackoffMs ?? 1000;
    this.max = opts.maxBackoffMs ?? 5 * 60_000;
    this.threshold = opts.failureThreshold ?? 3;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
  }

  /** Poll unless a call is in flight (then wait for it) or the source is backing off. */
  poll(force = false): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.closed) return Promise.resolve();
    if (!force && this.nextRetryAt !== null && this.now() < this.nextRetryAt) return Promise.resolve();
    if (this.circuit === 'open') this.circuit = 'half-open';
    this.inFlight = this.run().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async run(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    let timer: NodeJS.Timeout | undefined;
    try {
      // The race guarantees the timeout even for a source that ignores its signal.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const err = new Error(`${this.source.id} did not answer within ${this.opts.timeoutMs / 1000} s (timeout)`);
          controller.abort(err);
          reject(err);
        }, this.opts.timeoutMs);
      });
      const collecting = Promise.resolve().then(() => this.source.collect(controller.signal));
      collecting.catch(() => undefined); // a late rejection after the timeout is not unhandled
      const data = await Promise.race([collecting, timeout]);
      if (this.closed) return;
      this.prev = this.last;
      this.last = { atMs: this.now(), data };
      this.fresh = true;
      this.failures = 0;
      this.nextRetryAt = null;
      this.message = null;
      this.circuit = 'closed';
      try {
        this.remarks = this.describe(data);
      } catch {
        this.remarks = null;
      }
    } catch (err) {
      if (this.closed) return;
      this.fresh = false;
      this.failures++;
      const exp = Math.min(this.max, this.base * 2 ** (this.failures - 1));
      // "Equal jitter": between half and all of the delay, so failing sources do not retry in step.
      const delay = exp / 2 + (exp / 2) * this.random();
      this.nextRetryAt = this.now() + delay;
      const reason = controller.signal.aborted && controller.signal.reason instanceof Error ? controller.signal.reason.message : errorMessage(err);
      if (this.failures >= this.threshold) this.circuit = 'open';
      this.message = this.circuit === 'open' ? `${reason} (${this.failures} failures in a row; paused, next try in ${Math.ceil(delay / 1000)} s)` : reason;
    } finally {
      clearTimeout(timer);
      this.controller = null;
    }
  }

  status(): SourceStatus {
    return {
      id: this.source.id,
      kind: this.source.kind,
      state: this.fresh ? 'ok' : this.failures > 0 ? 'failing' : 'ok',
      message: this.fresh ? this.remarks : this.failures > 0 ? this.message : 'waiting for the first sample',
      nextRetryAt: this.fresh ? null : this.nextRetryAt,
    };
  }

  /** Abort the call in flight and release the source. Never rejects. */
  async close(): Promise<void> {
    this.closed = true;
    this.controller?.abort(new Error('stopped'));
    try {
      await this.source.close?.();
    } catch {
      // Closing is best effort: the source is gone either way.
    }
  }
}
