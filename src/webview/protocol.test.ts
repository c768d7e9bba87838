import { describe, expect, it } from 'vitest';
import { isDashboardState, isHostMessage, isWebviewMessage, MAX_QUERY_CHARS, type DashboardState } from './protocol';
import { isKpiReport } from './report-guard';
import { sampleReport } from './sample-report';

const state = (over: Partial<DashboardState> = {}): DashboardState => ({
  trusted: true, configured: true, report: sampleReport(), locatedFingerprints: ['a1b2c3d4e5f60718'], pollIntervalMs: 5000, ...over,
});
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('webview → host messages', () => {
  it('accepts every declared message', () => {
    expect(isWebviewMessage({ type: 'ready' })).toBe(true);
    for (const action of ['connect', 'openSettings', 'refresh', 'manageTrust']) {
      expect(isWebviewMessage({ type: 'fix', action })).toBe(true);
    }
    expect(isWebviewMessage({ type: 'openQuery', fingerprint: 'abc', query: 'SELECT 1' })).toBe(true);
    expect(isWebviewMessage({ type: 'openQuery', fingerprint: null, query: 'SELECT 1' })).toBe(true);
  });
  it('rejects unknown types, wrong fields and non-objects', () => {
    for (const bad of [
      null, undefined, 'ready', 42, [], {},
      { type: 'nope' },
      { type: 'fix', action: 'rm -rf' },
      { type: 'fix' },
      { type: 'openQuery', fingerprint: 1, query: 'x' },
      { type: 'openQuery', fingerprint: null },
      { type: 'openQuery', fingerprint: null, query: 'x'.repeat(MAX_QUERY_CHARS + 1) },
    ]) {
      expect(isWebviewMessage(bad), JSON.stringify(bad)?.slice(0, 80)).toBe(false);
    }
  });
});

describe('host → webview messages', () => {
  it('accepts a full state, an empty state and a JSON round trip', () => {
    expect(isHostMessage({ type: 'state', state: state() })).toBe(true);
    expect(isHostMessage({ type: 'state', state: state({ report: null, configured: false, locatedFingerprints: [] }) })).toBe(true);
    expect(isHostMessage(clone({ type: 'state', state: state() }))).toBe(true);
  });
  it('rejects a report with a wrong field anywhere in it', () => {
    const mutations: Array<(r: any) => void> = [
      (r) => { r.version = 2; },
      (r) => { r.kpis[0].id = 'bogus_kpi'; },
      (r) => { r.kpis[3].status = 'fine'; },
      (r) => { r.kpis[1].value = '180'; },
      (r) => { r.kpis[1].value = Number.POSITIVE_INFINITY; },
      (r) => { r.routes[0].p95Ms = 'slow'; },
      (r) => { r.slowQueries[0].query = { html: '<img>' }; },
      (r) => { r.connections.max = '100'; },
      (r) => { r.unusedIndexes = null; },
      (r) => { r.llm.cache.entries = []; },
      (r) => { r.llm.providers[0].provider = 7; },
      (r) => { r.sources[0].kind = 'mysql'; },
      (r) => { r.history.api_p95_ms[0] = [1]; },
      (r) => { r.history.not_a_kpi = []; },
    ];
    for (const mutate of mutations) {
      const r = clone(sampleReport());
      mutate(r);
      expect(isKpiReport(r), mutate.toString()).toBe(false);
      expect(isDashboardState(state({ report: r }))).toBe(false);
    }
  });
  it('accepts optional extensions being absent and null connections/cache', () => {
    const r: any = clone(sampleReport());
    delete r.history;
    delete r.sources[2].nextRetryAt;
    r.connections = null;
    r.llm.cache = null;
    expect(isKpiReport(r)).toBe(true);
  });
  it('rejects malformed envelopes', () => {
    expect(isHostMessage({ type: 'state' })).toBe(false);
    expect(isHostMessage({ type: 'other', state: state() })).toBe(false);
    expect(isHostMessage({ type: 'state', state: { ...state(), trusted: 'yes' } })).toBe(false);
    expect(isHostMessage({ type: 'state', state: { ...state(), locatedFingerprints: [1] } })).toBe(false);
  });
});
