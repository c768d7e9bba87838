// Switches that make a KPI go bad on purpose, for demos and the dashboard e2e: slower responses
// (API p95 past the critical 2 s) and injected 5xx errors (error rate past the critical 1 %).

export interface Chaos {
  /** Multiplies every simulated latency (1 = the guide's figures). */
  latencyFactor: number;
  /** Share of requests answered with 500, in percent. */
  errorRatePct: number;
}

export const NORMAL: Chaos = { latencyFactor: 1, errorRatePct: 0.05 };
/**
 * `--slow`: the API p95 lands well above the guide's 2 s critical threshold (×20 puts even
 * GET /pipelines' p95 at 2.4 s and the run route's at 8 s), with margin for a noisy interval.
 */
export const SLOW: Chaos = { latencyFactor: 20, errorRatePct: 0.05 };

export function parseChaos(body: unknown, current: Chaos): Chaos | string {
  if (!body || typeof body !== 'object') return 'expected a JSON object like {"latencyFactor": 8, "errorRatePct": 5}';
  const b = body as Record<string, unknown>;
  const next = { ...current };
  if ('latencyFactor' in b) {
    if (typeof b.latencyFactor !== 'number' || !(b.latencyFactor > 0) || b.latencyFactor > 100) return 'latencyFactor must be a number in (0, 100]';
    next.latencyFactor = b.latencyFactor;
  }
  if ('errorRatePct' in b) {
    if (typeof b.errorRatePct !== 'number' || b.errorRatePct < 0 || b.errorRatePct > 100) return 'errorRatePct must be a number in [0, 100]';
    next.errorRatePct = b.errorRatePct;
  }
  return next;
}
