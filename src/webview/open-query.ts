// Clicking a slow statement: open the code that issues it (pick one when several places do),
// or copy the statement when the analysis engine does not know where it comes from.
import * as vscode from 'vscode';
import type { CodeLocation } from './query-locations';

export async function openQueryCode(query: string, locations: readonly CodeLocation[]): Promise<void> {
  let target: CodeLocation | undefined = locations[0];
  if (locations.length > 1) {
    const picked = await vscode.window.showQuickPick(
      locations.map((l) => ({ label: `${vscode.workspace.asRelativePath(l.file)}:${l.line}`, detail: l.message, location: l })),
      { title: 'Perf Insights: this statement is issued from several places', matchOnDetail: true },
    );
    if (!picked) return;
    target = picked.location;
  }
  if (!target) {
    await vscode.env.clipboard.writeText(query);
    void vscode.window.showInformationMessage(
      'Perf Insights: statement copied. No code location is known for it (the analysis links statements it can read in your code by their fingerprint).',
    );
    return;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(target.file));
  const range = new vscode.Range(target.line - 1, target.column - 1, target.endLine - 1, target.endColumn - 1);
  await vscode.window.showTextDocument(doc, { selection: range, preview: false });
}
