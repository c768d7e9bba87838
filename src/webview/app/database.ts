// Database panel: the last interval's slowest statements (click to open the code that issues
// one, or copy it), connections by state against max_connections, unused indexes.
import type { KpiReport, SlowQuery } from '../../metrics/types';
import { formatBytes, formatMs, formatNumber, shareOf } from '../view-model';
import { bar, h, section } from './dom';

export interface DatabaseHandlers {
  openQuery(q: SlowQuery): void;
}

export function renderDatabase(report: KpiReport, located: ReadonlySet<string>, on: DatabaseHandlers): HTMLElement {
  return section('database', 'Database', [slowQueries(report.slowQueries, located, on), connections(report), unusedIndexes(report)]);
}

function slowQueries(queries: SlowQuery[], located: ReadonlySet<string>, on: DatabaseHandlers): HTMLElement {
  if (queries.length === 0) return h('p', { class: 'muted' }, ['No statements ran in the last interval (or pg_stat_statements is not available).']);
  const rows = queries.map((q) => {
    const canOpen = q.fingerprint !== null && located.has(q.fingerprint);
    const action = canOpen ? 'Open the code that issues this statement' : 'Copy this statement';
    const cell = h('button', { type: 'button', class: 'query', 'data-role': 'query', 'data-fingerprint': q.fingerprint ?? undefined, title: action, 'aria-label': `${action}: ${q.query.slice(0, 200)}` }, [
      h('code', {}, [q.query]),
      h('span', { class: 'query-action' }, [canOpen ? 'Open code' : 'Copy']),
    ]);
    cell.addEventListener('click', () => on.openQuery(q));
    return h('tr', {}, [
      h('td', {}, [cell]),
      h('td', { class: 'num' }, [formatNumber(q.calls)]),
      h('td', { class: 'num' }, [formatMs(q.meanMs)]),
      h('td', { class: 'num' }, [formatMs(q.totalMs)]),
      h('td', { class: 'num' }, [formatNumber(q.rowsPerCall)]),
    ]);
  });
  return h('div', {}, [
    h('h3', {}, ['Slowest statements, last interval']),
    h('table', { class: 'grid', id: 'slow-queries', 'aria-label': 'Slowest statements in the last interval' }, [
      h('thead', {}, [h('tr', {}, [h('th', { scope: 'col' }, ['Statement']), ...['Calls', 'Mean', 'Total', 'Rows/call'].map((c) => h('th', { scope: 'col', class: 'num' }, [c]))])]),
      h('tbody', {}, rows),
    ]),
  ]);
}

function connections(report: KpiReport): HTMLElement {
  const c = report.connections;
  if (!c) return h('p', { class: 'muted' }, ['Connections: no data (Postgres not configured or unreachable).']);
  const states: Array<[string, number | null, string]> = [
    ['Active', c.active, 'active'],
    ['Idle', c.idle, 'idle'],
    ['Idle in transaction', c.idleInTransaction, 'idle-tx'],
    ['Waiting', c.waiting, 'waiting'],
  ];
  return h('div', {}, [
    h('h3', {}, [`Connections (max_connections ${formatNumber(c.max)})`]),
    h('dl', { class: 'bars' }, states.flatMap(([label, n, cls]) => [
      h('dt', {}, [label]),
      h('dd', {}, [bar(shareOf(n, c.max), cls, `${label}: ${formatNumber(n)} of ${formatNumber(c.max)}`), h('span', { class: 'bar-value' }, [formatNumber(n)])]),
    ])),
  ]);
}

function unusedIndexes(report: KpiReport): HTMLElement {
  if (report.unusedIndexes.length === 0) return h('p', { class: 'muted' }, ['No unused indexes found.']);
  return h('div', {}, [
    h('h3', {}, ['Unused indexes (never scanned)']),
    h('table', { class: 'grid', 'aria-label': 'Unused indexes' }, [
      h('thead', {}, [h('tr', {}, [h('th', { scope: 'col' }, ['Index']), h('th', { scope: 'col' }, ['Table']), h('th', { scope: 'col', class: 'num' }, ['Size'])])]),
      h('tbody', {}, report.unusedIndexes.map((i) => h('tr', {}, [h('td', {}, [i.index]), h('td', {}, [i.table]), h('td', { class: 'num' }, [formatBytes(i.sizeBytes)])]))),
    ]),
  ]);
}
