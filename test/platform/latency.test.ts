import { describe, expect, it } from 'vitest';
import { API_LATENCY, drawLatencyMs, lognormalFor } from './latency.js';
import { PROVIDERS } from './llm/providers.js';

// Deterministic PRNG (mulberry32) so the distribution check cannot flake.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('latency model follows the guide\'s Benchmark Results', () => {
  for (const [route, profile] of Object.entries({ ...API_LATENCY, ...Object.fromEntries(PROVIDERS.map((p) => [p.name, p])) })) {
    it(`${route}: mean ≈ ${profile.avgMs} ms, p95 ≈ ${profile.p95Ms} ms`, () => {
      const { mu, sigma } = lognormalFor(profile);
      expect(Math.exp(mu + (sigma * sigma) / 2)).toBeCloseTo(profile.avgMs, 6);
      expect(Math.exp(mu + 1.6448536269514722 * sigma)).toBeCloseTo(profile.p95Ms, 6);
      const rand = prng(42);
      const xs = Array.from({ length: 40_000 }, () => drawLatencyMs(profile, rand)).sort((a, b) => a - b);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(Math.abs(mean / profile.avgMs - 1)).toBeLessThan(0.04);
      expect(Math.abs(xs[Math.floor(xs.length * 0.95)] / profile.p95Ms - 1)).toBeLessThan(0.04);
    });
  }

  it('rejects a profile no log-normal can have', () => {
    expect(() => lognormalFor({ avgMs: 10, p95Ms: 100 })).toThrow(/no log-normal/);
  });
});
