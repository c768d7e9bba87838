// Prisma: `new PrismaClient()` from '@prisma/client' (or a generated client path), classes that
// extend it (NestJS PrismaService), `Prisma.TransactionClient`, `$transaction(async tx => …)`.
import { ts } from 'ts-morph';
import type { OrmAdapter, QueryFacts, Value, Segment, FixEdit } from './types';
import { makeQuery, queryValue, asObject, objectProp, keysOf, findInOperator, hasKeyOrSpread, insertProperty, unwrap } from './util';

const ORM = 'prisma' as const;

const READS_LIST = new Set(['findMany', 'groupBy']);
const READS_ONE = new Set(['findFirst', 'findFirstOrThrow']);
const READS_UNIQUE = new Set(['findUnique', 'findUniqueOrThrow']);
const AGGREGATES = new Set(['count', 'aggregate']);
const WRITES: Record<string, { kind: NonNullable<QueryFacts['writeKind']>; bulk: boolean }> = {
  create: { kind: 'create', bulk: false },
  createMany: { kind: 'create', bulk: true },
  createManyAndReturn: { kind: 'create', bulk: true },
  update: { kind: 'update', bulk: false },
  updateMany: { kind: 'update', bulk: true },
  updateManyAndReturn: { kind: 'update', bulk: true },
  upsert: { kind: 'upsert', bulk: false },
  delete: { kind: 'delete', bulk: false },
  deleteMany: { kind: 'delete', bulk: true },
};
/** Promise methods on a query: not a relation hop of the fluent API. */
const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);

function client(): Value {
  return { kind: 'receiver', orm: ORM, role: 'client' };
}

function modelCall(model: string, seg: Extract<Segment, { kind: 'call' }>): Value | undefined {
  const method = seg.name;
  if (!method) return undefined;
  const options = asObject(seg.args[0]);
  const where = objectProp(options, 'where');
  const inKey = findInOperator(where, ['in']);
  const base = {
    entity: model,
    options,
    selectionSupported: true,
    hasSelection: hasKeyOrSpread(options, 'select') || !!objectProp(options, 'omit'),
    relations: keysOf(asObject(objectProp(options, 'include'))),
    batched: inKey !== undefined,
    batchedKey: inKey || undefined,
  };
  if (READS_LIST.has(method)) {
    return queryValue(
      makeQuery(ORM, method, seg, {
        ...base,
        list: true,
        hasLimit: hasKeyOrSpread(options, 'take'),
        hasOffset: !!objectProp(options, 'skip') || !!objectProp(options, 'cursor'),
      }),
    );
  }
  if (READS_ONE.has(method)) return queryValue(makeQuery(ORM, method, seg, { ...base, hasLimit: true }));
  if (READS_UNIQUE.has(method)) return queryValue(makeQuery(ORM, method, seg, { ...base, unique: true, hasLimit: true, sameTickBatched: true }));
  if (AGGREGATES.has(method)) return queryValue(makeQuery(ORM, method, seg, { ...base, aggregate: true, hasLimit: true, selectionSupported: false }));
  const w = WRITES[method];
  if (w) {
    return queryValue(
      makeQuery(ORM, method, seg, { ...base, op: 'write', writeKind: w.kind, bulk: w.bulk || (w.kind !== 'create' && inKey !== undefined), selectionSupported: false }),
    );
  }
  return undefined;
}

function rawCall(name: string, seg: Segment): Value | undefined {
  const isExec = name.startsWith('$execute');
  if (seg.kind === 'tag') {
    return queryValue(makeQuery(ORM, name, seg, { op: isExec ? 'write' : 'read', sql: seg.template, list: !isExec }));
  }
  if (seg.kind === 'call' && seg.args[0]) {
    return queryValue(makeQuery(ORM, name, seg, { op: isExec ? 'write' : 'read', sql: seg.args[0], list: !isExec }));
  }
  return undefined;
}

export const prisma: OrmAdapter = {
  id: ORM,
  displayName: 'Prisma',
  ownsModule: (s) => s === '@prisma/client' || s.startsWith('@prisma/client/') || /(^|\/)generated\/prisma(\/client)?$/.test(s) || s.endsWith('/prisma-client'),

  typeValue(type) {
    const n = type.name;
    if (n === 'PrismaClient' || n.endsWith('TransactionClient')) return client();
    return undefined;
  },

  classValue(cls) {
    if (cls.base?.kind === 'orm-export' && cls.base.orm === ORM && cls.base.name === 'PrismaClient') return { instance: client() };
    return undefined;
  },

  step(value, seg, ctx) {
    if (value.kind === 'orm-export') {
      if (seg.kind === 'new' && value.name === 'PrismaClient') return client();
      return undefined;
    }
    if (value.kind === 'receiver' && value.role === 'client') {
      // `prisma.$queryRawUnsafe(sql, …)` arrives as one call segment named after the method.
      if (seg.kind === 'call' && seg.name && (seg.name.startsWith('$queryRaw') || seg.name.startsWith('$executeRaw'))) return rawCall(seg.name, seg);
      if (seg.kind !== 'prop') return undefined;
      if (seg.name.startsWith('$queryRaw') || seg.name.startsWith('$executeRaw')) return { kind: 'receiver', orm: ORM, role: 'raw', entity: seg.name };
      if (seg.name === '$transaction' || seg.name === '$extends') return { kind: 'receiver', orm: ORM, role: seg.name };
      if (seg.name.startsWith('$')) return undefined;
      return { kind: 'receiver', orm: ORM, role: 'model', entity: seg.name };
    }
    if (value.kind === 'receiver' && value.role === '$extends' && seg.kind === 'call') return client();
    if (value.kind === 'receiver' && value.role === 'raw') return rawCall(value.entity ?? '$queryRaw', seg);
    if (value.kind === 'receiver' && value.role === 'model' && seg.kind === 'call') return modelCall(value.entity ?? 'model', seg);
    if (value.kind === 'receiver' && value.role === 'model' && seg.kind === 'prop') return { kind: 'receiver', orm: ORM, role: 'model-method', entity: `${value.entity}.${seg.name}` };
    if (value.kind === 'receiver' && value.role === 'model-method' && seg.kind === 'call') {
      // `prisma.user.findMany.call(...)` style is not supported; only direct calls reach here.
      return undefined;
    }
    // Fluent API: prisma.user.findUnique({ where }).posts() loads a relation.
    if (value.kind === 'query' && seg.kind === 'call' && seg.name && !PROMISE_METHODS.has(seg.name) && value.query.unique) {
      void ctx;
      const opts = asObject(seg.args[0]);
      return queryValue(makeQuery(ORM, seg.name, seg, { entity: seg.name, list: true, relations: [seg.name], options: opts, selectionSupported: true, hasSelection: !!objectProp(opts, 'select'), hasLimit: hasKeyOrSpread(opts, 'take') }));
    }
    return undefined;
  },

  paramValue(callee, seg, argIndex, paramIndex) {
    // prisma.$transaction(async (tx) => …): tx is a client.
    if (callee.kind === 'receiver' && callee.role === 'client' && seg.name === '$transaction' && argIndex === 0 && paramIndex === 0) return client();
    return undefined;
  },

  advice: {
    batch(q) {
      const model = q.entity ?? 'model';
      const where = asObject(objectProp(q.options, 'where'));
      const key = keysOf(where)[0] ?? 'id';
      if (q.lazyRelation || q.relations.length) return `Load them with the parent query (\`include: { ${q.relations[0] ?? q.method}: true }\`) or one \`findMany({ where: { ${key}: { in: ids } } })\``;
      if (q.unique || q.method === 'findFirst' || q.method === 'findFirstOrThrow') {
        return `Load all of them with one \`prisma.${model}.findMany({ where: { ${key}: { in: ids } } })\` before the loop and look them up in a Map`;
      }
      return `Load them for all items with one \`prisma.${model}.${q.method}({ where: { ${key}: { in: ids } } })\` and group the rows by \`${key}\``;
    },
    bulk(q) {
      const model = q.entity ?? 'model';
      switch (q.writeKind) {
        case 'create':
          return `Use \`prisma.${model}.createMany({ data: rows })\` (one INSERT; it returns a count, use \`createManyAndReturn\` for rows)`;
        case 'delete':
          return `Use \`prisma.${model}.deleteMany({ where: { id: { in: ids } } })\``;
        case 'update':
          return `Use \`prisma.${model}.updateMany({ where: { id: { in: ids } }, data })\` when the rows get the same change, otherwise batch them in one \`prisma.$transaction([...])\``;
        default:
          return `Batch the writes in one \`prisma.$transaction([...])\` (or \`createMany({ skipDuplicates: true })\` for inserts)`;
      }
    },
    limit: (_q, pageSize) => `Add \`take: ${pageSize}\` and page with \`skip\` or a \`cursor\``,
    selection: (_q, fields) => `Select only what is used: \`select: { ${fields.map((f) => `${f}: true`).join(', ')} }\``,
  },

  fixes: {
    limit(q, pageSize, ctx) {
      if (!ts.isCallExpression(q.call)) return undefined;
      return addOption(q.call, q.options, `take: ${pageSize}`, ctx.sourceFile.text);
    },
    selection(q, fields, ctx) {
      if (!ts.isCallExpression(q.call) || objectProp(q.options, 'include') || fields.length === 0) return undefined;
      return addOption(q.call, q.options, `select: { ${fields.map((f) => `${f}: true`).join(', ')} }`, ctx.sourceFile.text);
    },
    bulk(q, loop, ctx) {
      if (q.writeKind !== 'create' || !loop.bodyIsOnlyTheWrite || !ts.isCallExpression(q.call)) return undefined;
      const data = objectProp(q.options, 'data');
      if (!data || !q.options || q.options.properties.length !== 1) return undefined;
      const callee = q.call.expression;
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      const text = ctx.sourceFile.text;
      const receiver = text.slice(callee.expression.getStart(), callee.expression.getEnd());
      const items = text.slice(loop.items.getStart(), loop.items.getEnd());
      const dataText = text.slice(unwrap(data).getStart(), unwrap(data).getEnd());
      const newText = `await ${receiver}.createMany({ data: ${items}.map((${loop.itemName}) => (${dataText})) });`;
      return [{ start: loop.statement.getStart(), end: loop.statement.getEnd(), newText }];
    },
  },
};

/** Add a property to the options object, or create `{ prop }` when the call has no arguments. */
export function addOption(call: ts.CallExpression, options: ts.ObjectLiteralExpression | undefined, prop: string, text: string): FixEdit[] | undefined {
  if (options) return [insertProperty(text, options, prop)];
  if (call.arguments.length === 0) {
    const open = text.indexOf('(', call.expression.getEnd());
    return [{ start: open + 1, end: open + 1, newText: `{ ${prop} }` }];
  }
  return undefined;
}
