// Builds the dashboard's dependencies from the editor services H6 creates at activation:
// settings through the one typed reader, passwords from the secret storage, findings for
// statement → code links, and the metrics service (H3) as the feed.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../editor/ids';
import { currentSettings } from '../editor/config';
import type { EditorServices } from '../editor/services';
import { DEFAULT_METRICS_CONFIG, readMetricsConfigFile, type MetricsConfig } from '../metrics/config';
import type { DashboardDeps } from './dashboard-host';
import type { createMetricsFeed } from './metrics-feed';

export function dashboardDeps(s: EditorServices): DashboardDeps {
  return {
    extensionUri: s.context.extensionUri,
    log: s.log,
    platformSettings: () => currentSettings().platform,
    baseMetricsConfig: () => projectMetricsConfig(s),
    secrets: s.secrets,
    findings: () => s.findings.all(),
    onFindingsChanged: (l) => s.findings.onDidChange(l),
    analyzeWorkspace: () => vscode.commands.executeCommand(COMMANDS.analyzeWorkspace),
    commands: { openDashboard: COMMANDS.openDashboard, connect: COMMANDS.connectToPlatform },
    // Required on first use (H6): the metrics sources pull pg and ioredis, ~0.7 s to load on this
    // machine, which must not land on extension activation.
    createFeed: (...args) => (require('./metrics-feed') as { createMetricsFeed: typeof createMetricsFeed }).createMetricsFeed(...args),
  };
}

/**
 * The `metrics` section of the workspace's `.perf-insights.json` (metric names, thresholds,
 * PromQL) over the defaults. Only read in a trusted workspace, like every connection setting.
 */
function projectMetricsConfig(s: EditorServices): MetricsConfig {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || !vscode.workspace.isTrusted) return DEFAULT_METRICS_CONFIG;
  const { config, problems } = readMetricsConfigFile(join(folder.uri.fsPath, '.perf-insights.json'));
  for (const p of problems) s.log.warn(`.perf-insights.json: ${p}`);
  return config;
}
