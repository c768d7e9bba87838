// Turns the static parts of a template literal (`SELECT … ${x} …`) into SQL that parses:
// a hole in a value position becomes `$n`, one after FROM/JOIN/`.` becomes an identifier, one
// inside a string literal disappears, `IN ${list}` becomes `IN ($n)`. Where that guess still
// does not parse (`ORDER BY x ${dir}`, `FROM t ${whereClause}`), the parser's error position
// tells which hole to try the next candidate for — a fragment hole is usually just dropped.
import { lex, type LexState } from './sql-lexer.js';
import { isSqlReady, parseOrError } from './pg-parser.js';
import { maxDollarParam } from './placeholders.js';

type Candidate = 'param' | 'ident' | 'empty' | 'list';

interface Hole {
  /** Candidates still to try, best first. */
  candidates: Candidate[];
  /** Set once the hole sits inside a string, quoted identifier or comment: fixed text. */
  fixed?: string;
}

const IDENT_BEFORE = /\b(from|join|into|update|table|as|only|exists)\s*$/i;
const IDENT_PRE_KEYWORD = /\b(order\s+by|group\s+by|partition\s+by|on\s+conflict\s*\()\s*$/i;
const IN_BEFORE = /\bin\s*$/i;
/** `FROM users ${where}`, `ORDER BY name ${dir}`: after a complete operand comes a clause fragment. */
const FRAGMENT_AFTER_OPERAND = /\b(from|join|update|into|order\s+by|group\s+by)\s+[\w."]+\s+$/i;

export function templateToSql(parts: readonly string[]): string {
  if (parts.length === 0) return '';
  const holes = classifyHoles(parts);
  let text = render(parts, holes);
  if (!isSqlReady() || holes.length === 0) return text;
  // Each failed parse discards one candidate of one hole, so this ends after ≤ 3 × holes tries.
  for (let attempt = 0; attempt < holes.length * 4 + 1; attempt++) {
    const result = parseOrError(text);
    if ('tree' in result) return text;
    const culprit = holeAt(parts, holes, result.error.position);
    if (culprit === undefined || holes[culprit].candidates.length <= 1) return text;
    holes[culprit].candidates.shift();
    text = render(parts, holes);
  }
  return text;
}

function classifyHoles(parts: readonly string[]): Hole[] {
  const holes: Hole[] = [];
  let state: LexState = { kind: 'code' };
  for (let i = 0; i < parts.length - 1; i++) {
    state = lex(parts[i], state).state;
    const before = parts[i];
    const after = parts[i + 1];
    if (state.kind === 'single' || state.kind === 'dollar') holes.push({ candidates: ['empty'], fixed: '' });
    else if (state.kind === 'double' || state.kind === 'backtick') holes.push({ candidates: ['ident'], fixed: 'pi_hole' });
    else if (state.kind === 'line-comment' || state.kind === 'block-comment') holes.push({ candidates: ['empty'], fixed: '' });
    else holes.push({ candidates: codeCandidates(before, after, i > 0 && before.trim() === '') });
  }
  return holes;
}

function codeCandidates(before: string, after: string, followsHole: boolean): Candidate[] {
  // `${a} ${b}` with nothing between: the second one is a fragment (`${col} ${dir}`, `${where} ${order}`).
  if (followsHole || FRAGMENT_AFTER_OPERAND.test(before)) return ['empty', 'param', 'ident', 'list'];
  // `schema.${table}` / `${alias}.col`: an identifier either way.
  if (/\.\s*$/.test(before) || /^\./.test(after)) return ['ident', 'param', 'empty'];
  if (IDENT_BEFORE.test(before)) return ['ident', 'empty', 'param'];
  if (IDENT_PRE_KEYWORD.test(before)) return ['ident', 'param', 'empty'];
  if (IN_BEFORE.test(before) && !/^\s*\(/.test(after)) return ['list', 'param', 'empty'];
  return ['param', 'ident', 'empty', 'list'];
}

/** Renders the SQL; params are numbered in order after any `$n` already in the static text. */
function render(parts: readonly string[], holes: Hole[]): string {
  let n = maxDollarParam(parts.join(' '));
  let out = parts[0];
  holes.forEach((hole, i) => {
    const c = hole.candidates[0];
    let text: string;
    if (hole.fixed !== undefined) text = hole.fixed;
    else if (c === 'param') text = `$${++n}`;
    else if (c === 'list') text = `($${++n})`;
    else if (c === 'ident') text = `pi_hole_${i + 1}`;
    else text = ' ';
    out += text + parts[i + 1];
  });
  return out;
}

/** Index of the hole the parser error most likely blames: the last one starting at or before it. */
function holeAt(parts: readonly string[], holes: Hole[], position: number | undefined): number | undefined {
  if (position === undefined) return undefined;
  let offset = parts[0].length;
  let culprit: number | undefined;
  let n = maxDollarParam(parts.join(' '));
  for (let i = 0; i < holes.length; i++) {
    const hole = holes[i];
    if (offset > position) break;
    if (hole.fixed === undefined && hole.candidates.length > 1) culprit = i;
    const c = hole.candidates[0];
    const len =
      hole.fixed !== undefined
        ? hole.fixed.length
        : c === 'param'
          ? `$${++n}`.length
          : c === 'list'
            ? `($${++n})`.length
            : c === 'ident'
              ? `pi_hole_${i + 1}`.length
              : 1;
    offset += len + parts[i + 1].length;
  }
  return culprit;
}
