// Inline suppressions:
//   // perf-insights-disable-next-line n-plus-one -- ids are ≤ 3
//   query(); // perf-insights-disable-line missing-pagination -- admin export
// No rule list means every rule. The reason after `--` is for humans (and the quick fix adds one).
import type { RuleId } from './types';

const PATTERN = /perf-insights-disable-(next-line|line)\b([^\n*]*)/g;

export interface Suppressions {
  /** 1-based line -> suppressed rule ids (empty set = all rules). */
  byLine: Map<number, Set<string>>;
}

export function parseSuppressions(text: string): Suppressions {
  const byLine = new Map<number, Set<string>>();
  if (!text.includes('perf-insights-disable')) return { byLine };
  let m: RegExpExecArray | null;
  PATTERN.lastIndex = 0;
  while ((m = PATTERN.exec(text))) {
    // Only inside comments: the text before on the same line must contain // or /*.
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const before = text.slice(lineStart, m.index);
    if (!before.includes('//') && !before.includes('/*')) continue;
    const line = countLines(text, m.index);
    const target = m[1] === 'next-line' ? line + 1 : line;
    const spec = (m[2] ?? '').split('--')[0]!.trim();
    const ids = spec ? spec.split(/[\s,]+/).filter(Boolean) : [];
    const set = byLine.get(target) ?? new Set<string>();
    if (ids.length === 0) set.add('*');
    for (const id of ids) set.add(id);
    byLine.set(target, set);
  }
  return { byLine };
}

export function isSuppressed(s: Suppressions, rule: RuleId, line: number): boolean {
  const set = s.byLine.get(line);
  return !!set && (set.has('*') || set.has(rule));
}

function countLines(text: string, upTo: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < upTo; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
