// The stable JSON output (`--format json`), version 1. Field names and meanings are a public
// contract documented in README; add fields, never rename or remove them.
import { countBySeverity, relativePath, type AnalysisReport } from './report.js';

export function formatJson(report: AnalysisReport): string {
  const rel = (file: string) => relativePath(report.root, file);
  const output = {
    version: 1,
    root: report.root,
    files: report.files,
    durationMs: Math.round(report.durationMs),
    findings: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      file: rel(f.file),
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      message: f.message,
      orm: f.orm,
      related: f.related.map((r) => ({
        file: rel(r.file),
        line: r.line,
        message: r.message,
        column: r.column,
        endLine: r.endLine,
        endColumn: r.endColumn,
      })),
      messageId: f.messageId,
      ...(f.sqlFingerprint ? { sqlFingerprint: f.sqlFingerprint } : {}),
    })),
    parseErrors: report.parseErrors.map((p) => ({ file: rel(p.file), message: p.message })),
    summary: countBySeverity(report.findings),
    tool: { name: 'perf-insights', version: report.toolVersion },
  };
  return JSON.stringify(output, null, 2) + '\n';
}
