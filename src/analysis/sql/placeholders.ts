// Rewrites driver-specific SQL into text the Postgres parser accepts, without changing meaning:
// mysql2 / knex `?` placeholders become `$n`, knex `??` identifier bindings and MySQL backtick
// identifiers become Postgres identifiers, and MySQL's `LIMIT offset, count` becomes
// `LIMIT count OFFSET offset`. Only code segments are touched, never strings or comments.
import { lex } from './sql-lexer.js';

export interface PortableSql {
  text: string;
  /** True when `?` placeholders were found: mysql2 expands an array bound to `IN (?)`. */
  questionMarks: boolean;
}

const POSITIONAL = /\$(\d+)/g;

/** Highest `$n` already in the code segments of `text` (0 when none). */
export function maxDollarParam(text: string): number {
  let max = 0;
  for (const seg of lex(text).segments) {
    if (seg.kind !== 'code') continue;
    for (const m of seg.text.matchAll(POSITIONAL)) max = Math.max(max, Number(m[1]));
  }
  return max;
}

export function toPortableSql(text: string): PortableSql {
  const { segments } = lex(text);
  // A query that already uses `$n` is Postgres: there `?`, `?|` and `?&` are jsonb operators.
  const hasDollar = segments.some((s) => s.kind === 'code' && /\$\d/.test(s.text));
  let n = maxDollarParam(text);
  let questionMarks = false;
  let out = '';
  for (const seg of segments) {
    if (seg.kind === 'backtick') {
      out += '"' + seg.text.slice(1, seg.text.endsWith('`') ? -1 : undefined).replace(/"/g, '""') + '"';
      continue;
    }
    if (seg.kind !== 'code' || hasDollar) {
      out += seg.text;
      continue;
    }
    out += seg.text.replace(/\?\?|\?(?![|&])/g, (m) => {
      questionMarks = true;
      n++;
      return m === '??' ? `pi_ident_${n}` : `$${n}`;
    });
  }
  // Postgres rejects `LIMIT a, b` outright, so rewriting it can never change a valid query.
  return { text: rewriteMysqlLimit(out), questionMarks };
}

/** MySQL `LIMIT a, b` means offset a, count b; Postgres rejects the comma form. */
function rewriteMysqlLimit(text: string): string {
  const operand = String.raw`(\$\d+|\d+)`;
  return text.replace(new RegExp(String.raw`\bLIMIT\s+${operand}\s*,\s*${operand}`, 'gi'), 'LIMIT $2 OFFSET $1');
}
