// "Show Findings": the Problems panel, filtered to our source.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../ids';
import type { EditorServices } from '../services';

export async function showFindings(s: EditorServices): Promise<number> {
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  // The filter command exists in desktop VS Code and code-server; a missing one is not fatal.
  await vscode.commands.executeCommand('workbench.actions.problems.focus').then(undefined, () => undefined);
  s.log.info(`showing ${s.findings.count()} findings (Problems panel; filter by "${DIAGNOSTIC_SOURCE}")`);
  return s.findings.count();
}
