// Shared by the raw-SQL drivers (pg, mysql2) and the ORMs' escape hatches (`sequelize.query`,
// `manager.query`, `knex.raw`): a query whose facts come from the SQL text, plus its advice and fixes.
import { ts } from 'ts-morph';
import type { OrmId } from '../types';
import type { FixEdit, QueryFacts, Segment, Value } from './types';
import { makeQuery, queryValue, unwrap } from './util';

/** A raw SQL query at `seg`; op/list/limit are filled from the parsed SQL by the engine. */
export function rawQuery(orm: OrmId, method: string, seg: Segment, sql: ts.Expression | undefined): Value | undefined {
  if (!sql) return undefined;
  return queryValue(makeQuery(orm, method, seg, { sql, list: true, op: 'read' }));
}

export function sqlAdvice(placeholder: 'pg' | 'mysql') {
  const anyList = placeholder === 'pg' ? '`WHERE id = ANY($1)` with an array of ids' : '`WHERE id IN (?)` with an array of ids';
  return {
    batch: (q: QueryFacts) => `Fetch the rows for all items in one query (${anyList}${q.entity ? ` on \`${q.entity}\`` : ''}) and match them up in memory`,
    bulk: (q: QueryFacts) =>
      q.writeKind === 'create'
        ? placeholder === 'pg'
          ? 'Insert all rows with one multi-row `INSERT … VALUES (…), (…)` or `INSERT … SELECT * FROM unnest($1::int[], $2::text[])`'
          : 'Insert all rows with one multi-row `INSERT … VALUES ?` (nested array of rows)'
        : `Change all rows with one statement (${anyList}) or an \`UPDATE … FROM (VALUES …)\``,
    limit: (_q: QueryFacts, pageSize: number) => `Add \`LIMIT ${pageSize}\` and page by key (\`WHERE id > $last ORDER BY id\`)`,
    selection: (_q: QueryFacts, fields: readonly string[]) => `Name the columns: \`SELECT ${fields.length ? fields.join(', ') : 'id, …'}\``,
  };
}

/** Append ` LIMIT n` inside the SQL literal (before a trailing `;` / whitespace). */
export function sqlLimitEdit(q: QueryFacts, pageSize: number, text: string): FixEdit[] | undefined {
  if (!q.sql) return undefined;
  const lit = unwrap(q.sql);
  if (!(ts.isStringLiteral(lit) || ts.isNoSubstitutionTemplateLiteral(lit) || ts.isTemplateExpression(lit))) return undefined;
  const close = lit.getEnd() - 1;
  let at = close;
  while (at > lit.getStart() + 1 && /[\s;]/.test(text[at - 1]!)) at--;
  return [{ start: at, end: at, newText: ` LIMIT ${pageSize}` }];
}

/** Replace `*` in `SELECT *` with the named columns (only for a single plain `SELECT *`). */
export function sqlSelectionEdit(q: QueryFacts, fields: readonly string[], text: string): FixEdit[] | undefined {
  if (!q.sql || fields.length === 0) return undefined;
  const lit = unwrap(q.sql);
  const start = lit.getStart();
  const body = text.slice(start, lit.getEnd());
  const m = /select\s+(\*)/i.exec(body);
  if (!m || body.indexOf('*', m.index + m[0].length) !== -1) return undefined;
  const at = start + m.index + m[0].length - 1;
  return [{ start: at, end: at + 1, newText: fields.join(', ') }];
}
