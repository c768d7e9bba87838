// What commands and views get from the extension: built once in extension.ts.
import type * as vscode from 'vscode';
import type { AnalysisClient } from './analysis-client';
import type { AnalysisController } from './analysis-controller';
import type { FindingsStore } from './diagnostics';
import type { Owner } from './owner';
import type { PlatformSecrets } from './secrets';
import type { FindingsStatus } from './status-bar';

export interface EditorServices {
  context: vscode.ExtensionContext;
  owner: Owner;
  log: vscode.LogOutputChannel;
  client: AnalysisClient;
  controller: AnalysisController;
  findings: FindingsStore;
  secrets: PlatformSecrets;
  status: FindingsStatus;
  /** Commands that failed (id: message), newest last; the integration suite checks it stays empty. */
  commandFailures: string[];
}
