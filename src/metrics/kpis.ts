// The KPI model: the eight KPIs of the guide's "Key Performance Indicators" table, their default
// target/critical thresholds, the status rule, how a value is picked among several sources, and
// the history kept for sparklines.
import type { Thresholds } from './config';
import { KPI_IDS, type Kpi, type KpiId, type KpiStatus } from './types';

export interface KpiDefinition {
  id: KpiId;
  label: string;
  unit: 'ms' | '%';
  target: number;
  critical: number;
  /** Cache hit rate: higher is better, so the comparisons flip. */
  higherIsBetter: boolean;
}

/** The guide's table: API p95 < 500 ms / > 2 s, DB p95 < 100 / > 500 ms, LLM p95 < 5 / > 30 s, … */
export const KPI_DEFINITIONS: Record<KpiId, KpiDefinition> = {
  api_p95_ms: { id: 'api_p95_ms', label: 'API response time (p95)', unit: 'ms', target: 500, critical: 2000, higherIsBetter: false },
  db_p95_ms: { id: 'db_p95_ms', label: 'Database query time (p95)', unit: 'ms', target: 100, critical: 500, higherIsBetter: false },
  llm_p95_ms: { id: 'llm_p95_ms', label: 'LLM response time (p95)', unit: 'ms', target: 5000, critical: 30000, higherIsBetter: false },
  error_rate_pct: { id: 'error_rate_pct', label: 'Error rate', unit: '%', target: 0.1, critical: 1, higherIsBetter: false },
  cache_hit_rate_pct: { id: 'cache_hit_rate_pct', label: 'Cache hit rate', unit: '%', target: 70, critical: 40, higherIsBetter: true },
  cpu_pct: { id: 'cpu_pct', label: 'CPU utilization', unit: '%', target: 70, critical: 90, higherIsBetter: false },
  memory_pct: { id: 'memory_pct', label: 'Memory utilization', unit: '%', target: 80, critical: 95, higherIsBetter: false },
  db_connections_pct: { id: 'db_connections_pct', label: 'Database connections (% of pool)', unit: '%', target: 80, critical: 95, higherIsBetter: false },
};

/**
 * ok: better than the target; critical: beyond the critical threshold; warning: in between
 * (the table's "< 500ms" is the target, "> 2s" critical). unknown without a value.
 */
export function kpiStatus(value: number | null, t: Thresholds, higherIsBetter: boolean): KpiStatus {
  if (value === null || Number.isNaN(value)) return 'unknown';
  if (higherIsBetter) {
    if (value < t.critical) return 'critical';
    return value > t.target ? 'ok' : 'warning';
  }
  if (value > t.critical) return 'critical';
  return value < t.target ? 'ok' : 'warning';
}

/** One source's offer of a KPI value. Offers are listed best first. */
export interface KpiCandidate {
  value: number | null;
  source: string;
  approximate?: boolean;
  /** Why the value is null, or why it is only approximate. */
  reason?: string;
}

export type KpiCandidates = Partial<Record<KpiId, KpiCandidate[]>>;

export function thresholdsFor(id: KpiId, overrides: Partial<Record<KpiId, Partial<Thresholds>>> = {}): Thresholds {
  const d = KPI_DEFINITIONS[id];
  return { target: overrides[id]?.target ?? d.target, critical: overrides[id]?.critical ?? d.critical };
}

/** The first candidate with a value wins; without one, the KPI is unknown and says why. */
export function buildKpis(candidates: KpiCandidates, overrides: Partial<Record<KpiId, Partial<Thresholds>>> = {}): Kpi[] {
  return KPI_IDS.map((id) => {
    const def = KPI_DEFINITIONS[id];
    const t = thresholdsFor(id, overrides);
    const offers = candidates[id] ?? [];
    const pick = offers.find((c) => c.value !== null && Number.isFinite(c.value));
    if (pick) {
      const kpi: Kpi = {
        id,
        value: pick.value,
        unit: def.unit,
        status: kpiStatus(pick.value, t, def.higherIsBetter),
        target: t.target,
        critical: t.critical,
        source: pick.source,
        approximate: pick.approximate ?? false,
      };
      if (pick.approximate && pick.reason) kpi.reason = pick.reason;
      return kpi;
    }
    const reasons = [...new Set(offers.map((c) => (c.reason ? `${c.source}: ${c.reason}` : null)).filter((r): r is string => r !== null))];
    return {
      id,
      value: null,
      unit: def.unit,
      status: 'unknown',
      target: t.target,
      critical: t.critical,
      source: null,
      approximate: false,
      reason: reasons.length ? reasons.join('; ') : NO_SOURCE[id],
    };
  });
}

const NO_SOURCE: Record<KpiId, string> = {
  api_p95_ms: 'no source configured: add a /metrics target with an http_request_duration_seconds histogram, a Prometheus server, or the platform API',
  db_p95_ms: 'no source configured: a db_query_duration_seconds histogram, a Prometheus server, or Postgres with pg_stat_statements',
  llm_p95_ms: 'no source configured: the LLM gateway /metrics (llm_request_duration_seconds) or a Prometheus server',
  error_rate_pct: 'no source configured: a /metrics target with http_requests_total, a Prometheus server, or the platform API',
  cache_hit_rate_pct: 'no source configured: the LLM gateway /metrics (llm_cache_hits_total), the platform API, or Redis',
  cpu_pct: 'no source configured: a /metrics target with process_cpu_seconds_total, a Prometheus server, or the platform API',
  memory_pct: 'no source configured: a /metrics target with process_resident_memory_bytes, a Prometheus server, or the platform API',
  db_connections_pct: 'no source configured: a db_pool_connections gauge, the platform API pool figures, or Postgres',
};

/** The worst status among KPIs with a value (unknown ones do not fail a deploy gate). */
export function worstStatus(kpis: readonly Kpi[]): 'ok' | 'warning' | 'critical' | 'unknown' {
  if (kpis.some((k) => k.status === 'critical')) return 'critical';
  if (kpis.some((k) => k.status === 'warning')) return 'warning';
  return kpis.some((k) => k.status === 'ok') ? 'ok' : 'unknown';
}

/** Recent values per KPI for sparklines: a ring buffer per KPI, pruned to a time window. */
export class KpiHistory {
  private readonly points = new Map<KpiId, Array<[number, number | null]>>();

  constructor(
    private readonly windowMs = 60 * 60 * 1000,
    private readonly maxPoints = 720,
  ) {}

  push(atMs: number, kpis: readonly Kpi[]): void {
    for (const k of kpis) {
      let list = this.points.get(k.id);
      if (!list) this.points.set(k.id, (list = []));
      list.push([atMs, k.value]);
      while (list.length > this.maxPoints || (list.length > 0 && list[0][0] < atMs - this.windowMs)) list.shift();
    }
  }

  snapshot(): Partial<Record<KpiId, Array<[number, number | null]>>> {
    const out: Partial<Record<KpiId, Array<[number, number | null]>>> = {};
    for (const [id, list] of this.points) out[id] = list.map(([t, v]) => [t, v]);
    return out;
  }

  clear(): void {
    this.points.clear();
  }
}
