import { describe, expect, it } from 'vitest';
import type { Kpi } from '../metrics/types';
import { sampleReport } from './sample-report';
import {
  ageText,
  cacheSplit,
  fixForReason,
  formatBytes,
  formatKpiValue,
  formatMs,
  formatNumber,
  formatPct,
  healthSummary,
  kpiAriaLabel,
  shareOf,
  sortRoutes,
  sourceStateText,
  sparklineSeries,
  thresholdText,
  worstKpi,
} from './view-model';

const kpi = (over: Partial<Kpi>): Kpi => ({
  id: 'api_p95_ms', value: 100, unit: 'ms', status: 'ok', target: 500, critical: 2000, source: 's', approximate: false, ...over,
});

describe('formatting', () => {
  it('formats milliseconds with three significant digits and switches to seconds', () => {
    expect(formatMs(0.4234)).toBe('0.423 ms');
    expect(formatMs(12.345)).toBe('12.3 ms');
    expect(formatMs(420)).toBe('420 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(30000)).toBe('30 s');
  });
  it('shows a dash for absent values, never a made-up zero', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatPct(undefined)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatBytes(null)).toBe('—');
    expect(formatKpiValue({ value: null, unit: '%' })).toBe('—');
  });
  it('formats percentages, counts and sizes', () => {
    expect(formatPct(0.1)).toBe('0.1 %');
    expect(formatPct(99.95)).toBe('100 %');
    expect(formatNumber(1200)).toBe('1200');
    expect(formatNumber(12_500)).toBe('12.5k');
    expect(formatNumber(2_500_000)).toBe('2.5M');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(16384)).toBe('16 kB');
    expect(formatBytes(5 * 1024 * 1024 + 100)).toBe('5 MB');
  });
  it('writes thresholds in the guide notation, reversed for higher-is-better KPIs', () => {
    expect(thresholdText(kpi({}))).toBe('target < 500 ms · critical > 2 s');
    expect(thresholdText(kpi({ unit: '%', target: 70, critical: 40 }))).toBe('target > 70 % · critical < 40 %');
  });
  it('gives tiles an aria label with value, status, thresholds and reason', () => {
    expect(kpiAriaLabel(kpi({ value: 2500, status: 'critical' }))).toBe(
      'API p95: 2.5 s, status Critical, target < 500 ms · critical > 2 s',
    );
    expect(kpiAriaLabel(kpi({ value: null, status: 'unknown', reason: 'Prometheus unreachable' }))).toBe(
      'API p95: —, status Unknown, Prometheus unreachable',
    );
  });
  it('says how old the report is', () => {
    const at = '2026-01-01T12:00:00Z';
    expect(ageText(at, Date.parse(at) + 4_400)).toBe('updated 4 s ago');
    expect(ageText(at, Date.parse(at) + 180_000)).toBe('updated 3 min ago');
    expect(ageText('garbage', 0)).toBe('');
  });
});

describe('fix buttons for unknown KPIs', () => {
  it('maps reasons to the action that fixes them', () => {
    expect(fixForReason('Not configured: no Prometheus URL')?.action).toBe('connect');
    expect(fixForReason('connect ECONNREFUSED 127.0.0.1:8000')?.action).toBe('refresh');
    expect(fixForReason('Request timed out after 3 s')?.action).toBe('refresh');
    expect(fixForReason('pg_stat_statements is not installed: run CREATE EXTENSION')?.action).toBe('openSettings');
    expect(fixForReason(undefined)).toBeNull();
  });
});

describe('route sorting', () => {
  const routes = sampleReport().routes;
  it('puts the slowest p95 first by default', () => {
    expect(sortRoutes(routes).map((r) => r.route)).toEqual(['/api/v1/pipelines/generate', '/api/v1/pipelines', '/api/v1/health']);
  });
  it('sorts ascending and keeps missing values last in both directions', () => {
    expect(sortRoutes(routes, 'errorRatePct', 'desc').map((r) => r.errorRatePct)).toEqual([1.2, 0, null]);
    expect(sortRoutes(routes, 'errorRatePct', 'asc').map((r) => r.errorRatePct)).toEqual([0, 1.2, null]);
  });
  it('sorts by route name and does not mutate its input', () => {
    const before = routes.map((r) => r.route);
    expect(sortRoutes(routes, 'route', 'asc').map((r) => r.route)).toEqual(['/api/v1/health', '/api/v1/pipelines', '/api/v1/pipelines/generate']);
    expect(routes.map((r) => r.route)).toEqual(before);
  });
});

describe('health summary', () => {
  it('picks the worst KPI: critical over warning over unknown over ok', () => {
    const r = sampleReport();
    expect(worstKpi(r.kpis)?.id).toBe('error_rate_pct');
    expect(worstKpi([kpi({ status: 'ok' }), kpi({ id: 'cpu_pct', status: 'unknown' })])?.id).toBe('cpu_pct');
    expect(worstKpi([])).toBeNull();
  });
  it('summarises for the status bar', () => {
    const r = sampleReport();
    expect(healthSummary(r, true, true)).toMatchObject({ status: 'critical', text: 'Perf: Error rate 2.5 %' });
    r.kpis[0] = { ...r.kpis[0]!, status: 'critical', value: 2500 };
    expect(healthSummary(r, true, true).text).toBe('Perf: API p95 2.5 s +1');
    const allUnknown = { ...r, kpis: r.kpis.map((k) => ({ ...k, status: 'unknown' as const, value: null })) };
    expect(healthSummary(allUnknown, true, true)).toMatchObject({ status: 'unknown', text: 'Perf: 8 unknown' });
    const allOk = { ...r, kpis: r.kpis.map((k) => ({ ...k, status: 'ok' as const })) };
    expect(healthSummary(allOk, true, true).text).toBe('Perf: all OK');
    expect(healthSummary(r, false, true).text).toBe('Perf: untrusted');
    expect(healthSummary(null, true, false).text).toBe('Perf: not connected');
    expect(healthSummary(null, true, true).status).toBe('unknown');
  });
});

describe('sources, bars and sparklines', () => {
  it('shows the failure message with a retry countdown', () => {
    const s = sampleReport().sources[2]!;
    expect(sourceStateText(s, s.nextRetryAt! - 11_200)).toBe('connect ECONNREFUSED 127.0.0.1:6379 — retrying in 12 s');
    expect(sourceStateText(s, s.nextRetryAt! + 5_000)).toBe('connect ECONNREFUSED 127.0.0.1:6379 — retrying in 0 s');
    expect(sourceStateText({ ...s, state: 'ok' }, 0)).toBe('OK');
    expect(sourceStateText({ ...s, state: 'disabled' }, 0)).toBe('Not configured');
  });
  it('computes shares and the exact/semantic split', () => {
    expect(shareOf(25, 100)).toBe(25);
    expect(shareOf(150, 100)).toBe(100);
    expect(shareOf(null, 100)).toBeNull();
    expect(shareOf(3, 0)).toBeNull();
    expect(cacheSplit(50, 25)).toEqual({ exactPct: (50 / 75) * 100, semanticPct: (25 / 75) * 100 });
    expect(cacheSplit(0, 0)).toEqual({ exactPct: 0, semanticPct: 0 });
    expect(cacheSplit(null, 3)).toBeNull();
  });
  it('turns history into uPlot columns in seconds, keeping gaps', () => {
    expect(sparklineSeries([[1000, 1], [2000, null], [3000, 3]])).toEqual([[1, 2, 3], [1, null, 3]]);
    expect(sparklineSeries(undefined)).toEqual([[], []]);
  });
});
