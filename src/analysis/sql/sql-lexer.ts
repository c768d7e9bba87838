// A tiny SQL lexer that only knows where code ends and strings/identifiers/comments begin.
// Written by hand because the rewrites we need (mysql `?` -> `$n`, template holes -> params)
// happen on text that libpg_query cannot parse yet, and its own scanner rejects `?` and
// backticks. It tracks state across chunks so template literal parts can be fed one by one.

export type LexState =
  | { kind: 'code' }
  | { kind: 'single'; backslash: boolean } // '...' (E'...' when backslash escapes apply)
  | { kind: 'double' } // "identifier"
  | { kind: 'backtick' } // `identifier` (MySQL)
  | { kind: 'line-comment' }
  | { kind: 'block-comment'; depth: number }
  | { kind: 'dollar'; tag: string }; // $tag$ ... $tag$

export interface Segment {
  /** `code` is SQL text; the others are the inside of a quoted/comment span including delimiters. */
  kind: LexState['kind'];
  text: string;
}

const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/**
 * Splits `text` into segments, starting in `state`; returns the segments and the state at the end.
 * Never throws: an unterminated string simply stays open.
 */
export function lex(text: string, state: LexState = { kind: 'code' }): { segments: Segment[]; state: LexState } {
  const segments: Segment[] = [];
  let current: LexState = state;
  let start = 0;
  let i = 0;
  const emit = (end: number) => {
    if (end > start) segments.push({ kind: current.kind, text: text.slice(start, end) });
    start = end;
  };
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    switch (current.kind) {
      case 'code': {
        if (ch === "'") {
          const prev = text[i - 1];
          const escaped = (prev === 'E' || prev === 'e') && !/[A-Za-z0-9_]/.test(text[i - 2] ?? '');
          emit(i);
          current = { kind: 'single', backslash: escaped };
          i++;
        } else if (ch === '"') {
          emit(i);
          current = { kind: 'double' };
          i++;
        } else if (ch === '`') {
          emit(i);
          current = { kind: 'backtick' };
          i++;
        } else if (ch === '-' && next === '-') {
          emit(i);
          current = { kind: 'line-comment' };
          i += 2;
        } else if (ch === '#' && next === ' ') {
          // MySQL line comment; `#` followed by a space is never valid Postgres SQL.
          emit(i);
          current = { kind: 'line-comment' };
          i += 2;
        } else if (ch === '/' && next === '*') {
          emit(i);
          current = { kind: 'block-comment', depth: 1 };
          i += 2;
        } else if (ch === '$' && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
          const m = DOLLAR_TAG.exec(text.slice(i, i + 64));
          if (m) {
            emit(i);
            current = { kind: 'dollar', tag: m[0] };
            i += m[0].length;
          } else i++;
        } else i++;
        break;
      }
      case 'single': {
        if (current.backslash && ch === '\\') i += 2;
        else if (ch === "'" && next === "'") i += 2;
        else if (ch === "'") {
          i++;
          emit(i);
          current = { kind: 'code' };
        } else i++;
        break;
      }
      case 'double':
      case 'backtick': {
        const q = current.kind === 'double' ? '"' : '`';
        if (ch === q && next === q) i += 2;
        else if (ch === q) {
          i++;
          emit(i);
          current = { kind: 'code' };
        } else i++;
        break;
      }
      case 'line-comment': {
        if (ch === '\n') {
          emit(i);
          current = { kind: 'code' };
        }
        i++;
        break;
      }
      case 'block-comment': {
        if (ch === '/' && next === '*') {
          current = { kind: 'block-comment', depth: current.depth + 1 };
          i += 2;
        } else if (ch === '*' && next === '/') {
          i += 2;
          if (current.depth === 1) {
            emit(i);
            current = { kind: 'code' };
          } else current = { kind: 'block-comment', depth: current.depth - 1 };
        } else i++;
        break;
      }
      case 'dollar': {
        if (ch === '$' && text.startsWith(current.tag, i)) {
          i += current.tag.length;
          emit(i);
          current = { kind: 'code' };
        } else i++;
        break;
      }
    }
  }
  emit(text.length);
  return { segments, state: current };
}
