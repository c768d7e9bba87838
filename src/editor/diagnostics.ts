// Holds the latest findings per file and mirrors them into the Problems panel.
import * as vscode from 'vscode';
import type { Finding, Severity } from '../analysis/types';
import { toDiagnosticData, type Range0 } from './diagnostic-mapping';

export interface FileFindings {
  findings: Finding[];
  /** Editor version of the text they were computed on (undefined: the file on disk). */
  version: number | undefined;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toRange(r: Range0): vscode.Range {
  return new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter);
}

export class FindingsStore implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('perf-insights');
  private readonly byFile = new Map<string, FileFindings>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Coalesced (a scan sets thousands of files): status bar and dashboard redraw once per burst. */
  readonly onDidChange = this.changed.event;
  private changeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  set(file: string, findings: Finding[], version: number | undefined): void {
    const uri = vscode.Uri.file(file);
    if (findings.length === 0) {
      this.byFile.delete(file);
      this.collection.delete(uri);
    } else {
      this.byFile.set(file, { findings, version });
      this.collection.set(uri, findings.map((f) => this.toDiagnostic(f)));
    }
    this.fireChanged();
  }

  get(file: string): FileFindings | undefined {
    return this.byFile.get(file);
  }

  delete(file: string): void {
    if (!this.byFile.has(file)) return;
    this.byFile.delete(file);
    this.collection.delete(vscode.Uri.file(file));
    this.fireChanged();
  }

  clear(): void {
    this.byFile.clear();
    this.collection.clear();
    this.fireChanged();
  }

  files(): string[] {
    return [...this.byFile.keys()];
  }

  count(): number {
    let n = 0;
    for (const f of this.byFile.values()) n += f.findings.length;
    return n;
  }

  /** All findings (the dashboard matches slow statements to code by `sqlFingerprint`). */
  all(): Finding[] {
    return [...this.byFile.values()].flatMap((f) => f.findings);
  }

  private fireChanged(): void {
    this.changeTimer ??= setTimeout(() => {
      this.changeTimer = undefined;
      this.changed.fire();
    }, 50);
  }

  dispose(): void {
    clearTimeout(this.changeTimer);
    this.collection.dispose();
    this.changed.dispose();
  }

  private toDiagnostic(f: Finding): vscode.Diagnostic {
    const data = toDiagnosticData(f);
    const d = new vscode.Diagnostic(toRange(data.range), data.message, SEVERITY[data.severity]);
    d.source = data.source;
    d.code = { value: data.code.value, target: vscode.Uri.joinPath(this.extensionUri, data.code.docsPath) };
    d.relatedInformation = data.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), toRange(r.range)), r.message),
    );
    return d;
  }
}
