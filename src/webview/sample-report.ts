// A complete, plausible KpiReport for unit tests and the app's offline preview. Values follow
// the platform guide's benchmark table; nothing here is used at run time by the extension.
import type { KpiReport } from '../metrics/types';

export function sampleReport(now = Date.parse('2026-01-01T12:00:00Z')): KpiReport {
  const history = (base: number) =>
    Array.from({ length: 12 }, (_, i): [number, number | null] => [now - (11 - i) * 5000, base + (i % 4) * base * 0.05]);
  return {
    version: 1,
    at: new Date(now).toISOString(),
    intervalMs: 5000,
    kpis: [
      { id: 'api_p95_ms', value: 420, unit: 'ms', status: 'ok', target: 500, critical: 2000, source: 'prometheus:127.0.0.1:8000', approximate: false },
      { id: 'db_p95_ms', value: 180, unit: 'ms', status: 'warning', target: 100, critical: 500, source: 'postgres', approximate: true, reason: 'approximated from pg_stat_statements means' },
      { id: 'llm_p95_ms', value: 3100, unit: 'ms', status: 'ok', target: 5000, critical: 30000, source: 'prometheus:127.0.0.1:8001', approximate: false },
      { id: 'error_rate_pct', value: 2.5, unit: '%', status: 'critical', target: 0.1, critical: 1, source: 'prometheus:127.0.0.1:8000', approximate: false },
      { id: 'cache_hit_rate_pct', value: 72, unit: '%', status: 'ok', target: 70, critical: 40, source: 'redis', approximate: false },
      { id: 'cpu_pct', value: 35, unit: '%', status: 'ok', target: 70, critical: 90, source: 'prometheus:127.0.0.1:8000', approximate: false },
      { id: 'memory_pct', value: null, unit: '%', status: 'unknown', target: 80, critical: 95, source: null, approximate: false, reason: 'No memory limit known: set perfInsights.api.url' },
      { id: 'db_connections_pct', value: 12, unit: '%', status: 'ok', target: 80, critical: 95, source: 'postgres', approximate: false },
    ],
    routes: [
      { service: 'backend', route: '/api/v1/health', method: 'GET', rps: 5, p95Ms: 9, avgMs: 4, errorRatePct: 0 },
      { service: 'backend', route: '/api/v1/pipelines/generate', method: 'POST', rps: 0.5, p95Ms: 4200, avgMs: 2500, errorRatePct: 1.2 },
      { service: 'backend', route: '/api/v1/pipelines', method: 'GET', rps: 3, p95Ms: 240, avgMs: 120, errorRatePct: null },
    ],
    slowQueries: [
      { query: 'SELECT * FROM runs WHERE pipeline_id = $1', calls: 1200, meanMs: 1.5, totalMs: 1800, rowsPerCall: 3, fingerprint: 'a1b2c3d4e5f60718' },
      { query: 'SELECT * FROM pipelines', calls: 20, meanMs: 40, totalMs: 800, rowsPerCall: 1000, fingerprint: null },
    ],
    connections: { active: 3, idle: 7, idleInTransaction: 1, waiting: 0, max: 100 },
    unusedIndexes: [{ table: 'runs', index: 'runs_created_at_idx', sizeBytes: 16384 }],
    llm: {
      providers: [
        { provider: 'openai', p95Ms: 3100, avgMs: 1800, tokensPerSec: 45 },
        { provider: 'anthropic', p95Ms: 2800, avgMs: 1500, tokensPerSec: 52 },
      ],
      cache: { hitRatePct: 72, exactHits: 50, semanticHits: 22, misses: 28, entries: 340, withoutTtlPct: 0, memoryMb: 12.5 },
    },
    sources: [
      { id: 'prometheus:127.0.0.1:8000', kind: 'prometheus', state: 'ok', message: null },
      { id: 'postgres', kind: 'postgres', state: 'ok', message: null },
      { id: 'redis', kind: 'redis', state: 'failing', message: 'connect ECONNREFUSED 127.0.0.1:6379', nextRetryAt: now + 12_000 },
    ],
    history: { api_p95_ms: history(400), db_p95_ms: history(150) },
  };
}
