// What a new user sees: what the dashboard needs, a Connect button, and the demo hint. Also the
// untrusted-workspace notice (no connection is made there).
import type { FixAction } from '../protocol';
import { button, h } from './dom';

export function renderUntrusted(fix: (a: FixAction) => void): HTMLElement {
  return h('section', { class: 'panel notice', id: 'untrusted', role: 'status' }, [
    h('h2', {}, ['Workspace not trusted']),
    h('p', {}, ['Perf Insights makes no network or database connection in an untrusted workspace, because its settings could point them anywhere. Trust this workspace to see live KPIs.']),
    button('Manage Workspace Trust…', () => fix('manageTrust')),
  ]);
}

/** `configured`: sources are set but none returns data (an outage, or the defaults with no platform). */
export function renderEmpty(fix: (a: FixAction) => void, configured: boolean): HTMLElement {
  return h('section', { class: 'panel notice', id: 'empty', 'aria-labelledby': 'empty-heading' }, [
    h('h2', { id: 'empty-heading' }, [configured ? 'No platform data' : 'No platform data yet']),
    configured ? h('p', {}, ['None of the configured sources returns data right now; each one\'s state is listed under Sources.']) : null,
    h('p', {}, ['The dashboard reads your platform\'s KPIs from any of:']),
    h('ul', {}, [
      h('li', {}, ['Prometheus /metrics endpoints of your services (or a Prometheus server)']),
      h('li', {}, ['the platform JSON API (/api/v1/metrics/…)']),
      h('li', {}, ['Postgres with pg_stat_statements (slow statements, connections)']),
      h('li', {}, ['Redis (LLM cache)']),
    ]),
    h('div', { class: 'toolbar' }, [
      button('Connect to Platform…', () => fix('connect'), { id: 'connect' }),
      button('Open settings', () => fix('openSettings'), { class: 'secondary' }),
    ]),
    h('p', { class: 'muted' }, ['Try with the reference platform: ', h('code', {}, ['npm run demo']), ' in the Perf Insights repository.']),
  ]);
}
