// "Analyze Current File": re-analyses the active editor's file now (no debounce).
import * as vscode from 'vscode';
import { isAnalyzable } from '../analysis-controller';
import type { EditorServices } from '../services';

export async function analyzeCurrentFile(s: EditorServices): Promise<number | undefined> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || !isAnalyzable(doc)) {
    void vscode.window.showInformationMessage('Perf Insights: open a TypeScript or JavaScript file to analyze it.');
    return undefined;
  }
  await s.client.whenReady();
  const r = await s.controller.analyzeNow(doc);
  if (r?.error) void vscode.window.showErrorMessage(`Perf Insights: analysis failed: ${r.error}`);
  return s.findings.get(doc.fileName)?.findings.length ?? 0;
}
