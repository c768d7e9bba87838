// What one `analyze` run produced, independent of the output format.
import { relative, sep } from 'node:path';
import type { Finding, Severity } from '../analysis/types.js';

export interface RuleInfo {
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** Path of the rule's page inside the package, e.g. `docs/rules/n-plus-one.md`. */
  docsPath: string;
}

export interface FileProblem {
  /** Absolute path. */
  file: string;
  message: string;
}

export interface AnalysisReport {
  root: string;
  /** Number of files analysed (after discovery and skipping). */
  files: number;
  durationMs: number;
  findings: Finding[];
  /** Files that did not parse (or whose analysis failed) and were skipped. */
  parseErrors: FileProblem[];
  rules: RuleInfo[];
  toolVersion: string;
}

/** Path relative to the report root with forward slashes, the form every output uses. */
export function relativePath(root: string, file: string): string {
  const rel = relative(root, file);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}
