import { describe, expect, it } from 'vitest';
import { codeFrame } from './code-frame.js';

const src = ['function load(ids) {', '  for (const id of ids) {', '    await db.query(sql, [id]);', '  }', '}'].join('\n');

describe('codeFrame', () => {
  it('shows the line with context, a marker and a caret under the range', () => {
    expect(codeFrame(src, { line: 3, column: 11, endLine: 3, endColumn: 19 })).toBe(
      ['  2 |   for (const id of ids) {', '> 3 |     await db.query(sql, [id]);', '    |           ^^^^^^^^', '  4 |   }'].join('\n'),
    );
  });

  it('clips context at the file edges and pads line numbers', () => {
    const frame = codeFrame(src, { line: 1, column: 1, endLine: 1, endColumn: 9 }, { context: 2 });
    expect(frame.split('\n')[0]).toBe('> 1 | function load(ids) {');
    expect(frame.split('\n')).toHaveLength(4);
    const long = Array.from({ length: 12 }, (_, i) => `line${i + 1}`).join('\n');
    expect(codeFrame(long, { line: 10, column: 1, endLine: 10, endColumn: 2 }).split('\n')[0]).toBe('   9 | line9');
  });

  it('underlines to the end of the line for a multi-line range, at least one caret', () => {
    expect(codeFrame(src, { line: 2, column: 3, endLine: 4, endColumn: 4 }, { context: 0 }).split('\n')[1]).toBe('    |   ' + '^'.repeat(23));
    expect(codeFrame(src, { line: 2, column: 3, endLine: 2, endColumn: 3 }, { context: 0 }).split('\n')[1]).toBe('    |   ^');
  });

  it('keeps the caret aligned after tabs and handles CRLF', () => {
    expect(codeFrame('\tx = 1;\r\n', { line: 1, column: 2, endLine: 1, endColumn: 3 }, { context: 0 })).toBe('> 1 |   x = 1;\n    |   ^');
  });

  it('returns nothing for a line outside the file', () => {
    expect(codeFrame(src, { line: 99, column: 1, endLine: 99, endColumn: 2 })).toBe('');
  });
});
