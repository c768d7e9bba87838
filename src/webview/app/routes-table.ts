// API per-route table, sortable by every numeric column; slowest p95 first by default.
import type { RouteStats } from '../../metrics/types';
import { formatMs, formatNumber, formatPct, sortRoutes, type RouteSortKey, type SortDirection } from '../view-model';
import { h, section } from './dom';

export interface RouteSort {
  key: RouteSortKey;
  dir: SortDirection;
}

const COLUMNS: Array<{ key: RouteSortKey; label: string; numeric: boolean }> = [
  { key: 'route', label: 'Route', numeric: false },
  { key: 'p95Ms', label: 'p95', numeric: true },
  { key: 'avgMs', label: 'Avg', numeric: true },
  { key: 'rps', label: 'Req/s', numeric: true },
  { key: 'errorRatePct', label: 'Errors', numeric: true },
];

export function renderRoutes(routes: RouteStats[], sort: RouteSort, onSort: (s: RouteSort) => void): HTMLElement {
  if (routes.length === 0) return section('api', 'API', [h('p', { class: 'muted' }, ['No per-route request metrics in the last interval.'])]);
  const head = h('tr', {}, COLUMNS.map((c) => {
    const active = sort.key === c.key;
    const ariaSort = active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
    const btn = h('button', { type: 'button', class: 'sort', 'data-sort': c.key }, [c.label, active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '']);
    btn.addEventListener('click', () => {
      const dir: SortDirection = active ? (sort.dir === 'asc' ? 'desc' : 'asc') : c.numeric ? 'desc' : 'asc';
      onSort({ key: c.key, dir });
    });
    return h('th', { scope: 'col', 'aria-sort': ariaSort, class: c.numeric ? 'num' : '' }, [btn]);
  }));
  const rows = sortRoutes(routes, sort.key, sort.dir).map((r) =>
    h('tr', {}, [
      h('td', { class: 'route', title: `${r.service}` }, [h('span', { class: 'method' }, [r.method]), ' ', r.route]),
      h('td', { class: 'num' }, [formatMs(r.p95Ms)]),
      h('td', { class: 'num' }, [formatMs(r.avgMs)]),
      h('td', { class: 'num' }, [formatNumber(r.rps)]),
      h('td', { class: 'num' }, [formatPct(r.errorRatePct)]),
    ]),
  );
  return section('api', 'API', [
    h('table', { class: 'grid', 'aria-label': 'Requests per route over the last interval' }, [h('thead', {}, [head]), h('tbody', {}, rows)]),
  ]);
}
