// Drizzle: `drizzle(...)` from any 'drizzle-orm/<driver>' (or a `*Database` typed parameter),
// the SQL-like builder (`db.select().from(t).where().limit()`), writes, the relational query
// API (`db.query.users.findMany({ columns, with, limit })`), `inArray` batching, `db.execute(sql…)`.
import { ts } from 'ts-morph';
import type { AdapterContext, OrmAdapter, QueryFacts, Segment, Value } from './types';
import { asObject, hasKeyOrSpread, keysOf, makeQuery, objectProp, queryValue, unwrap, withQuery } from './util';
import { rawQuery } from './raw-sql';
import { addOption } from './prisma';

const ORM = 'drizzle' as const;

function db(): Value {
  return { kind: 'receiver', orm: ORM, role: 'db' };
}

/** `inArray(col, ids)` (from drizzle-orm) anywhere in a where expression; gives the column name. */
function inArrayKey(e: ts.Expression | undefined, ctx: AdapterContext): string | undefined {
  if (!e) return undefined;
  let key: string | undefined;
  const visit = (n: ts.Node): void => {
    if (key !== undefined) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'inArray') {
      const v = ctx.valueOf(n.expression);
      if (!v || (v.kind === 'orm-export' && v.orm === ORM)) {
        const col = n.arguments[0] && unwrap(n.arguments[0]);
        key = col && ts.isPropertyAccessExpression(col) ? col.name.text : '';
      }
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(e);
  return key;
}

/** `eq(users.id, x)` as the whole where: a unique lookup. */
function eqOnId(e: ts.Expression | undefined): boolean {
  const u = e && unwrap(e);
  if (!u || !ts.isCallExpression(u) || !ts.isIdentifier(u.expression) || u.expression.text !== 'eq') return false;
  const col = u.arguments[0] && unwrap(u.arguments[0]);
  return !!col && ts.isPropertyAccessExpression(col) && col.name.text === 'id';
}

const AGG_FNS = new Set(['count', 'countDistinct', 'sum', 'sumDistinct', 'avg', 'avgDistinct', 'min', 'max']);

/** `db.select({ n: count() })` / `{ n: sql\`count(*)\` }`: one row unless grouped. */
function onlyAggregates(e: ts.Expression | undefined): boolean {
  const obj = asObject(e);
  if (!obj || obj.properties.length === 0) return false;
  return obj.properties.every((p) => {
    if (!ts.isPropertyAssignment(p)) return false;
    const v = unwrap(p.initializer);
    if (ts.isCallExpression(v) && ts.isIdentifier(v.expression)) return AGG_FNS.has(v.expression.text);
    if (ts.isCallExpression(v) && ts.isPropertyAccessExpression(v.expression)) return ts.isTaggedTemplateExpression(v.expression.expression) && isAggSql(v.expression.expression);
    return ts.isTaggedTemplateExpression(v) && isAggSql(v);
  });
}

function isAggSql(t: ts.TaggedTemplateExpression): boolean {
  const text = ts.isNoSubstitutionTemplateLiteral(t.template) ? t.template.text : t.template.head.text;
  return /^\s*(count|sum|avg|min|max|bool_and|bool_or)\s*\(/i.test(text);
}

function tableName(e: ts.Expression | undefined): string | undefined {
  const u = e && unwrap(e);
  return u && ts.isIdentifier(u) ? u.text : u && ts.isPropertyAccessExpression(u) ? u.name.text : undefined;
}

function builderStep(v: Extract<Value, { kind: 'query' }>, seg: Segment, ctx: AdapterContext): Value | undefined {
  if (seg.kind !== 'call' || !seg.name) return undefined;
  const q = v.query;
  switch (seg.name) {
    case 'from':
      return withQuery(v, { entity: tableName(seg.args[0]), list: true }, seg.node);
    case 'where': {
      const key = inArrayKey(seg.args[0], ctx);
      return withQuery(v, { batched: q.batched || key !== undefined, batchedKey: key || q.batchedKey, unique: q.unique || eqOnId(seg.args[0]) }, seg.node);
    }
    case 'limit':
      return withQuery(v, { hasLimit: true }, seg.node);
    case 'groupBy':
      return withQuery(v, { aggregate: false }, seg.node);
    case 'offset':
      return withQuery(v, { hasOffset: true }, seg.node);
    case 'values': {
      const a = seg.args[0] && unwrap(seg.args[0]);
      const bulk = !!a && (ts.isArrayLiteralExpression(a) || (ts.isCallExpression(a) && ts.isPropertyAccessExpression(a.expression) && a.expression.name.text === 'map'));
      return withQuery(v, { bulk }, seg.node);
    }
    case 'then':
    case 'catch':
    case 'finally':
      return undefined;
    case 'execute':
      // A prepared statement runs where it is executed (`byId.execute({ id })` in a loop), not where it was built.
      return withQuery(v, { call: seg.node }, seg.node);
    default:
      // innerJoin, leftJoin, orderBy, groupBy, having, set, returning, onConflict…, execute, prepare
      return withQuery(v, {}, seg.node);
  }
}

function relationalCall(table: string, seg: Extract<Segment, { kind: 'call' }>): Value | undefined {
  const options = asObject(seg.args[0]);
  const base: Partial<QueryFacts> = {
    entity: table,
    options,
    selectionSupported: true,
    hasSelection: hasKeyOrSpread(options, 'columns'),
    relations: keysOf(asObject(objectProp(options, 'with'))),
  };
  if (seg.name === 'findMany') return queryValue(makeQuery(ORM, 'findMany', seg, { ...base, list: true, hasLimit: hasKeyOrSpread(options, 'limit'), hasOffset: !!objectProp(options, 'offset') }));
  if (seg.name === 'findFirst') return queryValue(makeQuery(ORM, 'findFirst', seg, { ...base, hasLimit: true }));
  return undefined;
}

export const drizzle: OrmAdapter = {
  id: ORM,
  displayName: 'Drizzle',
  ownsModule: (s) => s === 'drizzle-orm' || s.startsWith('drizzle-orm/'),

  typeValue: (t) => (/Database$|^DrizzleD1Database$|Transaction$/.test(t.name) ? db() : undefined),

  step(value, seg, ctx) {
    if (value.kind === 'orm-export') {
      if (value.name === 'drizzle' && seg.kind === 'call') return db();
      return undefined;
    }
    if (value.kind === 'query') return builderStep(value, seg, ctx);
    if (value.kind !== 'receiver') return undefined;
    if (value.role === 'db') {
      if (seg.kind === 'prop' && seg.name === 'query') return { kind: 'receiver', orm: ORM, role: 'relational' };
      if (seg.kind !== 'call' || !seg.name) return undefined;
      switch (seg.name) {
        case 'select':
        case 'selectDistinct':
          return queryValue(makeQuery(ORM, seg.name, seg, { hasSelection: seg.args.length > 0, selectionSupported: true, builder: true, aggregate: onlyAggregates(seg.args[0]) }));
        case 'insert':
          return queryValue(makeQuery(ORM, 'insert', seg, { entity: tableName(seg.args[0]), op: 'write', writeKind: 'create', builder: true }));
        case 'update':
          return queryValue(makeQuery(ORM, 'update', seg, { entity: tableName(seg.args[0]), op: 'write', writeKind: 'update', builder: true }));
        case 'delete':
          return queryValue(makeQuery(ORM, 'delete', seg, { entity: tableName(seg.args[0]), op: 'write', writeKind: 'delete', builder: true }));
        case 'execute': {
          const a = seg.args[0] && unwrap(seg.args[0]);
          return rawQuery(ORM, 'execute', seg, a && ts.isTaggedTemplateExpression(a) ? a.template : a);
        }
        default:
          return undefined;
      }
    }
    if (value.role === 'relational' && seg.kind === 'prop') return { kind: 'receiver', orm: ORM, role: 'relational-table', entity: seg.name };
    if (value.role === 'relational-table' && seg.kind === 'call') return relationalCall(value.entity ?? 'table', seg);
    return undefined;
  },

  paramValue(callee, seg, _argIndex, paramIndex) {
    return callee.kind === 'receiver' && callee.role === 'db' && seg.name === 'transaction' && paramIndex === 0 ? db() : undefined;
  },

  advice: {
    batch(q) {
      if (q.relations.length) return `Load the relation with the parent query (\`with: { ${q.relations[0]}: true }\`)`;
      return `Load them for all items with one query: \`.where(inArray(${q.entity ?? 'table'}.id, ids))\` (or \`with\` on the relational query) and match them in memory`;
    },
    bulk(q) {
      if (q.writeKind === 'create') return `Insert all rows at once: \`db.insert(${q.entity ?? 'table'}).values(rows)\``;
      return `Change all rows in one statement: \`.where(inArray(${q.entity ?? 'table'}.id, ids))\``;
    },
    limit: (q, n) => (q.options || q.method === 'findMany' ? `Add \`limit: ${n}\` (and \`offset\` for pages)` : `Add \`.limit(${n})\` (and \`.offset()\` or a keyset for pages)`),
    selection: (q, fields) =>
      q.method === 'findMany' || q.method === 'findFirst'
        ? `Load only what is used: \`columns: { ${fields.map((f) => `${f}: true`).join(', ')} }\``
        : `Select only what is used: \`db.select({ ${fields.map((f) => `${f}: ${q.entity ?? 'table'}.${f}`).join(', ')} })\``,
  },

  fixes: {
    limit(q, n, ctx) {
      if (q.method === 'findMany' && ts.isCallExpression(q.call)) return addOption(q.call, q.options, `limit: ${n}`, ctx.sourceFile.text);
      // Builder: append `.limit(n)` to the end of the chain.
      const end = q.node.getEnd();
      return [{ start: end, end, newText: `.limit(${n})` }];
    },
    selection(q, fields, ctx) {
      if (fields.length === 0 || !ts.isCallExpression(q.call)) return undefined;
      if (q.method === 'findMany' || q.method === 'findFirst') return addOption(q.call, q.options, `columns: { ${fields.map((f) => `${f}: true`).join(', ')} }`, ctx.sourceFile.text);
      if ((q.method === 'select' || q.method === 'selectDistinct') && q.call.arguments.length === 0 && q.entity) {
        const open = ctx.sourceFile.text.indexOf('(', q.call.expression.getEnd());
        return [{ start: open + 1, end: open + 1, newText: `{ ${fields.map((f) => `${f}: ${q.entity}.${f}`).join(', ')} }` }];
      }
      return undefined;
    },
  },
};

