// Knex: a `knex({...})` instance (default or named import, `require('knex')`), a `Knex` /
// `Knex.Transaction` typed parameter, `knex.transaction(trx => …)`. Its builder chains
// (`knex('users').where(…).limit(10)`) are queries; `.limit`, `.first`, `.select(cols)`,
// `.whereIn`, `.insert(rows)` are the facts. Objection and Bookshelf models are built on Knex
// and live in knex-models.ts; both report as `knex` because the SQL and the fixes are Knex's.
import { ts } from 'ts-morph';
import type { OrmAdapter, QueryFacts, Segment, Value } from './types';
import { makeQuery, queryValue, withQuery, stringLiteral, asObject, keysOf, unwrap } from './util';
import { isSingleRowArg } from './row-args';
import { chainCalls, filterKey, identifierText, objectKey as firstKey } from './chain-calls';
import { bookshelfStep, isBookshelfValue, objectionClassValue, objectionStep, isObjectionValue, objectionBuilderStep } from './knex-models';

export const KNEX = 'knex' as const;
const MODULES = new Set(['knex', 'objection', 'bookshelf']);

const client = (): Value => ({ kind: 'receiver', orm: KNEX, role: 'client' });

/** Builder methods that narrow or shape the query without changing what the rules look at. */
const PASSTHROUGH = new Set([
  'where', 'andWhere', 'orWhere', 'whereNot', 'andWhereNot', 'orWhereNot', 'whereRaw', 'andWhereRaw', 'orWhereRaw',
  'whereNull', 'whereNotNull', 'orWhereNull', 'orWhereNotNull', 'whereBetween', 'whereNotBetween', 'whereExists',
  'whereNotExists', 'whereLike', 'whereILike', 'whereNotIn', 'orWhereNotIn', 'whereJsonPath', 'whereJsonObject',
  'whereJsonSupersetOf', 'whereJsonSubsetOf', 'having', 'havingRaw', 'havingIn', 'join', 'innerJoin', 'leftJoin',
  'leftOuterJoin', 'rightJoin', 'rightOuterJoin', 'fullOuterJoin', 'crossJoin', 'joinRaw', 'orderBy', 'orderByRaw',
  'groupBy', 'groupByRaw', 'as', 'union', 'unionAll', 'intersect', 'except', 'modify', 'clearSelect', 'clearWhere',
  'clearOrder', 'clone', 'timeout', 'transacting', 'forUpdate', 'forShare', 'forNoKeyUpdate', 'forKeyShare', 'skipLocked',
  'noWait', 'returning', 'onConflict', 'merge', 'ignore', 'then', 'catch', 'finally', 'asCallback', 'options',
  'connection', 'debug', 'with', 'withRecursive', 'withMaterialized', 'hintComment', 'comment', 'jsonExtract', 'from',
  'table', 'into', 'on', 'andOn', 'orOn', 'distinctOn', 'denseRank', 'rank', 'rowNumber', 'partitionBy', 'withSchema',
]);
const AGGREGATES = new Set(['count', 'countDistinct', 'sum', 'sumDistinct', 'avg', 'avgDistinct', 'min', 'max']);
const SELECTS = new Set(['select', 'column', 'columns', 'distinct']);
/** Methods that build text or metadata, not a round trip. */
const NOT_QUERIES = new Set(['toSQL', 'toQuery', 'toString', 'toNative']);

function tableName(arg: ts.Expression | undefined): string | undefined {
  const s = stringLiteral(arg);
  if (s) return s.split(/\s+as\s+/i)[0]!.trim();
  const obj = asObject(arg);
  // knex({ u: 'users' }) aliases a table.
  const first = obj?.properties[0];
  if (first && ts.isPropertyAssignment(first)) return stringLiteral(first.initializer);
  return undefined;
}

/** `where({ id })`, `where('id', x)`, `where('users.id', '=', x)`: at most one row. */
function isUniqueWhere(args: readonly ts.Expression[]): boolean {
  const isKey = (k: string | undefined) => !!k && /(^|\.)(id|uuid)$/i.test(k);
  const obj = asObject(args[0]);
  if (obj) return keysOf(obj).some(isKey);
  const col = stringLiteral(args[0]);
  if (!isKey(col)) return false;
  return args.length === 2 || (args.length === 3 && stringLiteral(args[1]) === '=');
}

function selectsStar(args: readonly ts.Expression[]): boolean {
  return args.some((a) => {
    const s = stringLiteral(a);
    return s !== undefined && (s === '*' || s.endsWith('.*'));
  });
}

/** The first query of a chain on a knex client: `knex('users')`, `knex.select(…)`, `knex.raw(sql)`. */
function startQuery(seg: Segment): Value | undefined {
  if (seg.kind === 'tag') return queryValue(makeQuery(KNEX, 'raw', seg, { sql: seg.template, list: true }));
  if (seg.kind !== 'call') return undefined;
  const base = { builder: true, selectionSupported: true, list: true };
  if (seg.name === undefined || seg.name === 'from' || seg.name === 'table' || seg.name === 'queryBuilder') {
    return queryValue(makeQuery(KNEX, 'select', seg, { ...base, entity: tableName(seg.args[0]) }));
  }
  if (seg.name === 'raw') {
    return seg.args[0] ? queryValue(makeQuery(KNEX, 'raw', seg, { sql: seg.args[0], list: true })) : undefined;
  }
  if (seg.name === 'batchInsert') {
    return queryValue(makeQuery(KNEX, 'batchInsert', seg, { op: 'write', writeKind: 'create', bulk: true, entity: stringLiteral(seg.args[0]) }));
  }
  if (seg.name === 'with' || seg.name === 'withRecursive') return queryValue(makeQuery(KNEX, 'select', seg, base));
  // knex.select('a').from('t'), knex.insert(row).into('t'), knex.count('*').from('t')
  const empty = makeQuery(KNEX, 'select', seg, base);
  return builderStep(empty, seg);
}

/** One step along a knex builder chain. Shared with Objection (its builder is a Knex builder). */
export function builderStep(q: QueryFacts, seg: Segment): Value | undefined {
  if (seg.kind !== 'call' || !seg.name) return undefined;
  const name = seg.name;
  const v: Extract<Value, { kind: 'query' }> = { kind: 'query', query: q };
  const next = (over: Partial<QueryFacts>) => withQuery(v, over, seg.node);
  if (NOT_QUERIES.has(name)) return undefined;
  if (name === 'where' || name === 'andWhere') return next(isUniqueWhere(seg.args) && q.op === 'read' ? { unique: true, list: false } : {});
  if (name === 'from' || name === 'table' || name === 'into') return next({ entity: tableName(seg.args[0]) ?? q.entity });
  if (PASSTHROUGH.has(name)) return next({});
  if (name === 'whereIn' || name === 'orWhereIn' || name === 'andWhereIn') {
    return next({ batched: true, batchedKey: stringLiteral(seg.args[0]), bulk: q.op === 'write' ? true : q.bulk });
  }
  if (name === 'limit') return next({ hasLimit: true });
  if (name === 'offset') return next({ hasOffset: true });
  // knex-paginate's `.paginate({ perPage, currentPage })` bounds the page itself.
  if (name === 'paginate') return next({ hasLimit: true, hasOffset: true });
  // `.stream()` hands rows over one at a time: memory stays bounded, so it is not a list to page.
  if (name === 'stream' || name === 'pipe') return next({ hasLimit: true });
  if (name === 'first') return next({ list: false, hasLimit: true, hasSelection: q.hasSelection || (seg.args.length > 0 && !selectsStar(seg.args)), method: 'first' });
  if (name === 'pluck') return next({ hasSelection: true, method: 'pluck' });
  if (SELECTS.has(name)) {
    if (seg.args.length === 0) return next({});
    return selectsStar(seg.args) ? next({ selectStar: true }) : next({ hasSelection: true });
  }
  if (AGGREGATES.has(name)) return next({ aggregate: true, list: false, hasSelection: true, method: name, selectionSupported: false });
  if (name === 'insert' || name === 'upsert') {
    return next({ op: 'write', writeKind: name === 'insert' ? 'create' : 'upsert', bulk: !isSingleRowArg(seg.args[0]), method: name, list: false });
  }
  if (name === 'update' || name === 'increment' || name === 'decrement') {
    return next({ op: 'write', writeKind: 'update', bulk: q.batched, method: name, list: false });
  }
  if (name === 'del' || name === 'delete') return next({ op: 'write', writeKind: 'delete', bulk: q.batched, method: name, list: false });
  if (name === 'truncate') return next({ op: 'other', method: name, list: false });
  return undefined;
}

export const knex: OrmAdapter = {
  id: KNEX,
  displayName: 'Knex',
  ownsModule: (s) => MODULES.has(s) || s.startsWith('knex/'),

  typeValue(type) {
    // `Knex`, `Knex.Transaction`, `Knex.QueryInterface`: all issue queries the same way.
    if (type.module !== 'knex') return undefined;
    // `Knex`, `Knex.Transaction`, `knex.Knex` (default import), `Transaction` (named import)
    return /^((default|\*)\.)?Knex(\.(Transaction|QueryInterface))?$/.test(type.name) || type.name === 'Transaction' ? client() : undefined;
  },

  classValue: (cls) => objectionClassValue(cls),

  step(value, seg, ctx) {
    if (value.kind === 'orm-export') {
      if (value.module === 'knex') {
        // `knex(config)`, `Knex.knex(config)`, `require('knex')(config)`
        if (seg.kind === 'call' && (seg.name === undefined || seg.name === 'knex')) return client();
        if (seg.kind === 'prop' && seg.name === 'knex') return value;
        return undefined;
      }
      return isBookshelfValue(value) ? bookshelfStep(value, seg, ctx) : objectionStep(value, seg, ctx);
    }
    if (value.kind === 'receiver' && value.role === 'client') {
      if (seg.kind === 'call' && seg.name === 'transaction') {
        // `await knex.transaction()` without a callback hands back the transaction itself.
        const fn = seg.args[0] && unwrap(seg.args[0]);
        return fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? undefined : client();
      }
      // `knex.schema`, `knex.fn`, `knex.client`: DDL and helpers, not queries.
      if (seg.kind === 'prop') return undefined;
      return startQuery(seg);
    }
    if (value.kind === 'query') {
      if (value.query.builder) return builderStep(value.query, seg) ?? objectionBuilderStep(value.query, seg);
      // A finished query (raw, Bookshelf fetch) can still be chained as a promise.
      if (seg.kind === 'call' && (seg.name === 'then' || seg.name === 'catch' || seg.name === 'finally')) return withQuery(value, {}, seg.node);
      return undefined;
    }
    if (isObjectionValue(value)) return objectionStep(value, seg, ctx);
    if (isBookshelfValue(value)) return bookshelfStep(value, seg, ctx);
    return undefined;
  },

  paramValue(callee, seg, argIndex, paramIndex) {
    // knex.transaction(async (trx) => …): trx is a client bound to the transaction.
    if (callee.kind === 'receiver' && callee.role === 'client' && seg.name === 'transaction' && argIndex === 0 && paramIndex === 0) return client();
    // Model.transaction(async (trx) => …) in Objection.
    if (isObjectionValue(callee) && seg.name === 'transaction' && paramIndex === 0) return client();
    return undefined;
  },

  advice: {
    batch(q) {
      if (q.lazyRelation) return `Load the relation for all rows at once (Objection \`withGraphFetched('${q.relations[0] ?? 'relation'}')\`, Bookshelf \`withRelated\`) or with one \`whereIn\``;
      const { from, key, bookshelf } = describe(q);
      if (bookshelf) return `Load them for all items with one \`${from}.where('${key}', 'in', ids).fetchAll()\` and group the models by \`${key}\``;
      return `Load them for all items with one \`${from}.whereIn('${key}', ids)\` and group the rows by \`${key}\` in memory`;
    },
    bulk(q) {
      const { from, objection } = describe(q);
      switch (q.writeKind) {
        case 'create':
        case 'upsert':
          return objection
            ? `Insert all rows with one \`${from}.insert(rows)\``
            : `Insert all rows with one \`${from}.insert(rows)\` (or \`knex.batchInsert('${q.entity ?? 'table'}', rows, 500)\` for large sets)`;
        case 'delete':
          return `Delete them with one \`${from}.whereIn('id', ids).delete()\``;
        default:
          return `Update them with one \`${from}.whereIn('id', ids).${objection ? 'patch' : 'update'}(changes)\` when the change is the same, or one \`UPDATE … FROM (VALUES …)\` through \`knex.raw\``;
      }
    },
    limit: (_q, pageSize) => `Add \`.limit(${pageSize})\` and page with \`.offset()\` or a keyset \`where('id', '>', lastId)\``,
    selection: (_q, fields) => `Select only what is used: \`.select(${fields.map((f) => `'${f}'`).join(', ') || "'id'"})\``,
  },

  fixes: {
    limit(q, pageSize) {
      if (!q.builder || q.sql) return undefined;
      const end = q.node.getEnd();
      return [{ start: end, end, newText: `.limit(${pageSize})` }];
    },
    bulk(q, loop, ctx) {
      // for (const r of rows) await knex('t').insert({...r}) → await knex('t').insert(rows.map((r) => ({...r})))
      if (q.writeKind !== 'create' || !loop.bodyIsOnlyTheWrite || !q.builder) return undefined;
      const insert = findCall(q.node, 'insert');
      const arg = insert?.arguments[0];
      if (!insert || insert.arguments.length !== 1 || !arg) return undefined;
      const text = ctx.sourceFile.text;
      const chain = text.slice(q.node.getStart(), arg.getStart()) + `${ctx.text(loop.items)}.map((${loop.itemName}) => (${ctx.text(arg)}))` + text.slice(arg.getEnd(), q.node.getEnd());
      return [{ start: loop.statement.getStart(), end: loop.statement.getEnd(), newText: `await ${chain};` }];
    },
    selection(q, fields) {
      if (!q.builder || q.sql || fields.length === 0) return undefined;
      return selectionEdits(q.node, fields.map((f) => `'${f}'`).join(', '));
    },
  },
};

/** How the query starts, in the user's words: `knex('orders')` or `Invoice.query()`, and its filter column. */
function describe(q: QueryFacts): { from: string; key: string; objection: boolean; bookshelf: boolean } {
  const calls = chainCalls(q.node);
  if (BOOKSHELF_METHODS.has(q.method)) {
    // `new Account({ id }).fetch()` or `Account.where({ plan }).fetchAll()`
    const recv = calls[0] && unwrap(calls[0].receiver);
    const created = recv && ts.isNewExpression(recv) ? recv : undefined;
    const root = created ? identifierText(created.expression) : recv && identifierText(recv);
    const bsKey = filterKey(calls) ?? firstKey(created?.arguments?.[0]) ?? 'id';
    return { from: root ?? q.entity ?? 'Model', key: bsKey, objection: false, bookshelf: true };
  }
  const key = filterKey(calls) ?? q.batchedKey ?? 'id';
  const model = calls.find((c) => c.name === 'query' || c.name === 'relatedQuery');
  const modelName = model && identifierText(model.receiver);
  if (modelName) return { from: `${modelName}.query()`, key, objection: true, bookshelf: false };
  return { from: `knex('${q.entity ?? 'table'}')`, key, objection: false, bookshelf: false };
}

const BOOKSHELF_METHODS = new Set(['fetch', 'fetchAll', 'fetchPage', 'refresh', 'load']);

/** `.select('*')` → `.select('a')`, else `.first()` → `.first('a')`, else `.select('a')` right after `knex('t')`. */
function selectionEdits(node: ts.Node, cols: string): { start: number; end: number; newText: string }[] | undefined {
  const calls: { name: string; call: ts.CallExpression; callee?: ts.PropertyAccessExpression }[] = [];
  let cur: ts.Node = node;
  while (ts.isCallExpression(cur) || ts.isPropertyAccessExpression(cur) || ts.isAwaitExpression(cur) || ts.isParenthesizedExpression(cur)) {
    if (ts.isCallExpression(cur)) {
      const callee = unwrap(cur.expression);
      if (!ts.isPropertyAccessExpression(callee)) {
        calls.push({ name: '', call: cur });
        break;
      }
      calls.push({ name: callee.name.text, call: cur, callee });
      cur = callee.expression;
    } else {
      cur = cur.expression;
    }
  }
  const star = calls.find((c) => (c.name === 'select' || c.name === 'first') && selectsStar(c.call.arguments));
  if (star) {
    const args = star.call.arguments;
    return [{ start: args[0]!.getStart(), end: args[args.length - 1]!.getEnd(), newText: cols }];
  }
  if (calls.some((c) => SELECTS.has(c.name) && c.call.arguments.length > 0)) return undefined;
  const first = calls.find((c) => c.name === 'first' && c.call.arguments.length === 0);
  if (first?.callee) {
    const open = first.call.getSourceFile().text.indexOf('(', first.callee.getEnd());
    return [{ start: open + 1, end: open + 1, newText: cols }];
  }
  const root = calls[calls.length - 1];
  if (!root || (root.name !== '' && root.name !== 'query' && root.name !== 'from' && root.name !== 'table')) return undefined;
  return [{ start: root.call.getEnd(), end: root.call.getEnd(), newText: `.select(${cols})` }];
}

/** The call named `name` along a chain ending at `node`. */
function findCall(node: ts.Node, name: string): ts.CallExpression | undefined {
  let cur: ts.Node = node;
  while (ts.isCallExpression(cur) || ts.isPropertyAccessExpression(cur)) {
    if (ts.isCallExpression(cur)) {
      const callee = unwrap(cur.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      if (callee.name.text === name) return cur;
      cur = callee.expression;
    } else cur = cur.expression;
  }
  return undefined;
}
