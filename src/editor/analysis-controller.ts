// Decides what to analyse when: documents on open/edit (debounced)/save, files changed on disk,
// settings changes, and which findings stay in the Problems panel for the chosen scope.
import * as vscode from 'vscode';
import type { AnalysisClient, RunResult } from './analysis-client';
import { currentSettings } from './config';
import type { FindingsStore } from './diagnostics';
import { ANALYZED_LANGUAGES, CONFIG_SECTION } from './ids';
import { REANALYZE_KEYS } from './settings';

const SOURCE_GLOB = '**/*.{ts,tsx,js,jsx,mts,cts,mjs,cjs}';

export function isAnalyzable(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && (ANALYZED_LANGUAGES as readonly string[]).includes(doc.languageId) && !doc.fileName.endsWith('.d.ts');
}

export class AnalysisController implements vscode.Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Cached: findings of a whole scan pass through `accept`, one settings read each is waste. */
  private scope = currentSettings().analysisScope;

  constructor(
    private readonly client: AnalysisClient,
    private readonly store: FindingsStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  start(): void {
    const w = vscode.workspace;
    this.subscriptions.push(
      w.onDidOpenTextDocument((d) => this.analyzeNow(d)),
      w.onDidChangeTextDocument((e) => e.contentChanges.length && this.schedule(e.document)),
      w.onDidSaveTextDocument((d) => this.analyzeNow(d)),
      w.onDidCloseTextDocument((d) => this.onClose(d)),
      w.onDidChangeConfiguration((e) => this.onConfig(e)),
    );
    const watcher = w.createFileSystemWatcher(SOURCE_GLOB);
    const onDisk = (uri: vscode.Uri) => {
      if (w.textDocuments.some((d) => d.uri.fsPath === uri.fsPath)) return; // the editor's text wins
      this.client.fileChanged(uri.fsPath);
    };
    const configWatcher = w.createFileSystemWatcher('**/.perf-insights.json');
    const reconfigure = () => this.reconfigure('.perf-insights.json changed');
    this.subscriptions.push(
      watcher,
      watcher.onDidChange(onDisk),
      watcher.onDidCreate(onDisk),
      watcher.onDidDelete((uri) => {
        this.client.fileRemoved(uri.fsPath);
        this.store.delete(uri.fsPath);
      }),
      configWatcher,
      configWatcher.onDidChange(reconfigure),
      configWatcher.onDidCreate(reconfigure),
      configWatcher.onDidDelete(reconfigure),
    );
    for (const d of w.textDocuments) this.analyzeNow(d);
  }

  /** Analyse a document now (open, save, command); resolves when its findings are in. */
  analyzeNow(doc: vscode.TextDocument): Promise<RunResult | undefined> {
    if (!isAnalyzable(doc)) return Promise.resolve(undefined);
    this.clearTimer(doc.fileName);
    return this.client.analyze(doc.fileName, doc.getText(), doc.version).then((r) => {
      if (r.error) this.log.warn(`analysis of ${doc.fileName}: ${r.error}`);
      return r;
    });
  }

  /** Findings arriving from the worker: kept or dropped by scope. */
  accept(file: string, findings: Parameters<FindingsStore['set']>[1], version: number | undefined): void {
    if (this.scope === 'openFiles' && !vscode.workspace.textDocuments.some((d) => d.fileName === file)) return;
    this.store.set(file, findings, version);
  }

  /** After a worker restart: hand the editor buffers back to the new project. */
  resendOpenDocuments(): void {
    for (const d of vscode.workspace.textDocuments) void this.analyzeNow(d);
  }

  reconfigure(why: string): void {
    this.log.info(`re-analysing: ${why}`);
    this.client.configure();
    this.resendOpenDocuments();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isAnalyzable(doc)) return;
    this.clearTimer(doc.fileName);
    const delay = currentSettings(doc.uri).debounceMs;
    this.timers.set(
      doc.fileName,
      setTimeout(() => {
        this.timers.delete(doc.fileName);
        if (!doc.isClosed) void this.analyzeNow(doc);
      }, delay),
    );
  }

  private onClose(doc: vscode.TextDocument): void {
    if (!isAnalyzable(doc)) return;
    this.clearTimer(doc.fileName);
    if (this.scope === 'openFiles') {
      this.client.closed(doc.fileName);
      this.store.delete(doc.fileName);
    } else if (doc.isDirty) {
      // Closed without saving: the findings must describe the file on disk again.
      void this.client.analyze(doc.fileName);
    } else {
      this.client.closed(doc.fileName);
    }
  }

  private onConfig(e: vscode.ConfigurationChangeEvent): void {
    if (REANALYZE_KEYS.some((k) => e.affectsConfiguration(`${CONFIG_SECTION}.${k}`))) this.reconfigure('settings changed');
    if (e.affectsConfiguration(`${CONFIG_SECTION}.analysisScope`)) this.scope = currentSettings().analysisScope;
    if (e.affectsConfiguration(`${CONFIG_SECTION}.analysisScope`) && this.scope === 'openFiles') {
      const open = new Set(vscode.workspace.textDocuments.map((d) => d.fileName));
      for (const f of this.store.files()) if (!open.has(f)) this.store.delete(f);
    }
  }

  private clearTimer(file: string): void {
    const t = this.timers.get(file);
    if (t) clearTimeout(t);
    this.timers.delete(file);
  }
}
