// "Toggle Rule…": turns a rule off, or back on at its default severity, in the workspace settings.
import * as vscode from 'vscode';
import { RULE_IDS, type RuleId } from '../../analysis/types';
import { currentSettings } from '../config';
import { CONFIG_SECTION } from '../ids';
import { SETTING_SPECS, type RuleLevel } from '../settings';

export async function toggleRule(rule?: RuleId): Promise<RuleLevel | undefined> {
  const levels = currentSettings().rules;
  let id = rule && RULE_IDS.includes(rule) ? rule : undefined;
  if (!id) {
    const pick = await vscode.window.showQuickPick(
      RULE_IDS.map((r) => ({ label: r, description: levels[r] === 'off' ? 'off — pick to turn on' : `${levels[r]} — pick to turn off` })),
      { title: 'Perf Insights: toggle a rule' },
    );
    id = pick?.label as RuleId | undefined;
  }
  if (!id) return undefined;
  const key = `rules.${id}`;
  const def = SETTING_SPECS.find((s) => s.key === key)!.default as RuleLevel;
  const next: RuleLevel = levels[id] === 'off' ? def : 'off';
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(CONFIG_SECTION).update(key, next, target);
  return next;
}
