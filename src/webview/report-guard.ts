// Runtime validation of a KpiReport before it crosses into the webview (and again when the
// webview receives it): the report is built from untrusted network data, so its shape is
// checked rather than assumed.
import type {
  Connections,
  Kpi,
  KpiId,
  KpiReport,
  LlmCache,
  LlmProvider,
  RouteStats,
  SlowQuery,
  SourceStatus,
  UnusedIndex,
} from '../metrics/types';
import { KPI_IDS } from '../metrics/types';
import {
  hasShape,
  isArrayOf,
  isBoolean,
  isNullableNumber,
  isNullableString,
  isNumber,
  isObject,
  isOneOf,
  isString,
  optional,
} from './guards';

export const isKpiId = isOneOf<KpiId>(KPI_IDS);

export const isKpi = hasShape<Kpi>({
  id: isKpiId,
  value: isNullableNumber,
  unit: isOneOf(['ms', '%'] as const),
  status: isOneOf(['ok', 'warning', 'critical', 'unknown'] as const),
  target: isNumber,
  critical: isNumber,
  source: isNullableString,
  approximate: isBoolean,
  reason: optional(isString),
});

const isRoute = hasShape<RouteStats>({
  service: isString,
  route: isString,
  method: isString,
  rps: isNullableNumber,
  p95Ms: isNullableNumber,
  avgMs: isNullableNumber,
  errorRatePct: isNullableNumber,
});

const isSlowQuery = hasShape<SlowQuery>({
  query: isString,
  calls: isNumber,
  meanMs: isNumber,
  totalMs: isNumber,
  rowsPerCall: isNullableNumber,
  fingerprint: isNullableString,
  hitRatioPct: optional(isNullableNumber),
});

const isConnections = hasShape<Connections>({
  active: isNullableNumber,
  idle: isNullableNumber,
  idleInTransaction: isNullableNumber,
  waiting: isNullableNumber,
  max: isNullableNumber,
});

const isUnusedIndex = hasShape<UnusedIndex>({ table: isString, index: isString, sizeBytes: isNumber });

const isProvider = hasShape<LlmProvider>({
  provider: isString,
  p95Ms: isNullableNumber,
  avgMs: isNullableNumber,
  tokensPerSec: isNullableNumber,
});

const isCache = hasShape<LlmCache>({
  hitRatePct: isNullableNumber,
  exactHits: isNullableNumber,
  semanticHits: isNullableNumber,
  misses: isNullableNumber,
  entries: isNullableNumber,
  withoutTtlPct: isNullableNumber,
  memoryMb: isNullableNumber,
});

const isSource = hasShape<SourceStatus>({
  id: isString,
  kind: isOneOf(['prometheus', 'prometheus-server', 'api', 'postgres', 'redis'] as const),
  state: isOneOf(['ok', 'failing', 'disabled'] as const),
  message: isNullableString,
  nextRetryAt: optional(isNullableNumber),
});

const isHistoryPoint = (v: unknown): v is [number, number | null] =>
  Array.isArray(v) && v.length === 2 && isNumber(v[0]) && isNullableNumber(v[1]);

function isHistory(v: unknown): v is KpiReport['history'] {
  if (v === undefined) return true;
  if (!isObject(v)) return false;
  return Object.entries(v).every(([k, points]) => isKpiId(k) && isArrayOf(isHistoryPoint)(points));
}

export const isKpiReport = hasShape<KpiReport>({
  version: (v): v is 1 => v === 1,
  at: isString,
  intervalMs: isNumber,
  kpis: isArrayOf(isKpi),
  routes: isArrayOf(isRoute),
  slowQueries: isArrayOf(isSlowQuery),
  connections: (v): v is Connections | null => v === null || isConnections(v),
  unusedIndexes: isArrayOf(isUnusedIndex),
  llm: hasShape<KpiReport['llm']>({
    providers: isArrayOf(isProvider),
    cache: (v): v is LlmCache | null => v === null || isCache(v),
  }),
  sources: isArrayOf(isSource),
  history: isHistory,
});
