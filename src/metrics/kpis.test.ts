import { describe, expect, it } from 'vitest';
import { buildKpis, KpiHistory, kpiStatus, KPI_DEFINITIONS, worstStatus } from './kpis';
import { KPI_IDS } from './types';

describe('KPI model', () => {
  it('has the guide table for all eight KPIs', () => {
    expect(Object.keys(KPI_DEFINITIONS).sort()).toEqual([...KPI_IDS].sort());
    const t = (id: keyof typeof KPI_DEFINITIONS) => [KPI_DEFINITIONS[id].target, KPI_DEFINITIONS[id].critical];
    expect(t('api_p95_ms')).toEqual([500, 2000]);
    expect(t('db_p95_ms')).toEqual([100, 500]);
    expect(t('llm_p95_ms')).toEqual([5000, 30000]);
    expect(t('error_rate_pct')).toEqual([0.1, 1]);
    expect(t('cache_hit_rate_pct')).toEqual([70, 40]);
    expect(t('cpu_pct')).toEqual([70, 90]);
    expect(t('memory_pct')).toEqual([80, 95]);
    expect(t('db_connections_pct')).toEqual([80, 95]);
  });

  it('status: ok below target, critical beyond critical, warning between; inverted for hit rate', () => {
    const lat = { target: 500, critical: 2000 };
    expect([100, 500, 1999, 2000, 2001].map((v) => kpiStatus(v, lat, false))).toEqual(['ok', 'warning', 'warning', 'warning', 'critical']);
    const hit = { target: 70, critical: 40 };
    expect([90, 70, 41, 40, 39].map((v) => kpiStatus(v, hit, true))).toEqual(['ok', 'warning', 'warning', 'warning', 'critical']);
    expect(kpiStatus(null, lat, false)).toBe('unknown');
  });

  it('picks the first candidate with a value, keeps approximate labels, explains unknowns', () => {
    const kpis = buildKpis(
      {
        api_p95_ms: [
          { value: null, source: 'prometheus:a', reason: 'no requests' },
          { value: 2500, source: 'prometheus-server:x' },
        ],
        db_p95_ms: [{ value: 42, source: 'postgres:db', approximate: true, reason: 'approximation: modelled from means' }],
        cpu_pct: [
          { value: null, source: 'prometheus:a', reason: 'failing: refused' },
          { value: null, source: 'api:b', reason: 'no cpu_percent field' },
        ],
      },
      { api_p95_ms: { critical: 3000 } },
    );
    const byId = Object.fromEntries(kpis.map((k) => [k.id, k]));
    expect(byId.api_p95_ms).toMatchObject({ value: 2500, source: 'prometheus-server:x', status: 'warning', critical: 3000, target: 500, approximate: false });
    expect(byId.db_p95_ms).toMatchObject({ value: 42, approximate: true, status: 'ok', reason: 'approximation: modelled from means' });
    expect(byId.cpu_pct).toMatchObject({ value: null, status: 'unknown', source: null, reason: 'prometheus:a: failing: refused; api:b: no cpu_percent field' });
    expect(byId.memory_pct.reason).toMatch(/^no source configured/);
    expect(kpis.map((k) => k.id)).toEqual(KPI_IDS);
    expect(worstStatus(kpis)).toBe('warning');
  });

  it('history keeps the last window and caps points', () => {
    const h = new KpiHistory(1000, 3);
    const k = (v: number | null) => buildKpis({ cpu_pct: [{ value: v, source: 's' }] });
    h.push(0, k(1));
    h.push(500, k(2));
    h.push(1200, k(null));
    expect(h.snapshot().cpu_pct).toEqual([[500, 2], [1200, null]]);
    h.push(1300, k(4));
    h.push(1400, k(5));
    expect(h.snapshot().cpu_pct).toEqual([[1200, null], [1300, 4], [1400, 5]]);
  });
});
