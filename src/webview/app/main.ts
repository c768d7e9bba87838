// Webview entry: receives the dashboard state from the host (validated), draws it, and sends
// user actions back. It makes no network request of its own (the CSP has no connect-src).
import type { SlowQuery } from '../../metrics/types';
import { isHostMessage, type DashboardState, type FixAction, type WebviewMessage } from '../protocol';
import { ageText, sourceStateText } from '../view-model';
import { renderDatabase } from './database';
import { renderEmpty, renderUntrusted } from './empty-state';
import { renderLlm } from './llm';
import { renderRoutes, type RouteSort } from './routes-table';
import { renderSources } from './sources';
import { drawSparkline } from './sparkline';
import { renderTiles } from './tiles';
import './styles.css';

interface VsCodeApi {
  postMessage(msg: WebviewMessage): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the view being hidden and shown again (no retainContextWhenHidden). */
interface SavedState {
  dashboard: DashboardState | null;
  sort: RouteSort;
}

const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
const saved = vscode.getState() as Partial<SavedState> | undefined;
let sort: RouteSort = saved?.sort ?? { key: 'p95Ms', dir: 'desc' };
let current: DashboardState | null = saved?.dashboard ?? null;

const post = (m: WebviewMessage) => vscode.postMessage(m);
const fix = (action: FixAction) => post({ type: 'fix', action });
const openQuery = (q: SlowQuery) => post({ type: 'openQuery', fingerprint: q.fingerprint, query: q.query });

function render(): void {
  vscode.setState({ dashboard: current, sort } satisfies SavedState);
  const focusKey = focusedKey();
  root.replaceChildren();
  root.setAttribute('aria-busy', current ? 'false' : 'true');
  if (!current) {
    root.append(document.createTextNode('Loading…'));
    return;
  }
  if (!current.trusted) {
    root.append(renderUntrusted(fix));
    return;
  }
  const report = current.report;
  const hasData = !!report && report.kpis.some((k) => k.value !== null);
  if (!current.configured || (report && !hasData)) root.append(renderEmpty(fix, current.configured));
  const now = Date.now();
  const sources = renderSources(report, now, () => fix('refresh'));
  if (!report) {
    root.append(sources);
    return;
  }
  const tiles = renderTiles(report, { fix });
  root.append(
    tiles.el,
    sources,
    renderRoutes(report.routes, sort, (s) => {
      sort = s;
      render();
    }),
    renderDatabase(report, new Set(current.locatedFingerprints), { openQuery }),
    renderLlm(report),
  );
  for (const [host, kpi] of tiles.sparklines) drawSparkline(host, report.history?.[kpi.id], kpi.status);
  restoreFocus(focusKey);
}

/** Re-rendering replaces nodes; keep keyboard focus on the "same" control across updates. */
function focusedKey(): string | null {
  const el = document.activeElement;
  if (!(el instanceof HTMLElement) || el === document.body) return null;
  const kpi = el.closest('[data-kpi]')?.getAttribute('data-kpi');
  if (el.id) return `#${el.id}`;
  if (el.dataset.sort) return `[data-sort="${el.dataset.sort}"]`;
  if (kpi) return `[data-kpi="${kpi}"]`;
  return null;
}

function restoreFocus(selector: string | null): void {
  if (selector) (root.querySelector(selector) as HTMLElement | null)?.focus();
}

/** Countdowns and "updated N s ago" tick every second without a full re-render. */
function tick(): void {
  const now = Date.now();
  const age = document.getElementById('age');
  if (age?.dataset.at) age.textContent = ageText(age.dataset.at, now);
  if (!current?.report) return;
  for (const s of current.report.sources) {
    if (!s.nextRetryAt) continue;
    const el = root.querySelector(`[data-source="${CSS.escape(s.id)}"] [data-role="source-state"]`);
    if (el) el.textContent = sourceStateText(s, now);
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostMessage(event.data)) {
    console.warn('Perf Insights: ignored a malformed message from the host');
    return;
  }
  current = event.data.state;
  render();
});

setInterval(tick, 1000);
render();
post({ type: 'ready' });
