// Pure presentation logic for the dashboard: labels, number formatting, threshold text,
// sorting and the health summary. No DOM and no vscode, so the webview app and the host
// (status bar) share it and vitest covers it directly.
import type { Kpi, KpiId, KpiReport, KpiStatus, RouteStats, SourceStatus } from '../metrics/types';
import type { FixAction } from './protocol';

export const KPI_LABELS: Record<KpiId, string> = {
  api_p95_ms: 'API p95',
  db_p95_ms: 'DB query p95',
  llm_p95_ms: 'LLM p95',
  error_rate_pct: 'Error rate',
  cache_hit_rate_pct: 'Cache hit rate',
  cpu_pct: 'CPU',
  memory_pct: 'Memory',
  db_connections_pct: 'DB connections',
};

const NO_VALUE = '—';

/** 0.42 → "0.42 ms", 12.3 → "12.3 ms", 1234 → "1.23 s": three significant digits read at a glance. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NO_VALUE;
  if (Math.abs(ms) >= 1000) return `${trim(ms / 1000)} s`;
  return `${trim(ms)} ms`;
}

export function formatPct(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return NO_VALUE;
  return `${trim(pct)} %`;
}

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return NO_VALUE;
  if (Math.abs(n) >= 1e6) return `${trim(n / 1e6)}M`;
  if (Math.abs(n) >= 1e4) return `${trim(n / 1e3)}k`;
  return Number.isInteger(n) ? String(n) : trim(n);
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return NO_VALUE;
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? String(v) : trim(v)} ${units[i]}`;
}

/** Three significant digits, no trailing zeros, no exponent. */
function trim(n: number): string {
  if (n === 0) return '0';
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : Math.abs(n) >= 1 ? 2 : 3;
  return String(Number(n.toFixed(digits)));
}

export function formatKpiValue(kpi: Pick<Kpi, 'value' | 'unit'>): string {
  return kpi.unit === 'ms' ? formatMs(kpi.value) : formatPct(kpi.value);
}

/** For most KPIs lower is better; for the cache hit rate (target above critical) higher is. */
export function higherIsBetter(kpi: Pick<Kpi, 'target' | 'critical'>): boolean {
  return kpi.target > kpi.critical;
}

/** "target < 500 ms · critical > 2 s", in the guide's own notation. */
export function thresholdText(kpi: Pick<Kpi, 'target' | 'critical' | 'unit'>): string {
  const fmt = (v: number) => formatKpiValue({ value: v, unit: kpi.unit });
  const [good, bad] = higherIsBetter(kpi) ? ['>', '<'] : ['<', '>'];
  return `target ${good} ${fmt(kpi.target)} · critical ${bad} ${fmt(kpi.critical)}`;
}

export const STATUS_LABELS: Record<KpiStatus, string> = {
  ok: 'OK',
  warning: 'Warning',
  critical: 'Critical',
  unknown: 'Unknown',
};

/** The accessible name of a tile: everything a sighted user reads from it, in one sentence. */
export function kpiAriaLabel(kpi: Kpi): string {
  const parts = [`${KPI_LABELS[kpi.id]}: ${formatKpiValue(kpi)}`, `status ${STATUS_LABELS[kpi.status]}`];
  if (kpi.status !== 'unknown') parts.push(thresholdText(kpi));
  if (kpi.reason) parts.push(kpi.reason);
  return parts.join(', ');
}

/**
 * The button offered on an unknown KPI. The reason text comes from the metrics layer; we only
 * distinguish "nothing configured" (Connect…), "could not reach it" (retry now) and the rest
 * (settings, where the URL or field path is fixed).
 */
export function fixForReason(reason: string | undefined): { action: FixAction; label: string } | null {
  if (!reason) return null;
  const r = reason.toLowerCase();
  if (/not configured|no source|configure/.test(r)) return { action: 'connect', label: 'Connect…' };
  if (/unreachable|refused|timed? ?out|timeout|econn|failing|down|no response|fetch failed/.test(r)) {
    return { action: 'refresh', label: 'Retry now' };
  }
  return { action: 'openSettings', label: 'Open settings' };
}

export type RouteSortKey = 'route' | 'p95Ms' | 'avgMs' | 'rps' | 'errorRatePct';
export type SortDirection = 'asc' | 'desc';

/** Sort a copy; missing values always go last whatever the direction. Default: slowest first. */
export function sortRoutes(
  routes: readonly RouteStats[],
  key: RouteSortKey = 'p95Ms',
  dir: SortDirection = 'desc',
): RouteStats[] {
  const sign = dir === 'asc' ? 1 : -1;
  return routes
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const c = compareRouteField(a.r, b.r, key, sign);
      return c !== 0 ? c : a.i - b.i;
    })
    .map(({ r }) => r);
}

function compareRouteField(a: RouteStats, b: RouteStats, key: RouteSortKey, sign: number): number {
  if (key === 'route') {
    const ka = `${a.route} ${a.method} ${a.service}`;
    const kb = `${b.route} ${b.method} ${b.service}`;
    return sign * ka.localeCompare(kb);
  }
  const va = a[key];
  const vb = b[key];
  if (va === null && vb === null) return 0;
  if (va === null) return 1;
  if (vb === null) return -1;
  return sign * (va - vb);
}

const SEVERITY: Record<KpiStatus, number> = { ok: 0, unknown: 1, warning: 2, critical: 3 };

/** The worst KPI: critical > warning > unknown > ok. null when there are no KPIs at all. */
export function worstKpi(kpis: readonly Kpi[]): Kpi | null {
  let worst: Kpi | null = null;
  for (const k of kpis) if (!worst || SEVERITY[k.status] > SEVERITY[worst.status]) worst = k;
  return worst;
}

export interface HealthSummary {
  status: KpiStatus;
  text: string;
  tooltip: string;
}

/** The status bar's one-liner: the worst KPI, and how many others share its state. */
export function healthSummary(report: KpiReport | null, trusted: boolean, configured: boolean): HealthSummary {
  if (!trusted) return { status: 'unknown', text: 'Perf: untrusted', tooltip: 'Perf Insights makes no connection in an untrusted workspace.' };
  if (!configured) return { status: 'unknown', text: 'Perf: not connected', tooltip: 'Perf Insights: connect to your platform to see its KPIs.' };
  const worst = report ? worstKpi(report.kpis) : null;
  if (!report || !worst) return { status: 'unknown', text: 'Perf: …', tooltip: 'Perf Insights: waiting for the first sample.' };
  const tooltip = report.kpis
    .map((k) => `${KPI_LABELS[k.id]}: ${formatKpiValue(k)} (${STATUS_LABELS[k.status]})`)
    .join('\n');
  if (worst.status === 'ok') return { status: 'ok', text: 'Perf: all OK', tooltip };
  const same = report.kpis.filter((k) => k.status === worst.status).length;
  const more = same > 1 ? ` +${same - 1}` : '';
  if (worst.status === 'unknown') return { status: 'unknown', text: `Perf: ${same} unknown`, tooltip };
  return { status: worst.status, text: `Perf: ${KPI_LABELS[worst.id]} ${formatKpiValue(worst)}${more}`, tooltip };
}

/** "ok", "failing: <message>", "retrying in 12 s"; the countdown is recomputed every second. */
export function sourceStateText(source: SourceStatus, now: number): string {
  if (source.state === 'ok') return 'OK';
  if (source.state === 'disabled') return 'Not configured';
  const msg = source.message ?? 'failing';
  if (source.nextRetryAt) {
    const s = Math.max(0, Math.ceil((source.nextRetryAt - now) / 1000));
    return `${msg} — retrying in ${s} s`;
  }
  return msg;
}

/** The sparkline's points, dropping nulls at the ends but keeping gaps inside (uPlot draws gaps). */
export function sparklineSeries(points: ReadonlyArray<[number, number | null]> | undefined): [number[], Array<number | null>] {
  const xs: number[] = [];
  const ys: Array<number | null> = [];
  for (const [t, v] of points ?? []) {
    xs.push(t / 1000);
    ys.push(v);
  }
  return [xs, ys];
}

/** Share of `max` as a 0–100 bar width, or null when either side is missing. */
export function shareOf(part: number | null, max: number | null): number | null {
  if (part === null || max === null || max <= 0) return null;
  return Math.min(100, (part / max) * 100);
}

/** Exact vs semantic share of all cache hits, for the split bar. */
export function cacheSplit(exact: number | null, semantic: number | null): { exactPct: number; semanticPct: number } | null {
  if (exact === null || semantic === null) return null;
  const total = exact + semantic;
  if (total <= 0) return { exactPct: 0, semanticPct: 0 };
  return { exactPct: (exact / total) * 100, semanticPct: (semantic / total) * 100 };
}

/** "updated 3 s ago" from the report time. */
export function ageText(at: string, now: number): string {
  const t = Date.parse(at);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `updated ${s} s ago`;
  return `updated ${Math.round(s / 60)} min ago`;
}
