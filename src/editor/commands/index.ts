// The command registry: every contributed command, listed explicitly (ids from ../ids.ts).
import * as vscode from 'vscode';
import type { RuleId } from '../../analysis/types';
import { COMMANDS } from '../ids';
import type { EditorServices } from '../services';
import { analyzeCurrentFile } from './analyze-current-file';
import { analyzeWorkspace } from './analyze-workspace';
import { connectToPlatform, type ConnectInput } from './connect-to-platform';
import { openDashboard } from './open-dashboard';
import { openRuleDocs } from './open-rule-docs';
import { showFindings } from './show-findings';
import { showOutput } from './show-output';
import { toggleRule } from './toggle-rule';

export function registerCommands(s: EditorServices): void {
  const handlers: Record<keyof typeof COMMANDS, (...args: unknown[]) => unknown> = {
    analyzeWorkspace: () => analyzeWorkspace(s),
    analyzeCurrentFile: () => analyzeCurrentFile(s),
    showFindings: () => showFindings(s),
    openDashboard: () => openDashboard(),
    connectToPlatform: (arg) => connectToPlatform(s, arg as ConnectInput | undefined),
    showOutput: () => showOutput(s),
    toggleRule: (rule) => toggleRule(rule as RuleId | undefined),
    openRuleDocs: (rule) => openRuleDocs(s, rule as RuleId | undefined),
  };
  for (const [name, run] of Object.entries(handlers)) {
    const id = COMMANDS[name as keyof typeof COMMANDS];
    s.owner.register(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await run(...args);
        } catch (e) {
          // A failing command reports and logs; it never throws into the host.
          const msg = e instanceof Error ? e.message : String(e);
          s.log.error(`${id} failed: ${e instanceof Error ? (e.stack ?? msg) : msg}`);
          s.commandFailures.push(`${id}: ${msg}`);
          void vscode.window.showErrorMessage(`Perf Insights: ${msg}`);
          return undefined;
        }
      }),
    );
  }
}
