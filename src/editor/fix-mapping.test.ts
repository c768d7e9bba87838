import { describe, expect, it } from 'vitest';
import type { Finding, Fix } from '../analysis/types';
import { applyEdits, fixActions, hasSuppressionFix, suppressionEdit, REASON_PLACEHOLDER } from './fix-mapping';

const text = [
  "import { PrismaClient } from '@prisma/client';",
  'const prisma = new PrismaClient();',
  'export async function list() {',
  '  return prisma.user.findMany({ where: { active: true } });',
  '}',
  '',
].join('\n');
const call = text.indexOf('{ where');

function finding(fixes: Fix[]): Finding {
  return {
    rule: 'missing-pagination',
    severity: 'warning',
    messageId: 'noLimit',
    message: 'no limit',
    orm: 'prisma',
    file: '/w/a.ts',
    line: 4,
    column: 10,
    endLine: 4,
    endColumn: 59,
    related: [],
    fixes,
  };
}

const addTake: Fix = {
  title: 'Add `take: 100`',
  kind: 'fix',
  edits: [{ file: '/w/a.ts', start: call + 1, end: call + 1, newText: ' take: 100,' }],
};
const select: Fix = {
  title: 'Select only the used columns',
  kind: 'suggestion',
  edits: [{ file: '/w/a.ts', start: call + 1, end: call + 1, newText: ' select: { id: true },' }],
};

describe('fixActions', () => {
  it('prefers the only safe fix, never a suggestion', () => {
    const actions = fixActions(finding([select, addTake]));
    expect(actions.map((a) => [a.title, a.isPreferred])).toEqual([
      ['Select only the used columns', false],
      ['Add `take: 100`', true],
    ]);
  });

  it('follows the engine when it marks the preferred fix among several safe ones', () => {
    const other: Fix = { ...addTake, title: 'Add `take: 20`' };
    const marked: Fix = { ...addTake, isPreferred: true };
    const actions = fixActions(finding([other, marked]));
    expect(actions.map((a) => a.isPreferred)).toEqual([false, true]);
  });

  it('prefers none when several safe fixes are unmarked, and drops empty fixes', () => {
    const empty: Fix = { title: 'nothing', kind: 'fix', edits: [] };
    const actions = fixActions(finding([addTake, { ...addTake, title: 'b' }, empty]));
    expect(actions.map((a) => a.isPreferred)).toEqual([false, false]);
  });

  it('applies the edits minimally', () => {
    const [a] = fixActions(finding([addTake]));
    expect(applyEdits(text, a.edits)).toContain('prisma.user.findMany({ take: 100, where: { active: true } })');
  });
});

describe('suppressionEdit', () => {
  it('inserts the comment above the line with its indentation', () => {
    const out = applyEdits(text, [suppressionEdit(text, finding([]))]);
    expect(out.split('\n').slice(3, 5)).toEqual([
      `  // perf-insights-disable-next-line missing-pagination -- ${REASON_PLACEHOLDER}`,
      '  return prisma.user.findMany({ where: { active: true } });',
    ]);
  });

  it('keeps CRLF line endings', () => {
    const crlf = text.replace(/\n/g, '\r\n');
    const out = applyEdits(crlf, [suppressionEdit(crlf, finding([]))]);
    expect(out).toContain(`-- ${REASON_PLACEHOLDER}\r\n  return prisma`);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('works on the first line', () => {
    const f = { ...finding([]), line: 1 };
    expect(applyEdits(text, [suppressionEdit(text, f)]).startsWith('// perf-insights-disable-next-line')).toBe(true);
  });
});

describe('hasSuppressionFix', () => {
  it('sees an engine-provided suppression so the editor does not add a second one', () => {
    const f = finding([addTake]);
    expect(hasSuppressionFix(f)).toBe(false);
    const engineSuppress: Fix = { title: 'Suppress', kind: 'suggestion', edits: [{ ...suppressionEdit(text, f) }] };
    expect(hasSuppressionFix(finding([addTake, engineSuppress]))).toBe(true);
  });
});
