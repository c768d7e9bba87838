// A few source lines around a finding with a caret underline, as linters print them.
// Hand-written: @babel/code-frame would pull in Babel's highlighter for ~30 lines of logic.

export interface FrameRange {
  line: number; // 1-based
  column: number; // 1-based
  endLine: number;
  endColumn: number;
}

export interface FrameStyle {
  marker: (s: string) => string;
  gutter: (s: string) => string;
}

const plain: FrameStyle = { marker: (s) => s, gutter: (s) => s };
const MAX_LINE = 160;

export function codeFrame(source: string, range: FrameRange, opts: { context?: number; style?: FrameStyle } = {}): string {
  const lines = source.split(/\r?\n/);
  const context = opts.context ?? 1;
  const style = opts.style ?? plain;
  if (range.line < 1 || range.line > lines.length) return '';
  const first = Math.max(1, range.line - context);
  const last = Math.min(lines.length, range.line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1].replace(/\t/g, '  ').slice(0, MAX_LINE);
    const isTarget = n === range.line;
    out.push(`${isTarget ? style.marker('>') : ' '} ${style.gutter(String(n).padStart(width) + ' |')} ${text}`.trimEnd());
    if (isTarget) {
      const raw = lines[n - 1];
      // Tabs were widened to two spaces above; shift the caret the same way.
      const before = raw.slice(0, range.column - 1).replace(/\t/g, '  ');
      const endCol = range.endLine === range.line ? range.endColumn : raw.length + 1;
      const span = Math.max(1, Math.min(endCol - range.column, MAX_LINE - before.length));
      out.push(`  ${style.gutter(' '.repeat(width) + ' |')} ${' '.repeat(before.length)}${style.marker('^'.repeat(span))}`);
    }
  }
  return out.join('\n');
}
