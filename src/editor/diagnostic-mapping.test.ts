import { describe, expect, it } from 'vitest';
import type { Finding } from '../analysis/types';
import { toDiagnosticData, toRange0 } from './diagnostic-mapping';

const finding: Finding = {
  rule: 'n-plus-one',
  severity: 'warning',
  messageId: 'queryInLoop',
  message: '`prisma.post.findMany` runs once per `user` (loop at line 3): 1 + N queries.',
  orm: 'prisma',
  file: '/w/src/users.ts',
  line: 5,
  column: 11,
  endLine: 5,
  endColumn: 40,
  related: [
    { file: '/w/src/users.ts', line: 3, column: 3, endLine: 7, endColumn: 4, message: 'the loop' },
    { file: '/w/src/posts.ts', line: 12, column: 10, endLine: 12, endColumn: 30, message: 'the query' },
  ],
  fixes: [],
};

describe('toDiagnosticData', () => {
  it('maps 1-based engine positions to 0-based editor ranges', () => {
    const d = toDiagnosticData(finding);
    expect(d.range).toEqual({ startLine: 4, startCharacter: 10, endLine: 4, endCharacter: 39 });
  });

  it('keeps the message, severity, source and links the rule docs', () => {
    const d = toDiagnosticData(finding);
    expect(d.message).toBe(finding.message);
    expect(d.severity).toBe('warning');
    expect(d.source).toBe('perf-insights');
    expect(d.code).toEqual({ value: 'n-plus-one', docsPath: 'docs/rules/n-plus-one.md' });
  });

  it('maps every related location, across files', () => {
    const d = toDiagnosticData(finding);
    expect(d.related).toEqual([
      { file: '/w/src/users.ts', range: { startLine: 2, startCharacter: 2, endLine: 6, endCharacter: 3 }, message: 'the loop' },
      { file: '/w/src/posts.ts', range: { startLine: 11, startCharacter: 9, endLine: 11, endCharacter: 29 }, message: 'the query' },
    ]);
  });
});

describe('toRange0', () => {
  it('never produces an inverted or negative range', () => {
    expect(toRange0({ line: 3, column: 9, endLine: 2, endColumn: 1 })).toEqual({ startLine: 2, startCharacter: 8, endLine: 2, endCharacter: 8 });
    expect(toRange0({ line: 0, column: 0, endLine: 0, endColumn: 0 })).toEqual({ startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 });
  });
});
