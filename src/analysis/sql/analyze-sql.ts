// SQL text -> the facts rules need. Never throws: unparsable SQL yields `ok: false` and the
// parser's message, so one odd query string never stops a file's analysis.
import { fingerprintOrUndefined, parseOrError, NOT_READY, isSqlReady } from './pg-parser.js';
import { toPortableSql } from './placeholders.js';
import { statementFacts, type StatementFacts } from './statement-facts.js';

export interface SqlFacts {
  ok: boolean;
  error?: string;
  statements: StatementFacts[];
}

// The same query strings recur across files and re-analyses; parsing is the costly part.
const cache = new Map<string, SqlFacts>();
const CACHE_LIMIT = 5_000;

export function analyzeSql(text: string): SqlFacts {
  if (!isSqlReady()) return { ok: false, error: NOT_READY, statements: [] };
  const hit = cache.get(text);
  if (hit) return hit;
  const facts = compute(text);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, facts);
  return facts;
}

function compute(text: string): SqlFacts {
  try {
    const portable = toPortableSql(text);
    const parsed = parseOrError(portable.text);
    if ('error' in parsed) return { ok: false, error: parsed.error.message, statements: [] };
    const stmts = ((parsed.tree as { stmts?: RawStmt[] }).stmts ?? []).filter((s) => s.stmt);
    const single = stmts.length === 1;
    const statements = stmts.map((s) => {
      // Fingerprint each statement on its own so `a; b` gives two links to pg_stat_statements.
      const slice = single ? portable.text : portable.text.slice(s.stmt_location ?? 0, (s.stmt_location ?? 0) + (s.stmt_len || portable.text.length));
      return statementFacts(s.stmt, fingerprintOrUndefined(slice) ?? '', { questionMarks: portable.questionMarks });
    });
    return { ok: true, statements };
  } catch (err) {
    return { ok: false, error: `Could not analyse SQL: ${err instanceof Error ? err.message : String(err)}`, statements: [] };
  }
}

interface RawStmt {
  stmt: Record<string, unknown>;
  stmt_location?: number;
  stmt_len?: number;
}

/**
 * libpg_query fingerprint of a query written in code (`?` or `$n` params, literals) or taken
 * from pg_stat_statements (`$n` normalised): both give the same value for the same query shape.
 */
export function fingerprintSql(text: string): string | undefined {
  try {
    const portable = toPortableSql(text).text;
    // Blank or comment-only text has a fingerprint too (of "no statement"): that links nothing.
    const parsed = parseOrError(portable);
    if ('error' in parsed || !(parsed.tree as { stmts?: unknown[] }).stmts?.length) return undefined;
    return fingerprintOrUndefined(portable);
  } catch {
    return undefined;
  }
}
