// Human output (`--format text`): findings grouped by file, each with a code frame and its
// related locations, then a one-line summary — the shape ESLint's stylish output made familiar.
import { readFileSync } from 'node:fs';
import type { Finding, Severity } from '../analysis/types.js';
import { codeFrame, type FrameStyle } from './code-frame.js';
import { countBySeverity, relativePath, type AnalysisReport } from './report.js';

export interface TextOptions {
  color: boolean;
  /** Reads a file's text for the code frame; defaults to the file system. */
  readSource?: (file: string) => string | undefined;
}

const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[39m`;

export function formatText(report: AnalysisReport, opts: TextOptions): string {
  const c = opts.color
    ? { red: ansi(31), yellow: ansi(33), blue: ansi(34), dim: (s: string) => `\u001b[2m${s}\u001b[22m`, bold: (s: string) => `\u001b[1m${s}\u001b[22m` }
    : { red: id, yellow: id, blue: id, dim: id, bold: id };
  const sevColor: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const style: FrameStyle = { marker: c.red, gutter: c.dim };
  const read = opts.readSource ?? readSource;
  const rel = (f: string) => relativePath(report.root, f);

  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);

  const out: string[] = [];
  for (const [file, findings] of byFile) {
    out.push(c.bold(rel(file)));
    const source = read(file);
    for (const f of findings) {
      out.push(`  ${f.line}:${f.column}  ${sevColor[f.severity](f.severity)}  ${f.message}  ${c.dim(`${f.rule} (${f.orm})`)}`);
      const frame = source === undefined ? '' : codeFrame(source, f, { style });
      if (frame) out.push(indent(frame, 4));
      for (const r of f.related) out.push(`    ${c.dim('↳')} ${rel(r.file)}:${r.line}:${r.column}  ${r.message}`);
      out.push('');
    }
  }
  for (const p of report.parseErrors) out.push(`${c.bold(rel(p.file))}\n  ${c.yellow('skipped')}  ${p.message}\n`);

  const counts = countBySeverity(report.findings);
  const total = report.findings.length;
  const seconds = (report.durationMs / 1000).toFixed(1);
  const files = `${report.files} file${report.files === 1 ? '' : 's'}`;
  if (total === 0) out.push(`No performance problems found in ${files} (${seconds} s).`);
  else {
    const parts = [`${counts.error} error${counts.error === 1 ? '' : 's'}`, `${counts.warning} warning${counts.warning === 1 ? '' : 's'}`];
    if (counts.info) parts.push(`${counts.info} info`);
    const line = `${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${files} (${seconds} s)`;
    out.push(c.bold(counts.error ? c.red(line) : c.yellow(line)));
  }
  if (report.parseErrors.length) out.push(c.yellow(`${report.parseErrors.length} file(s) could not be analysed and were skipped.`));
  return out.join('\n') + '\n';
}

function id(s: string): string {
  return s;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function readSource(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
