// KPI sparklines with uPlot (canvas, ~45 kB, no DOM per point). Colours are read from the
// theme's CSS variables because a canvas cannot use `var(...)` directly.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { KpiStatus } from '../../metrics/types';
import { sparklineSeries } from '../view-model';

const STATUS_VARS: Record<KpiStatus, string> = {
  ok: '--vscode-charts-green',
  warning: '--vscode-charts-yellow',
  critical: '--vscode-charts-red',
  unknown: '--vscode-descriptionForeground',
};

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** Draws into `host` (already in the document, so it has a width). */
export function drawSparkline(host: HTMLElement, points: Array<[number, number | null]> | undefined, status: KpiStatus): void {
  const [xs, ys] = sparklineSeries(points);
  if (xs.length < 2) return;
  const stroke = themeColor(STATUS_VARS[status], '#888');
  const width = Math.max(60, host.clientWidth || 120);
  new uPlot(
    {
      width,
      height: 28,
      pxAlign: false,
      cursor: { show: false },
      legend: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: { x: { time: false } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke, width: 1.5, spanGaps: false, points: { show: false } }],
    },
    [xs, ys],
    host,
  );
}
