// "Analyze Workspace": every file of the project, with cancellable progress (files done/total).
import * as vscode from 'vscode';
import type { EditorServices } from '../services';

export interface ScanSummary {
  cancelled: boolean;
  files: number;
  findings: number;
  ms: number;
  error?: string;
}

export async function analyzeWorkspace(s: EditorServices): Promise<ScanSummary | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Perf Insights: open a folder to analyze a workspace.');
    return undefined;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Perf Insights: analyzing workspace', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let last = 0;
      try {
        progress.report({ message: 'loading the project…' });
        await s.client.whenReady();
        const r = await s.client.scan((done, total) => {
          progress.report({ message: `${done}/${total} files`, increment: ((done - last) / Math.max(1, total)) * 100 });
          last = done;
          s.status.setBusy(`${done}/${total}`);
        }, abort.signal);
        const summary = { cancelled: r.cancelled, files: r.files, findings: s.findings.count(), ms: r.ms, error: r.error };
        s.log.info(`workspace scan ${r.cancelled ? 'cancelled after' : 'analysed'} ${r.files} files in ${r.ms} ms; ${summary.findings} findings`);
        if (r.error) void vscode.window.showErrorMessage(`Perf Insights: workspace analysis failed: ${r.error}`);
        return summary;
      } finally {
        sub.dispose();
        s.status.setBusy(null);
      }
    },
  );
}
