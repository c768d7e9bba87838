// "Open Rule Documentation…": the rule's page shipped in the extension (docs/rules/<id>.md).
import * as vscode from 'vscode';
import { RULE_IDS, type RuleId } from '../../analysis/types';
import { ruleDocsPath } from '../diagnostic-mapping';
import type { EditorServices } from '../services';

export async function openRuleDocs(s: EditorServices, rule?: RuleId): Promise<vscode.Uri | undefined> {
  const id = rule && RULE_IDS.includes(rule) ? rule : ((await vscode.window.showQuickPick([...RULE_IDS], { title: 'Perf Insights: rule documentation' })) as RuleId | undefined);
  if (!id) return undefined;
  const uri = vscode.Uri.joinPath(s.context.extensionUri, ruleDocsPath(id));
  await vscode.commands.executeCommand('markdown.showPreview', uri);
  return uri;
}
