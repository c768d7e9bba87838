// Workspace Trust gate for everything that connects to a database or server. Static analysis
// never needs trust (it only reads files); a connection does, because connection settings can
// come from the (possibly hostile) workspace.
import * as vscode from 'vscode';

export const UNTRUSTED_MESSAGE =
  'Perf Insights: connecting to the platform is off in Restricted Mode. Trust this workspace (Manage Workspace Trust) to connect; static analysis keeps working.';

/** True when trusted; otherwise shows the reason (with a way to fix it) and returns false. */
export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`${UNTRUSTED_MESSAGE} (${what})`, 'Manage Workspace Trust').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
