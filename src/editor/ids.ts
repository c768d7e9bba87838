// Every id the extension contributes, in one place (package.json `contributes` mirrors these;
// a unit test checks both agree).

export const CONFIG_SECTION = 'perfInsights';

export const COMMANDS = {
  analyzeWorkspace: 'perfInsights.analyzeWorkspace',
  analyzeCurrentFile: 'perfInsights.analyzeCurrentFile',
  showFindings: 'perfInsights.showFindings',
  openDashboard: 'perfInsights.openDashboard',
  connectToPlatform: 'perfInsights.connectToPlatform',
  showOutput: 'perfInsights.showOutput',
  toggleRule: 'perfInsights.toggleRule',
  openRuleDocs: 'perfInsights.openRuleDocs',
} as const;

export const VIEW_CONTAINER_ID = 'perfInsights';
export const DASHBOARD_VIEW_ID = 'perfInsights.dashboard';
export const FINDINGS_STATUS_ID = 'perfInsights.findings';
export const DIAGNOSTIC_SOURCE = 'perf-insights';
export const OUTPUT_CHANNEL_NAME = 'Perf Insights';

/** Languages whose documents are analyzed (VS Code language ids). */
export const ANALYZED_LANGUAGES = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'] as const;
