// Finding → the data of a VS Code Diagnostic, without `vscode` (unit-tested; diagnostics.ts
// turns it into real objects). The engine's 1-based line/column become 0-based positions.
import type { Finding, RuleId, Severity, SourceRange } from '../analysis/types';
import { DIAGNOSTIC_SOURCE } from './ids';

export interface Range0 {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

export interface DiagnosticData {
  range: Range0;
  message: string;
  severity: Severity;
  source: typeof DIAGNOSTIC_SOURCE;
  /** `docsPath` is relative to the extension root; the code's `target` is that file. */
  code: { value: RuleId; docsPath: string };
  related: { file: string; range: Range0; message: string }[];
}

export function toRange0(r: Omit<SourceRange, 'file'>): Range0 {
  const startLine = Math.max(0, r.line - 1);
  const startCharacter = Math.max(0, r.column - 1);
  let endLine = Math.max(0, r.endLine - 1);
  let endCharacter = Math.max(0, r.endColumn - 1);
  // A range must not end before it starts (a zero-width one is still shown, as a squiggle).
  if (endLine < startLine || (endLine === startLine && endCharacter < startCharacter)) {
    endLine = startLine;
    endCharacter = startCharacter;
  }
  return { startLine, startCharacter, endLine, endCharacter };
}

export function ruleDocsPath(rule: RuleId): string {
  return `docs/rules/${rule}.md`;
}

export function toDiagnosticData(f: Finding): DiagnosticData {
  return {
    range: toRange0(f),
    message: f.message,
    severity: f.severity,
    source: DIAGNOSTIC_SOURCE,
    code: { value: f.rule, docsPath: ruleDocsPath(f.rule) },
    related: f.related.map((r) => ({ file: r.file, range: toRange0(r), message: r.message })),
  };
}
