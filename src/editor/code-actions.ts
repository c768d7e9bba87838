// Quick fixes for our diagnostics: the engine's fixes (minimal edits, the safe one preferred),
// a suppression comment with a reason, and a link to the rule's docs.
import * as vscode from 'vscode';
import type { Finding, TextEdit } from '../analysis/types';
import { toDiagnosticData } from './diagnostic-mapping';
import type { FindingsStore } from './diagnostics';
import { fixActions, hasSuppressionFix, suppressionAction, type ActionData } from './fix-mapping';
import { COMMANDS, DIAGNOSTIC_SOURCE } from './ids';
import { toRange } from './diagnostics';

export class PerfCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly store: FindingsStore) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const entry = this.store.get(doc.uri.fsPath);
    if (!entry) return [];
    // Offsets are valid only for the text the engine saw; after further typing, wait for the
    // fresh analysis rather than apply edits at the wrong place.
    const fresh = entry.version === undefined ? !doc.isDirty : entry.version === doc.version;
    const out: vscode.CodeAction[] = [];
    for (const diag of ctx.diagnostics) {
      if (diag.source !== DIAGNOSTIC_SOURCE) continue;
      const f = entry.findings.find((x) => matches(x, diag));
      if (!f) continue;
      if (fresh) {
        for (const a of fixActions(f)) out.push(this.action(a, diag));
        if (!hasSuppressionFix(f)) out.push(this.action(suppressionAction(doc.getText(), f), diag));
      }
      const docs = new vscode.CodeAction(`Open the ${f.rule} rule documentation`, vscode.CodeActionKind.QuickFix);
      docs.diagnostics = [diag];
      docs.command = { command: COMMANDS.openRuleDocs, title: docs.title, arguments: [f.rule] };
      out.push(docs);
    }
    return out;
  }

  private action(a: ActionData, diag: vscode.Diagnostic): vscode.CodeAction {
    const ca = new vscode.CodeAction(a.title, vscode.CodeActionKind.QuickFix);
    ca.diagnostics = [diag];
    ca.isPreferred = a.isPreferred;
    ca.edit = toWorkspaceEdit(a.edits);
    return ca;
  }
}

function matches(f: Finding, d: vscode.Diagnostic): boolean {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === f.rule && toRange(toDiagnosticData(f).range).isEqual(d.range) && d.message === f.message;
}

/** Offsets → positions through the open document (or the file's text) of each edited file. */
export function toWorkspaceEdit(edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) {
    const uri = vscode.Uri.file(e.file);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath);
    if (!doc) continue; // fixes only touch the file of the finding, which is open here
    we.replace(uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
  }
  return we;
}
