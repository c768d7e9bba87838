// Raw SQL query sites: read the SQL text statically (string, template with `${}` holes, a const
// holding either) and let H2's libpg_query module say what the statement does.
import { ts } from 'ts-morph';
import type { QueryFacts } from './orms/types';
import type { Evaluator } from './evaluator';
import { analyzeSql, templateToSql, type StatementFacts } from './sql/index';
import { unwrap } from './orms/util';

/** The SQL text of an expression, or undefined when it is built at run time. */
export function sqlText(e: ts.Expression, ev: Evaluator, depth = 0): string | undefined {
  const u = unwrap(e);
  if (ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u)) return u.text;
  if (ts.isTemplateExpression(u)) return templateToSql([u.head.text, ...u.templateSpans.map((s) => s.literal.text)]);
  if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken && depth < 8) {
    const l = sqlText(u.left, ev, depth + 1);
    const r = sqlText(u.right, ev, depth + 1);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  // `{ text: 'SELECT …', values }` (pg) / `{ sql: '…' }` (mysql2)
  if (ts.isObjectLiteralExpression(u)) {
    for (const p of u.properties) {
      if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && (p.name.text === 'text' || p.name.text === 'sql')) return sqlText(p.initializer, ev, depth + 1);
    }
    return undefined;
  }
  if (ts.isIdentifier(u) && depth < 4) {
    const v = ev.valueOf(u);
    if (v?.kind === 'string' && v.node !== u) return sqlText(v.node, ev, depth + 1);
  }
  return undefined;
}

/** Fill in a raw-SQL query's facts from its parsed statement (first statement wins). */
export function applySql(q: QueryFacts, ev: Evaluator): StatementFacts | undefined {
  if (!q.sql) return undefined;
  const text = sqlText(q.sql, ev);
  if (text === undefined) {
    q.sqlUnknown = true;
    return undefined;
  }
  const facts = analyzeSql(text);
  const st = facts.ok ? facts.statements[0] : undefined;
  if (!st) {
    q.sqlUnknown = true;
    return undefined;
  }
  q.op = st.kind === 'select' ? 'read' : st.kind === 'other' ? 'other' : 'write';
  if (st.kind === 'insert') q.writeKind = 'create';
  else if (st.kind === 'update') q.writeKind = 'update';
  else if (st.kind === 'delete') q.writeKind = 'delete';
  q.hasLimit = st.hasLimit;
  q.hasOffset = st.hasOffset;
  q.aggregate = st.isAggregate;
  q.unique = st.uniqueLookup || st.singleRow;
  q.list = st.kind === 'select' && !st.singleRow;
  // `= ANY($1)` with an array parameter is the batched form: as many rows as the caller asks for.
  q.batched = st.boundedIn || /=\s*any\s*\(\s*(\$\d+|\?)/i.test(text);
  q.selectStar = st.selectStar;
  q.hasSelection = !st.selectStar;
  q.selectionSupported = st.selectStar;
  q.entity = q.entity ?? st.tables[0];
  q.sqlFingerprint = st.fingerprint || undefined;
  // A multi-row VALUES list or INSERT … SELECT is already a bulk write.
  if (st.kind === 'insert' && (/\)\s*,\s*\(/.test(text) || /\bselect\b/i.test(text))) q.bulk = true;
  // A write bounded by a LIMIT in a subquery moves a batch of rows per statement.
  if (st.kind !== 'select' && /\blimit\s+\d+/i.test(text)) q.bulk = true;
  if (st.kind !== 'select' && st.kind !== 'insert' && /\b(any|in)\s*\(/i.test(text)) q.bulk = true;
  return st;
}
