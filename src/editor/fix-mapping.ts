// Finding → the quick fixes offered for it, as plain data (unit-tested; code-actions.ts turns
// them into CodeActions). The engine computes fix edits; here we only choose which one is
// preferred and add the suppression comment, which is editor-only.
import type { Finding, TextEdit } from '../analysis/types';

export interface ActionData {
  title: string;
  isPreferred: boolean;
  edits: TextEdit[];
}

export const REASON_PLACEHOLDER = 'reason: why this is fine here';

/**
 * The engine's fixes for a finding. Exactly one safe fix is preferred (the one the engine marks,
 * else the only `fix`), so "auto fix" never picks a behaviour-changing suggestion.
 */
export function fixActions(f: Finding): ActionData[] {
  const safe = f.fixes.filter((x) => x.kind === 'fix' && x.edits.length > 0);
  const preferred = safe.find((x) => x.isPreferred) ?? (safe.length === 1 ? safe[0] : undefined);
  return f.fixes
    .filter((x) => x.edits.length > 0)
    .map((x) => ({ title: x.title, isPreferred: x === preferred, edits: x.edits }));
}

/**
 * Inserts `// perf-insights-disable-next-line <rule> -- <reason>` above the finding's first
 * line, with that line's indentation and the file's line ending.
 */
export function suppressionEdit(text: string, f: Finding): TextEdit {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let start = 0;
  for (let line = 1; line < f.line; line++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    start = nl + 1;
  }
  const indent = /^[ \t]*/.exec(text.slice(start))![0];
  return {
    file: f.file,
    start,
    end: start,
    newText: `${indent}// perf-insights-disable-next-line ${f.rule} -- ${REASON_PLACEHOLDER}${eol}`,
  };
}

/** True when the engine already offers a suppression comment (then the editor adds none). */
export function hasSuppressionFix(f: Finding): boolean {
  return f.fixes.some((x) => x.edits.some((e) => e.newText.includes('perf-insights-disable-next-line')));
}

export function suppressionAction(text: string, f: Finding): ActionData {
  return { title: `Suppress ${f.rule} on this line (with a reason)`, isPreferred: false, edits: [suppressionEdit(text, f)] };
}

/** Applies edits to a text (for tests and previews); edits must not overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}
