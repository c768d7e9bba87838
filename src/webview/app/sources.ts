// Each source's state (ok / failing with its message / retrying in N s) and the refresh button.
import type { KpiReport } from '../../metrics/types';
import { ageText, sourceStateText } from '../view-model';
import { button, h, section } from './dom';

export function renderSources(report: KpiReport | null, now: number, onRefresh: () => void): HTMLElement {
  const items = (report?.sources ?? []).map((s) =>
    h('li', { class: `source source-${s.state}`, 'data-source': s.id }, [
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', { class: 'source-id' }, [s.id]),
      h('span', { class: 'source-state', 'data-role': 'source-state', 'data-retry-at': s.nextRetryAt ?? undefined }, [sourceStateText(s, now)]),
    ]),
  );
  return section('sources', 'Sources', [
    h('div', { class: 'toolbar' }, [
      button('Refresh', onRefresh, { id: 'refresh', 'aria-label': 'Refresh all sources now' }),
      h('span', { class: 'muted', id: 'age', 'data-at': report?.at }, [report ? ageText(report.at, now) : 'waiting for the first sample…']),
    ]),
    items.length ? h('ul', { class: 'sources' }, items) : null,
  ]);
}
