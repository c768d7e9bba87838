// TypeORM: DataSource / EntityManager / Repository (getRepository, @InjectRepository,
// `Repository<User>` parameters, custom repositories), BaseEntity active records,
// QueryBuilder chains, lazy relations (`await post.author`), `In(ids)` batching.
import { ts } from 'ts-morph';
import type { AdapterContext, OrmAdapter, QueryFacts, Segment, Value } from './types';
import { asObject, entityName, hasKeyOrSpread, insertProperty, keysOf, makeQuery, objectProp, queryValue, stringLiteral, unwrap } from './util';
import { rawQuery } from './raw-sql';
import { addOption } from './prisma';

const ORM = 'typeorm' as const;

const LIST = new Set(['find', 'findBy', 'findAndCount', 'findAndCountBy', 'findByIds']);
const ONE = new Set(['findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'preload', 'findOneById']);
const AGG = new Set(['count', 'countBy', 'sum', 'average', 'minimum', 'maximum', 'exist', 'exists', 'existsBy']);
const WRITES: Record<string, NonNullable<QueryFacts['writeKind']>> = {
  save: 'save', insert: 'create', update: 'update', upsert: 'upsert', delete: 'delete', remove: 'delete',
  softDelete: 'delete', softRemove: 'delete', restore: 'update', increment: 'update', decrement: 'update',
};
const QB_LIST = new Set(['getMany', 'getRawMany', 'getManyAndCount', 'stream']);
const QB_ONE = new Set(['getOne', 'getRawOne', 'getOneOrFail']);
const QB_AGG = new Set(['getCount', 'getExists']);

interface QbData {
  hasLimit: boolean;
  hasOffset: boolean;
  hasSelection: boolean;
  relations: string[];
  batched: boolean;
  write?: NonNullable<QueryFacts['writeKind']>;
  bulk: boolean;
}

function repo(entity?: string): Value {
  return { kind: 'receiver', orm: ORM, role: 'repository', entity };
}
function manager(): Value {
  return { kind: 'receiver', orm: ORM, role: 'manager' };
}
function qb(entity: string | undefined, data: QbData): Value {
  return { kind: 'receiver', orm: ORM, role: 'qb', entity, data };
}

/** `In(ids)` anywhere in a where clause / criteria. */
function usesIn(e: ts.Expression | undefined, ctx: AdapterContext): string | undefined {
  if (!e) return undefined;
  let key: string | undefined;
  const visit = (n: ts.Node, prop: string | undefined): void => {
    if (key !== undefined) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'In') {
      const v = ctx.valueOf(n.expression);
      if (!v || (v.kind === 'orm-export' && v.orm === ORM)) key = prop ?? '';
      return;
    }
    if (ts.isPropertyAssignment(n)) {
      const name = ts.isIdentifier(n.name) ? n.name.text : undefined;
      visit(n.initializer, name ?? prop);
      return;
    }
    ts.forEachChild(n, (c) => visit(c, prop));
  };
  visit(e, undefined);
  return key;
}

function relationsOf(e: ts.Expression | undefined): string[] {
  const u = e && unwrap(e);
  if (!u) return [];
  if (ts.isArrayLiteralExpression(u)) return u.elements.map((x) => stringLiteral(x) ?? '?');
  return keysOf(asObject(u));
}

function repoCall(entity: string | undefined, method: string, args: readonly ts.Expression[], seg: Segment, ctx: AdapterContext): Value | undefined {
  if (method === 'createQueryBuilder') return qb(entity ?? stringLiteral(args[0]), { hasLimit: false, hasOffset: false, hasSelection: false, relations: [], batched: false, bulk: false });
  if (method === 'query') return rawQuery(ORM, 'query', seg, args[0]);
  const isBy = method.endsWith('By') || method.endsWith('ByOrFail');
  const options = isBy ? undefined : asObject(args[0]);
  const where = isBy ? args[0] : objectProp(options, 'where');
  const inKey = usesIn(where, ctx);
  const base: Partial<QueryFacts> = {
    entity,
    options,
    selectionSupported: true,
    hasSelection: hasKeyOrSpread(options, 'select'),
    relations: relationsOf(objectProp(options, 'relations')),
    batched: inKey !== undefined || method === 'findByIds',
    batchedKey: inKey || undefined,
  };
  if (LIST.has(method)) {
    return queryValue(makeQuery(ORM, method, seg, { ...base, list: true, hasLimit: hasKeyOrSpread(options, 'take'), hasOffset: !!objectProp(options, 'skip') }));
  }
  if (ONE.has(method)) {
    const keys = keysOf(asObject(where));
    return queryValue(makeQuery(ORM, method, seg, { ...base, hasLimit: true, unique: method === 'preload' || method === 'findOneById' || (keys.length === 1 && keys[0] === 'id') }));
  }
  if (AGG.has(method)) return queryValue(makeQuery(ORM, method, seg, { ...base, aggregate: true, hasLimit: true, selectionSupported: false }));
  const w = WRITES[method];
  if (w) {
    const first = args[0] && unwrap(args[0]);
    const bulk = (!!first && ts.isArrayLiteralExpression(first)) || (w !== 'save' && w !== 'create' && usesIn(first, ctx) !== undefined);
    return queryValue(makeQuery(ORM, method, seg, { entity, op: 'write', writeKind: w, bulk, selectionSupported: false, hooksNote: w === 'save' ? 'save() of an array runs listeners and subscribers per entity, in one transaction' : undefined }));
  }
  return undefined;
}

function qbStep(v: Extract<Value, { kind: 'receiver' }>, seg: Segment): Value | undefined {
  if (seg.kind !== 'call' || !seg.name) return undefined;
  const d = v.data as QbData;
  const name = seg.name;
  const next = (over: Partial<QbData>) => qb(v.entity, { ...d, ...over });
  const over = { entity: v.entity, hasLimit: d.hasLimit, hasOffset: d.hasOffset, hasSelection: d.hasSelection, relations: d.relations, batched: d.batched, selectionSupported: true, builder: true };
  if (QB_LIST.has(name)) return queryValue(makeQuery(ORM, name, seg, { ...over, list: true }));
  if (QB_ONE.has(name)) return queryValue(makeQuery(ORM, name, seg, { ...over, hasLimit: true }));
  if (QB_AGG.has(name)) return queryValue(makeQuery(ORM, name, seg, { ...over, aggregate: true, hasLimit: true, selectionSupported: false }));
  if (name === 'execute') {
    return d.write
      ? queryValue(makeQuery(ORM, name, seg, { entity: v.entity, op: 'write', writeKind: d.write, bulk: d.bulk || d.batched }))
      : queryValue(makeQuery(ORM, name, seg, { ...over, list: true }));
  }
  if (name === 'take' || name === 'limit') return next({ hasLimit: true });
  if (name === 'skip' || name === 'offset') return next({ hasOffset: true });
  if (name === 'select' || name === 'addSelect') {
    const a = seg.args[0] && stringLiteral(seg.args[0]);
    return next({ hasSelection: seg.args.length > 0 && !(a !== undefined && /^\w+$/.test(a) && name === 'select') });
  }
  if (/JoinAndSelect$/.test(name)) return next({ relations: [...d.relations, stringLiteral(seg.args[1]) ?? stringLiteral(seg.args[0]) ?? '?'] });
  if (/[wW]here(InIds)?$/.test(name)) {
    const t = seg.args[0] && unwrap(seg.args[0]);
    const isIn = name.endsWith('InIds') || (!!t && (ts.isStringLiteralLike(t) || ts.isTemplateExpression(t)) && /\bIN\s*\(|= ANY\s*\(/i.test(t.getText()));
    return next({ batched: d.batched || isIn });
  }
  if (name === 'insert' || name === 'update' || name === 'delete' || name === 'softDelete') return next({ write: name === 'insert' ? 'create' : name === 'update' ? 'update' : 'delete' });
  if (name === 'values') {
    const a = seg.args[0] && unwrap(seg.args[0]);
    return next({ bulk: !!a && ts.isArrayLiteralExpression(a) });
  }
  // orderBy, groupBy, setParameter(s), leftJoin, from, into, set, …: still the same builder.
  return next({});
}

export const typeorm: OrmAdapter = {
  id: ORM,
  displayName: 'TypeORM',
  ownsModule: (s) => s === 'typeorm' || s.startsWith('typeorm/') || s === '@nestjs/typeorm',

  typeValue(t, args) {
    const n = t.name;
    if (/^(Repository|TreeRepository|MongoRepository)$/.test(n)) return repo(args[0] && ts.isTypeReferenceNode(args[0]) ? args[0].typeName.getText() : undefined);
    if (n === 'EntityManager' || n === 'DataSource' || n === 'Connection' || n === 'QueryRunner') return manager();
    return undefined;
  },

  decoratorValue(d, args) {
    if (d.name === 'InjectRepository') return repo(entityName(args[0]));
    if (d.name === 'InjectEntityManager' || d.name === 'InjectDataSource' || d.name === 'InjectConnection') return manager();
    return undefined;
  },

  classValue(cls) {
    const base = cls.base;
    const typeArg = cls.baseTypeArgs[0];
    if (base?.kind === 'orm-export' && base.orm === ORM) {
      if (/Repository$/.test(base.name)) return { instance: repo(typeArg && ts.isTypeReferenceNode(typeArg) ? typeArg.typeName.getText() : undefined) };
      if (base.name === 'BaseEntity') return { static: repo(cls.name), instance: { kind: 'row', orm: ORM, entity: cls.name } };
    }
    if (cls.decorators.some((d) => d.value.orm === ORM && (d.value.name === 'Entity' || d.value.name === 'ViewEntity'))) {
      return { instance: { kind: 'row', orm: ORM, entity: cls.name } };
    }
    return undefined;
  },

  step(value, seg, ctx) {
    if (value.kind === 'orm-export') {
      if (seg.kind === 'new' && (value.name === 'DataSource' || value.name === 'Connection')) return manager();
      if (seg.kind !== 'call') return undefined;
      if (/^get(Custom|Mongo|Tree)?Repository$/.test(value.name)) return repo(entityName(seg.args[0]));
      if (value.name === 'getManager' || value.name === 'getConnection' || value.name === 'createConnection') return manager();
      return undefined;
    }
    if (value.kind === 'query' && seg.kind === 'call' && seg.name === 'then') return undefined;
    if (value.kind !== 'receiver') return undefined;
    if (value.role === 'qb') return qbStep(value, seg);
    if (value.role === 'manager') {
      if (seg.kind === 'prop' && seg.name === 'manager') return manager();
      if (seg.kind !== 'call' || !seg.name) return undefined;
      if (/^get(Custom|Mongo|Tree)?Repository$/.test(seg.name) || seg.name === 'withRepository') return repo(entityName(seg.args[0]));
      if (seg.name === 'query') return rawQuery(ORM, 'query', seg, seg.args[0]);
      if (seg.name === 'createQueryBuilder') return repoCall(entityName(seg.args[0]), 'createQueryBuilder', [], seg, ctx);
      if (seg.name === 'transaction' || seg.name === 'initialize' || seg.name === 'connect') return seg.name === 'transaction' ? undefined : manager();
      // manager.find(User, options): the entity comes first.
      return repoCall(entityName(seg.args[0]), seg.name, seg.args.slice(1), seg, ctx);
    }
    if (value.role === 'repository') {
      if (seg.kind === 'prop' && seg.name === 'manager') return manager();
      if (seg.kind !== 'call' || !seg.name) return undefined;
      if (seg.name === 'extend') return repo(value.entity);
      return repoCall(value.entity, seg.name, seg.args, seg, ctx);
    }
    return undefined;
  },

  paramValue(callee, seg, argIndex, paramIndex) {
    if (callee.kind === 'receiver' && callee.role === 'manager' && seg.name === 'transaction' && paramIndex === 0) return manager();
    void argIndex;
    return undefined;
  },

  lazyRelation(row, prop, node) {
    if (row.orm !== ORM) return undefined;
    return makeQuery(ORM, prop, { kind: 'prop', name: prop, node: node as ts.PropertyAccessExpression }, { entity: prop, lazyRelation: true, list: true, hasLimit: false, relations: [prop], selectionSupported: false });
  },

  advice: {
    batch(q) {
      if (q.lazyRelation) return `Load the relation with the parent query (\`relations: { ${q.method}: true }\` or \`leftJoinAndSelect\`)`;
      const where = asObject(objectProp(q.options, 'where'));
      const key = keysOf(where)[0] ?? 'id';
      return `Load them for all items with one \`find({ where: { ${key}: In(ids) } })\` (or a \`relations\` / \`leftJoinAndSelect\` on the parent query) and match them in memory`;
    },
    bulk(q) {
      if (q.writeKind === 'delete') return 'Delete them in one statement: `delete({ id: In(ids) })`';
      if (q.writeKind === 'update') return 'Update them in one statement: `update({ id: In(ids) }, changes)` or a QueryBuilder `update().whereInIds(ids)`';
      return 'Save them in one call: `save(entities)` / `insert(rows)` with the whole array (chunk with `{ chunk: 500 }`)';
    },
    limit: (q, n) => (q.builder ? `Add \`.take(${n})\` (and \`.skip()\` for pages)` : `Add \`take: ${n}\` and page with \`skip\``),
    selection: (q, fields) => (q.builder ? `Select only what is used: \`.select([${fields.map((f) => `'${q.entity ?? 'e'}.${f}'`).join(', ')}])\`` : `Select only what is used: \`select: { ${fields.map((f) => `${f}: true`).join(', ')} }\``),
  },

  fixes: {
    limit(q, n, ctx) {
      const call = q.call;
      if (!ts.isCallExpression(call)) return undefined;
      if (q.builder) {
        const callee = call.expression;
        if (!ts.isPropertyAccessExpression(callee)) return undefined;
        return [{ start: callee.name.getStart(), end: callee.name.getStart(), newText: `take(${n}).` }];
      }
      if (q.method.endsWith('By')) return undefined;
      return addOption(call, q.options, `take: ${n}`, ctx.sourceFile.text);
    },
    selection(q, fields, ctx) {
      const call = q.call;
      if (!ts.isCallExpression(call) || q.builder || q.method.endsWith('By') || fields.length === 0) return undefined;
      if (q.options) return [insertProperty(ctx.sourceFile.text, q.options, `select: { ${fields.map((f) => `${f}: true`).join(', ')} }`)];
      return addOption(call, q.options, `select: { ${fields.map((f) => `${f}: true`).join(', ')} }`, ctx.sourceFile.text);
    },
  },
};

