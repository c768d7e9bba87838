// The guide's LLM Performance table: average response time, cache hit rate and tokens/s per
// provider. p95 is not in the table; 1.6 × the average is assumed (a typical LLM tail).
import type { LatencyProfile } from '../latency.js';

export interface Provider extends LatencyProfile {
  name: string;
  cacheHitRate: number;
  tokensPerSec: number;
  /** Share of traffic the router sends here. */
  weight: number;
}

const p95 = (avgMs: number) => Math.round(avgMs * 1.6);

export const PROVIDERS: Provider[] = [
  { name: 'Qwen3-Coder-30B', avgMs: 3200, p95Ms: p95(3200), cacheHitRate: 0.73, tokensPerSec: 45, weight: 0.4 },
  { name: 'GPT-4-Turbo', avgMs: 4500, p95Ms: p95(4500), cacheHitRate: 0.68, tokensPerSec: 35, weight: 0.2 },
  { name: 'Claude-3', avgMs: 3800, p95Ms: p95(3800), cacheHitRate: 0.71, tokensPerSec: 40, weight: 0.2 },
  { name: 'Local (Qwen2)', avgMs: 1200, p95Ms: p95(1200), cacheHitRate: 0.82, tokensPerSec: 25, weight: 0.2 },
];

export function pickProvider(rand: () => number = Math.random): Provider {
  let u = rand();
  for (const p of PROVIDERS) {
    if ((u -= p.weight) < 0) return p;
  }
  return PROVIDERS[0];
}

export function findProvider(name: string | undefined): Provider | undefined {
  return name ? PROVIDERS.find((p) => p.name.toLowerCase() === name.toLowerCase()) : undefined;
}
