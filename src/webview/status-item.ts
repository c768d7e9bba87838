// The status bar item summarising platform health (the worst KPI); a click opens the dashboard.
import * as vscode from 'vscode';
import type { KpiReport } from '../metrics/types';
import { healthSummary } from './view-model';

const ICONS = { ok: '$(pass)', warning: '$(warning)', critical: '$(error)', unknown: '$(pulse)' } as const;

export class HealthStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(openCommand: string) {
    this.item = vscode.window.createStatusBarItem('perfInsights.health', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Perf Insights: platform health';
    this.item.command = openCommand;
  }

  /** Shown only once polling has started: a user without a platform sees no extra noise. */
  update(report: KpiReport | null, trusted: boolean, configured: boolean, active: boolean): void {
    if (!active) {
      this.item.hide();
      return;
    }
    const s = healthSummary(report, trusted, configured);
    this.item.text = `${ICONS[s.status]} ${s.text}`;
    this.item.tooltip = `${s.tooltip}\n\nClick to open the Perf Insights dashboard.`;
    this.item.accessibilityInformation = { label: s.text.replace(/^Perf:/, 'Platform health:'), role: 'button' };
    this.item.backgroundColor =
      s.status === 'critical'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : s.status === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
