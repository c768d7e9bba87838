// Latencies that follow the guide's Benchmark Results: each route's time is drawn from a
// log-normal distribution whose mean and p95 match the table's "Avg" and "p95" columns.

export interface LatencyProfile {
  avgMs: number;
  p95Ms: number;
}

/** The guide's API table. */
export const API_LATENCY: Record<string, LatencyProfile> = {
  'GET /api/v1/health': { avgMs: 5, p95Ms: 10 },
  'GET /api/v1/pipelines': { avgMs: 45, p95Ms: 120 },
  'POST /api/v1/pipelines/generate': { avgMs: 2500, p95Ms: 8000 },
  'POST /api/v1/pipelines/{id}/run': { avgMs: 150, p95Ms: 400 },
};

const Z95 = 1.6448536269514722;

/**
 * Log-normal parameters with the given mean and p95: mean = e^(μ+σ²/2), p95 = e^(μ+z·σ), so
 * σ solves σ²/2 − zσ + ln(p95/mean) = 0 (the smaller root). Needs p95/mean < e^(z²/2) ≈ 3.87.
 */
export function lognormalFor(p: LatencyProfile): { mu: number; sigma: number } {
  const r = Math.log(p.p95Ms / p.avgMs);
  const disc = Z95 * Z95 - 2 * r;
  if (r <= 0 || disc < 0) throw new Error(`no log-normal has mean ${p.avgMs} and p95 ${p.p95Ms}`);
  const sigma = Z95 - Math.sqrt(disc);
  return { mu: Math.log(p.avgMs) - (sigma * sigma) / 2, sigma };
}

/** One draw, in ms. `rand` is injectable so tests can check the distribution deterministically. */
export function drawLatencyMs(p: LatencyProfile, rand: () => number = Math.random): number {
  const { mu, sigma } = lognormalFor(p);
  // Box–Muller
  const u = Math.max(rand(), Number.MIN_VALUE);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  return Math.exp(mu + sigma * z);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));
