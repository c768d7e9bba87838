// Status bar item (with an id, so users can hide it) showing the finding count; click lists them.
import * as vscode from 'vscode';
import type { FindingsStore } from './diagnostics';
import { COMMANDS, FINDINGS_STATUS_ID } from './ids';

export class FindingsStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(FINDINGS_STATUS_ID, vscode.StatusBarAlignment.Left, 10);
  private readonly sub: vscode.Disposable;
  private busy: string | null = null;

  constructor(private readonly store: FindingsStore) {
    this.item.name = 'Perf Insights: findings';
    this.item.command = COMMANDS.showFindings;
    this.sub = store.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  /** Shows a spinner with a short text while a workspace scan runs; `null` ends it. */
  setBusy(text: string | null): void {
    this.busy = text;
    this.render();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }

  private render(): void {
    const n = this.store.count();
    const files = this.store.files().length;
    this.item.text = this.busy ? `$(sync~spin) ${this.busy}` : `$(pulse) ${n}`;
    this.item.tooltip = `Perf Insights: ${n} finding${n === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}. Click to list them.`;
    this.item.accessibilityInformation = { label: this.item.tooltip };
  }
}
