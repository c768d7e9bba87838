// Every message between the dashboard host (extension side) and the webview app, declared once
// and imported by both. Each side validates what it receives with the guards below: the
// webview is a separate, less trusted context, and the report carries untrusted network data.
import type { KpiReport } from '../metrics/types';
import { hasShape, isArrayOf, isBoolean, isNullableString, isNumber, isObject, isOneOf, isString } from './guards';
import { isKpiReport } from './report-guard';

/** Everything the view needs to draw itself; sent whole on each change (it is small). */
export interface DashboardState {
  /** Workspace Trust: no connection is made in an untrusted workspace. */
  trusted: boolean;
  /** At least one metric source is configured. */
  configured: boolean;
  /** The latest report, or null before the first poll completes. */
  report: KpiReport | null;
  /** Fingerprints of slow statements whose issuing code the analysis engine located. */
  locatedFingerprints: string[];
  /** The poll interval in force, for "updated N s ago" and the countdowns. */
  pollIntervalMs: number;
}

export type HostMessage = { type: 'state'; state: DashboardState };

/** What a "fix" button does for an unknown KPI or a failing source. */
export type FixAction = 'connect' | 'openSettings' | 'refresh' | 'manageTrust';
export const FIX_ACTIONS: readonly FixAction[] = ['connect', 'openSettings', 'refresh', 'manageTrust'];

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'fix'; action: FixAction }
  | { type: 'openQuery'; fingerprint: string | null; query: string };

export const isDashboardState = hasShape<DashboardState>({
  trusted: isBoolean,
  configured: isBoolean,
  report: (v): v is KpiReport | null => v === null || isKpiReport(v),
  locatedFingerprints: isArrayOf(isString),
  pollIntervalMs: isNumber,
});

export function isHostMessage(v: unknown): v is HostMessage {
  return isObject(v) && v.type === 'state' && isDashboardState(v.state);
}

/** Query text is echoed back to the host for copying; cap it so a hostile page cannot flood it. */
export const MAX_QUERY_CHARS = 100_000;

export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'ready':
      return true;
    case 'fix':
      return isOneOf(FIX_ACTIONS)(v.action);
    case 'openQuery':
      return isNullableString(v.fingerprint) && isString(v.query) && v.query.length <= MAX_QUERY_CHARS;
    default:
      return false;
  }
}
