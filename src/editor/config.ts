// Reads `perfInsights.*` from VS Code through the one typed reader in settings.ts.
import * as vscode from 'vscode';
import { CONFIG_SECTION } from './ids';
import { SETTING_SPECS, readSettings, type Settings } from './settings';
import type { ExplicitSettings } from './worker-protocol';

/** Only values the user set (folder > workspace > user), so `.perf-insights.json` fills the rest. */
export function explicitSettings(scope?: vscode.ConfigurationScope): ExplicitSettings {
  const cfg = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const out: ExplicitSettings = {};
  for (const { key } of SETTING_SPECS) {
    const i = cfg.inspect(key);
    // An untrusted workspace must not pick where we connect: only the user's own value counts.
    const fromWorkspace = vscode.workspace.isTrusted || !key.startsWith('platform.');
    const v = (fromWorkspace ? (i?.workspaceFolderValue ?? i?.workspaceValue) : undefined) ?? i?.globalValue;
    if (v !== undefined) out[key] = v;
  }
  return out;
}

export function currentSettings(scope?: vscode.ConfigurationScope): Settings {
  const explicit = explicitSettings(scope);
  return readSettings((k) => explicit[k]);
}
