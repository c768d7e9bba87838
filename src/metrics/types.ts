// The KPI report: the JSON the `kpis` CLI prints (version 1, a public contract) and what the
// dashboard renders. Absent data is `null`, never a made-up zero.

export type KpiId =
  | 'api_p95_ms'
  | 'db_p95_ms'
  | 'llm_p95_ms'
  | 'error_rate_pct'
  | 'cache_hit_rate_pct'
  | 'cpu_pct'
  | 'memory_pct'
  | 'db_connections_pct';

export const KPI_IDS: readonly KpiId[] = [
  'api_p95_ms',
  'db_p95_ms',
  'llm_p95_ms',
  'error_rate_pct',
  'cache_hit_rate_pct',
  'cpu_pct',
  'memory_pct',
  'db_connections_pct',
];

export type KpiStatus = 'ok' | 'warning' | 'critical' | 'unknown';

export interface Kpi {
  id: KpiId;
  value: number | null;
  unit: 'ms' | '%';
  status: KpiStatus;
  target: number;
  critical: number;
  source: string | null;
  approximate: boolean;
  reason?: string;
}

export interface RouteStats {
  service: string;
  route: string;
  method: string;
  rps: number | null;
  p95Ms: number | null;
  avgMs: number | null;
  errorRatePct: number | null;
}

export interface SlowQuery {
  query: string;
  calls: number;
  meanMs: number;
  totalMs: number;
  rowsPerCall: number | null;
  fingerprint: string | null;
  /** Extension: shared-buffer hit ratio over the interval, when known. */
  hitRatioPct?: number | null;
}

export interface Connections {
  active: number | null;
  idle: number | null;
  idleInTransaction: number | null;
  waiting: number | null;
  max: number | null;
}

export interface UnusedIndex {
  table: string;
  index: string;
  sizeBytes: number;
}

export interface LlmProvider {
  provider: string;
  p95Ms: number | null;
  avgMs: number | null;
  tokensPerSec: number | null;
}

export interface LlmCache {
  hitRatePct: number | null;
  exactHits: number | null;
  semanticHits: number | null;
  misses: number | null;
  entries: number | null;
  withoutTtlPct: number | null;
  memoryMb: number | null;
}

export type SourceState = 'ok' | 'failing' | 'disabled';

export interface SourceStatus {
  id: string;
  kind: 'prometheus' | 'prometheus-server' | 'api' | 'postgres' | 'redis';
  state: SourceState;
  message: string | null;
  /** Extension: epoch ms of the next retry while failing. */
  nextRetryAt?: number | null;
}

export interface KpiReport {
  version: 1;
  at: string;
  intervalMs: number;
  kpis: Kpi[];
  routes: RouteStats[];
  slowQueries: SlowQuery[];
  connections: Connections | null;
  unusedIndexes: UnusedIndex[];
  llm: { providers: LlmProvider[]; cache: LlmCache | null };
  sources: SourceStatus[];
  /** Extension: recent values per KPI for sparklines, oldest first: [epoch ms, value|null]. */
  history?: Partial<Record<KpiId, Array<[number, number | null]>>>;
}
