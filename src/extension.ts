// Activation: build the one owner, register everything on it, return fast. The analysis engine
// (ts-morph, ORM knowledge) loads in the worker on first use, never here.
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { AnalysisClient } from './editor/analysis-client';
import { AnalysisController, isAnalyzable } from './editor/analysis-controller';
import { registerCommands } from './editor/commands/index';
import { PerfCodeActions } from './editor/code-actions';
import { explicitSettings } from './editor/config';
import { FindingsStore } from './editor/diagnostics';
import { ANALYZED_LANGUAGES, OUTPUT_CHANNEL_NAME } from './editor/ids';
import { Owner } from './editor/owner';
import { PlatformSecrets } from './editor/secrets';
import type { EditorServices } from './editor/services';
import { FindingsStatus } from './editor/status-bar';

let owner: Owner | undefined;
let services: EditorServices | undefined;

/** Public API returned by activate (used by the integration suite and the dashboard). */
export interface PerfInsightsApi {
  services: EditorServices;
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): PerfInsightsApi {
  const t0 = performance.now();
  owner = new Owner();
  const o = owner;
  const log = o.register(vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true }));
  const findings = o.register(new FindingsStore(context.extensionUri));
  let controller: AnalysisController | undefined;
  const client = new AnalysisClient({
    workerPath: join(context.extensionPath, 'dist', 'analysis-worker.js'),
    root: projectRoot(),
    settings: () => explicitSettings(),
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
    onFindings: (file, f, version) => controller?.accept(file, f, version),
    onRestart: () => controller?.resendOpenDocuments(),
    onError: (m) => {
      void vscode.window.showWarningMessage(`Perf Insights: ${m}`, 'Show Output').then((pick) => pick && log.show(true));
    },
  });
  o.register(client);
  controller = o.register(new AnalysisController(client, findings, log));
  const status = o.register(new FindingsStatus(findings));
  const secrets = new PlatformSecrets(context.secrets);
  services = { context, owner: o, log, client, controller, findings, secrets, status, commandFailures: [] };

  registerCommands(services);
  const selector = ANALYZED_LANGUAGES.map((language) => ({ language, scheme: 'file' }));
  o.register(vscode.languages.registerCodeActionsProvider(selector, new PerfCodeActions(findings), PerfCodeActions.metadata));
  // The dashboard module and the metrics code behind it cost more to load than everything
  // above together (bench/activation.mjs), so it loads right after activation, not during it.
  // Until it registers, VS Code shows the view as loading.
  const s = services;
  setTimeout(() => {
    const t = performance.now();
    void loadDashboard(context.extensionPath)
      .then((m) => {
        if (o.isDisposed) return;
        m.registerDashboard(o, s);
        log.info(`dashboard registered in ${(performance.now() - t).toFixed(1)} ms`);
      })
      .catch((e: unknown) => log.error(`the dashboard failed to load: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  }, 0);

  // Analysing the open documents posts to the worker (which starts it); do it after activate
  // returns so activation itself stays cheap.
  const c = controller;
  setTimeout(() => {
    if (!o.isDisposed) c.start();
  }, 0);
  const activationMs = performance.now() - t0;
  log.info(`activated in ${activationMs.toFixed(1)} ms (trusted workspace: ${vscode.workspace.isTrusted})`);
  return { services, activationMs };
}

export async function deactivate(): Promise<void> {
  const o = owner;
  owner = undefined;
  services = undefined;
  await o?.dispose();
}

/** dist/dashboard-host.js, a bundle of its own (see esbuild.mjs). */
async function loadDashboard(extensionPath: string): Promise<typeof import('./webview/dashboard-host')> {
  // A computed path, so esbuild leaves this require alone instead of inlining the module.
  const file = join(extensionPath, 'dist', 'dashboard-host.js');
  return require(file) as typeof import('./webview/dashboard-host');
}

/** The first workspace folder; without a folder, the folder of the active file. */
function projectRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder) return folder.uri.fsPath;
  const doc = vscode.window.activeTextEditor?.document;
  return doc && isAnalyzable(doc) ? dirname(doc.fileName) : process.cwd();
}
