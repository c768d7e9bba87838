// The eight KPI tiles: value + unit, thresholds, status colour, sparkline, source, and for an
// unknown KPI the reason with the button that fixes it.
import type { Kpi, KpiReport } from '../../metrics/types';
import type { FixAction } from '../protocol';
import { fixForReason, formatKpiValue, KPI_LABELS, kpiAriaLabel, STATUS_LABELS, thresholdText } from '../view-model';
import { button, h, section } from './dom';

export interface TileHandlers {
  fix(action: FixAction): void;
}

export function renderTiles(report: KpiReport, on: TileHandlers): { el: HTMLElement; sparklines: Array<[HTMLElement, Kpi]> } {
  const sparklines: Array<[HTMLElement, Kpi]> = [];
  const tiles = report.kpis.map((kpi) => {
    const spark = h('div', { class: 'spark', 'aria-hidden': 'true' });
    sparklines.push([spark, kpi]);
    const fix = kpi.status === 'unknown' ? fixForReason(kpi.reason) : null;
    return h(
      'article',
      { class: `tile status-${kpi.status}`, 'data-kpi': kpi.id, 'data-status': kpi.status, tabindex: 0, 'aria-label': kpiAriaLabel(kpi) },
      [
        h('div', { class: 'tile-head' }, [
          h('span', { class: 'tile-title' }, [KPI_LABELS[kpi.id]]),
          h('span', { class: 'badge', 'data-role': 'status' }, [STATUS_LABELS[kpi.status]]),
        ]),
        h('div', { class: 'tile-value', 'data-role': 'value' }, [formatKpiValue(kpi), kpi.approximate ? h('span', { class: 'approx', title: kpi.reason ?? 'approximate' }, [' ≈']) : null]),
        h('div', { class: 'tile-thresholds' }, [thresholdText(kpi)]),
        spark,
        kpi.status === 'unknown' && kpi.reason ? h('div', { class: 'tile-reason', 'data-role': 'reason', title: kpi.reason }, [kpi.reason]) : null,
        kpi.approximate && kpi.reason && kpi.status !== 'unknown' ? h('div', { class: 'tile-note' }, [kpi.reason]) : null,
        h('div', { class: 'tile-source' }, [kpi.source ? `source: ${kpi.source}` : 'no source']),
        fix ? button(fix.label, () => on.fix(fix.action), { class: 'secondary', 'data-role': 'fix' }) : null,
      ],
    );
  });
  return { el: section('kpis', 'Key performance indicators', [h('div', { class: 'tiles' }, tiles)]), sparklines };
}
