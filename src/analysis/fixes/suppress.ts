// The "suppress with a reason" fix every finding carries: a comment line above the finding.
import type { Finding, Fix } from '../types';
import { indentAt } from '../orms/util';

/** Offset of the start of 1-based `line` in `text`. */
function lineStart(text: string, line: number): number {
  let pos = 0;
  for (let i = 1; i < line; i++) {
    const nl = text.indexOf('\n', pos);
    if (nl === -1) return text.length;
    pos = nl + 1;
  }
  return pos;
}

export function suppressionFix(f: Pick<Finding, 'rule' | 'file' | 'line'>, text: string): Fix {
  const start = lineStart(text, f.line);
  const indent = indentAt(text, start + 1 > text.length ? start : start);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    title: `Suppress ${f.rule} on this line (with a reason)`,
    kind: 'suggestion',
    edits: [{ file: f.file, start, end: start, newText: `${indent}// perf-insights-disable-next-line ${f.rule} -- TODO: say why this is fine${eol}` }],
  };
}
