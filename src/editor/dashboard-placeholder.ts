// TODO(H8): replaced by registerDashboard() from src/webview/dashboard-host.ts once it lands.
// Until then the contributed view must have a provider, or VS Code shows an endless spinner.
import * as vscode from 'vscode';
import { COMMANDS, DASHBOARD_VIEW_ID } from './ids';

export function registerDashboardPlaceholder(): vscode.Disposable {
  return vscode.window.registerWebviewViewProvider(DASHBOARD_VIEW_ID, {
    resolveWebviewView(view) {
      view.webview.options = { enableScripts: false, enableCommandUris: [COMMANDS.connectToPlatform] };
      view.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"></head>
<body style="color: var(--vscode-foreground); font-family: var(--vscode-font-family)">
<p>The live dashboard is not built into this version yet.</p>
<p><a href="command:${COMMANDS.connectToPlatform}">Connect to Platform…</a></p></body></html>`;
    },
  });
}
