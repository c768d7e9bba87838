// The dashboard's extension side: a WebviewViewProvider plus the controller that owns the
// metrics feed. The host does all network and database work; the webview only draws what it
// is sent (validated on both sides, see protocol.ts) and posts user actions back.
import * as vscode from 'vscode';
import type { Finding } from '../analysis/types';
import type { PlatformSettings } from '../editor/settings';
import type { Owner } from '../editor/owner';
import type { PlatformSecrets } from '../editor/secrets';
import type { EditorServices } from '../editor/services';
import { dashboardDeps } from './dashboard-deps';
import type { MetricsConfig } from '../metrics/config';
import type { KpiReport } from '../metrics/types';
import { dashboardHtml } from './dashboard-html';
import { hasAnySource, metricsConfigFromSettings } from './metrics-config';
import { isWebviewMessage, type DashboardState, type FixAction, type HostMessage, type WebviewMessage } from './protocol';
import { locationsByFingerprint } from './query-locations';
import { openQueryCode } from './open-query';
import { isKpiReport } from './report-guard';
import { HealthStatusItem } from './status-item';

export const DASHBOARD_VIEW_ID = 'perfInsights.dashboard';

export interface LogLike {
  info(m: string): void;
  warn(m: string): void;
  error(m: string): void;
}

/** What the dashboard needs from H3's MetricsService (kept narrow so tests can fake it). */
export interface MetricsFeed {
  start(): void;
  stop(): Promise<void> | void;
  setVisible(visible: boolean): void;
  refresh(): unknown;
  onReport(listener: (r: KpiReport) => void): unknown;
  latest(): KpiReport | null;
}

export interface FeedSecrets {
  postgresPassword?: string;
  redisPassword?: string;
}

export interface DashboardDeps {
  extensionUri: vscode.Uri;
  log: LogLike;
  /** The typed `perfInsights.platform.*` settings (workspace values ignored when untrusted). */
  platformSettings(): PlatformSettings;
  /** `.perf-insights.json` metrics section merged over defaults (names, thresholds, queries). */
  baseMetricsConfig(): MetricsConfig;
  secrets: Pick<PlatformSecrets, 'getPostgresPassword' | 'getRedisPassword' | 'onDidChange'>;
  /** Current analysis findings (those with `sqlFingerprint` link slow statements to code). */
  findings(): readonly Finding[];
  onFindingsChanged?(listener: () => void): vscode.Disposable;
  /** Runs a workspace analysis, used once when a clicked statement has no known location yet. */
  analyzeWorkspace?(): Thenable<unknown>;
  /** Command that focuses the view (status bar click) and the Connect command id. */
  commands: { openDashboard: string; connect: string };
  createFeed(config: MetricsConfig, secrets: FeedSecrets, log: LogLike): MetricsFeed;
}

/**
 * Called once from `activate`: registers the dashboard view, the status bar item and the
 * metrics feed on `owner`. `overrides` replace individual dependencies (tests, benches).
 */
export function registerDashboard(owner: Owner, services: EditorServices, overrides: Partial<DashboardDeps> = {}): DashboardController {
  const deps = { ...dashboardDeps(services), ...overrides };
  const controller = owner.register(new DashboardController(deps));
  owner.register(
    vscode.window.registerWebviewViewProvider(DASHBOARD_VIEW_ID, controller, {
      // State lives in the webview's setState; no retainContextWhenHidden (it keeps a whole
      // renderer alive while hidden).
      webviewOptions: { retainContextWhenHidden: false },
    }),
  );
  return controller;
}

export class DashboardController implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private viewReady = false;
  private feed: MetricsFeed | null = null;
  private report: KpiReport | null = null;
  private generation = 0;
  private scannedForQueries = false;
  private readonly status: HealthStatusItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: DashboardDeps) {
    this.status = new HealthStatusItem(deps.commands.openDashboard);
    this.disposables.push(
      this.status,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('perfInsights.platform')) void this.restart('settings changed');
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart('workspace trusted')),
      deps.secrets.onDidChange(() => void this.restart('password changed')),
    );
    if (deps.onFindingsChanged) this.disposables.push(deps.onFindingsChanged(() => this.postState()));
    // Poll from activation only when the user chose endpoints; otherwise from the first time
    // the view is opened (defaults alone must not make every workspace poll localhost).
    if (this.userConfigured()) void this.restart('activation');
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.viewReady = false;
    const root = this.deps.extensionUri;
    const assets = vscode.Uri.joinPath(root, 'dist', 'webview');
    // HTML before options: setting options re-renders the current document, and the initial
    // empty one would make VS Code warn about a webview without a CSP.
    view.webview.html = dashboardHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(assets, 'app.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(assets, 'app.css')).toString(),
    });
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [assets, vscode.Uri.joinPath(root, 'media')],
    };
    const subs = [
      view.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      view.onDidChangeVisibility(() => {
        // Hidden without retainContextWhenHidden: the page is torn down and will say `ready`
        // again when shown (restoring itself from getState meanwhile).
        if (!view.visible) this.viewReady = false;
        this.feed?.setVisible(view.visible);
      }),
    ];
    view.onDidDispose(() => {
      subs.forEach((d) => d.dispose());
      if (this.view === view) {
        this.view = undefined;
        this.viewReady = false;
      }
      this.feed?.setVisible(false);
    });
    if (!this.feed) void this.restart('view opened');
    else this.feed.setVisible(view.visible);
  }

  /** For tests and the bench: the state the webview would receive now. */
  currentState(): DashboardState {
    const trusted = vscode.workspace.isTrusted;
    const settings = this.deps.platformSettings();
    const located = locationsByFingerprint(this.deps.findings());
    const report = this.report;
    return {
      trusted,
      configured: hasAnySource(settings),
      report: trusted ? report : null,
      locatedFingerprints: (report?.slowQueries ?? []).flatMap((q) => (q.fingerprint && located.has(q.fingerprint) ? [q.fingerprint] : [])),
      pollIntervalMs: settings.pollIntervalSeconds * 1000,
    };
  }

  async dispose(): Promise<void> {
    this.generation++;
    this.disposables.splice(0).forEach((d) => d.dispose());
    const feed = this.feed;
    this.feed = null;
    await feed?.stop();
  }

  private userConfigured(): boolean {
    const s = this.deps.platformSettings();
    const d = DEFAULT_TARGETS;
    const customTargets = s.prometheusTargets.length !== d.length || s.prometheusTargets.some((t, i) => t !== d[i]);
    return customTargets || !!s.prometheusServerUrl || !!s.apiUrl || !!s.postgres.host || !!s.redis.host;
  }

  /** (Re)creates the feed from the current settings and secrets; never throws. */
  private async restart(why: string): Promise<void> {
    const gen = ++this.generation;
    const old = this.feed;
    this.feed = null;
    try {
      await old?.stop();
    } catch (e) {
      this.deps.log.warn(`dashboard: stopping the metrics feed failed: ${String(e)}`);
    }
    if (gen !== this.generation) return;
    this.report = null;
    const settings = this.deps.platformSettings();
    if (!vscode.workspace.isTrusted || !hasAnySource(settings)) {
      this.deps.log.info(`dashboard: not polling (${vscode.workspace.isTrusted ? 'no source configured' : 'untrusted workspace'})`);
      this.publish();
      return;
    }
    try {
      const [postgresPassword, redisPassword] = await Promise.all([
        this.deps.secrets.getPostgresPassword(),
        this.deps.secrets.getRedisPassword(),
      ]);
      if (gen !== this.generation) return;
      const config = metricsConfigFromSettings(settings, this.deps.baseMetricsConfig());
      const feed = this.deps.createFeed(config, { postgresPassword, redisPassword }, this.deps.log);
      this.feed = feed;
      feed.onReport((r) => {
        if (this.feed !== feed) return;
        if (!isKpiReport(r)) {
          this.deps.log.error('dashboard: the metrics service produced a malformed report; not shown');
          return;
        }
        this.report = r;
        this.publish();
      });
      feed.setVisible(this.view?.visible ?? false);
      feed.start();
      this.deps.log.info(`dashboard: polling started (${why}), every ${config.intervalMs} ms while visible`);
    } catch (e) {
      this.deps.log.error(`dashboard: could not start the metrics feed: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.publish();
  }

  private publish(): void {
    const state = this.currentState();
    this.status.update(state.report, state.trusted, state.configured, this.feed !== null || (!state.trusted && this.userConfigured()));
    this.postState(state);
  }

  private postState(state = this.currentState()): void {
    if (!this.view || !this.viewReady) return;
    const msg: HostMessage = { type: 'state', state };
    void this.view.webview.postMessage(msg);
  }

  private onMessage(m: unknown): void {
    if (!isWebviewMessage(m)) {
      this.deps.log.warn('dashboard: ignored a malformed message from the webview');
      return;
    }
    void this.handle(m).catch((e) => this.deps.log.error(`dashboard: ${m.type} failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  private async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.viewReady = true;
        this.postState();
        return;
      case 'fix':
        return this.fix(m.action);
      case 'openQuery': {
        let located = m.fingerprint ? locationsByFingerprint(this.deps.findings()).get(m.fingerprint) : undefined;
        if (!located && m.fingerprint && this.deps.analyzeWorkspace && !this.scannedForQueries) {
          // Findings exist only for analysed files; one workspace scan finds the rest.
          this.scannedForQueries = true;
          await this.deps.analyzeWorkspace();
          located = locationsByFingerprint(this.deps.findings()).get(m.fingerprint);
          this.postState();
        }
        return openQueryCode(m.query, located ?? []);
      }
    }
  }

  private async fix(action: FixAction): Promise<void> {
    switch (action) {
      case 'connect':
        await vscode.commands.executeCommand(this.deps.commands.connect);
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'perfInsights.platform');
        return;
      case 'manageTrust':
        await vscode.commands.executeCommand('workbench.trust.manage');
        return;
      case 'refresh':
        if (this.feed) await this.feed.refresh();
        else await this.restart('refresh');
        return;
    }
  }
}

const DEFAULT_TARGETS = ['http://localhost:8000/metrics', 'http://localhost:8001/metrics'];
