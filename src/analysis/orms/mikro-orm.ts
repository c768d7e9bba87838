// MikroORM: `EntityManager` (typed parameter / property, `orm.em`, `em.fork()`,
// `em.transactional(em => …)`, `@InjectEntityManager()`), `EntityRepository<T>` (typed,
// `em.getRepository(T)`, `@InjectRepository(T)`, `class X extends EntityRepository<T>`), their
// QueryBuilder, and lazy collections / references on entities (`author.books.loadItems()`).
// `persist` only marks an entity; the round trip is `flush` — so `persist` in a loop followed by
// one `flush` is the bulk form, and `persistAndFlush` / `flush` per item is not.
import { ts } from 'ts-morph';
import type { AdapterContext, OrmAdapter, QueryFacts, Segment, Value } from './types';
import { makeQuery, queryValue, withQuery, asObject, objectProp, findInOperator, entityName, stringLiteral, insertProperty, unwrap, indentAt } from './util';
import { isSingleRowArg } from './row-args';
import { objectKey } from './chain-calls';

const ORM = 'mikro-orm' as const;

const em = (): Value => ({ kind: 'receiver', orm: ORM, role: 'em' });
const repo = (entity: string | undefined): Value => ({ kind: 'receiver', orm: ORM, role: 'repository', entity });

/** Methods that exist on both EntityManager (entity first) and EntityRepository (entity implied). */
type Kind = 'list' | 'one' | 'unique' | 'count' | 'page' | 'create' | 'createMany' | 'update' | 'delete' | 'upsert' | 'upsertMany' | 'flush' | 'populate' | 'qb';
const METHODS: Record<string, Kind> = {
  find: 'list',
  findAll: 'list',
  findAndCount: 'page',
  findByCursor: 'page',
  findOne: 'one',
  findOneOrFail: 'one',
  count: 'count',
  nativeInsert: 'create',
  insert: 'create',
  insertMany: 'createMany',
  nativeUpdate: 'update',
  nativeDelete: 'delete',
  upsert: 'upsert',
  upsertMany: 'upsertMany',
  persistAndFlush: 'flush',
  removeAndFlush: 'flush',
  flush: 'flush',
  populate: 'populate',
  createQueryBuilder: 'qb',
  qb: 'qb',
};
/** Calls that return the EntityManager again (chainable or forked). */
const EM_RETURNING = new Set(['fork', 'persist', 'remove', 'getContext', 'clear']);

/** The arguments after the entity: `em.find(Book, where, opts)` vs `repo.find(where, opts)`. */
function entityCall(recv: Extract<Value, { kind: 'receiver' }>, seg: Extract<Segment, { kind: 'call' }>) {
  if (recv.role === 'repository') return { entity: recv.entity, args: seg.args };
  return { entity: entityName(seg.args[0]), args: seg.args.slice(1) };
}

function isPrimaryKey(where: ts.Expression | undefined): boolean {
  if (!where) return false;
  const u = unwrap(where);
  if (ts.isObjectLiteralExpression(u)) return u.properties.some((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && /^(id|_id|uuid)$/.test(p.name.getText()));
  // em.findOne(Book, 42) / em.findOne(Book, id): a primary key value.
  return !ts.isArrayLiteralExpression(u);
}

function fieldsIn(opts: ts.ObjectLiteralExpression | undefined): boolean {
  return !!objectProp(opts, 'fields') || !!objectProp(opts, 'exclude');
}

function populated(opts: ts.ObjectLiteralExpression | undefined): string[] {
  const p = objectProp(opts, 'populate');
  if (!p || !ts.isArrayLiteralExpression(unwrap(p))) return [];
  return (unwrap(p) as ts.ArrayLiteralExpression).elements.map((e) => stringLiteral(e) ?? '').filter(Boolean);
}

function managerCall(recv: Extract<Value, { kind: 'receiver' }>, seg: Extract<Segment, { kind: 'call' }>): Value | undefined {
  const name = seg.name;
  if (!name) return undefined;
  if (recv.role === 'em') {
    if (EM_RETURNING.has(name)) return em();
    if (name === 'getRepository') return repo(entityName(seg.args[0]));
    if (name === 'getConnection' || name === 'getDriver') return { kind: 'receiver', orm: ORM, role: 'connection' };
    // SqlEntityManager#getKnex(): a plain Knex client from here on.
    if (name === 'getKnex') return { kind: 'receiver', orm: 'knex', role: 'client' };
    if (name === 'create' || name === 'getReference' || name === 'merge' || name === 'assign') return { kind: 'row', orm: ORM, entity: entityName(seg.args[0]) };
    if (name === 'execute') return rawQuery(seg);
    if (name === 'refresh') return queryValue(makeQuery(ORM, name, seg, { unique: true, hasLimit: true }));
  } else if (recv.role === 'repository') {
    if (name === 'getEntityManager') return em();
    if (name === 'create' || name === 'getReference' || name === 'merge' || name === 'assign') return { kind: 'row', orm: ORM, entity: recv.entity };
    if (name === 'persist' || name === 'remove') return em();
  }
  const kind = METHODS[name];
  if (!kind) return undefined;
  const { entity, args } = entityCall(recv, seg);
  const where = args[0];
  const opts = asObject(args[kind === 'list' && name === 'findAll' ? 0 : 1]);
  const inKey = findInOperator(where, ['$in']);
  const batched = inKey !== undefined || (!!where && ts.isArrayLiteralExpression(unwrap(where)));
  const base: Partial<QueryFacts> = { entity, options: opts, selectionSupported: true, hasSelection: fieldsIn(opts), relations: populated(opts), batched, batchedKey: inKey || undefined };
  switch (kind) {
    case 'list':
      return queryValue(makeQuery(ORM, name, seg, { ...base, list: true, hasLimit: !!objectProp(opts, 'limit'), hasOffset: !!objectProp(opts, 'offset') }));
    case 'page':
      return queryValue(makeQuery(ORM, name, seg, { ...base, list: true, hasLimit: !!objectProp(opts, 'limit') || !!objectProp(opts, 'first') || !!objectProp(opts, 'last'), hasOffset: !!objectProp(opts, 'offset') }));
    case 'one':
      return queryValue(makeQuery(ORM, name, seg, { ...base, hasLimit: true, unique: isPrimaryKey(where) }));
    case 'count':
      return queryValue(makeQuery(ORM, name, seg, { ...base, aggregate: true, selectionSupported: false }));
    case 'populate':
      // em.populate(entities, ['books']): one query per relation for whatever it is given.
      return queryValue(makeQuery(ORM, name, seg, { entity, list: true, relations: populated(asObject(seg.args[1])) }));
    case 'qb':
      return queryValue(makeQuery(ORM, name, seg, { entity, list: true, builder: true, selectionSupported: true }));
    case 'create':
      return writeQuery(name, seg, entity, 'create', !isSingleRowArg(args[0]));
    case 'createMany':
      return writeQuery(name, seg, entity, 'create', true);
    case 'update':
      return writeQuery(name, seg, entity, 'update', batched);
    case 'delete':
      return writeQuery(name, seg, entity, 'delete', batched);
    case 'upsert':
      return writeQuery(name, seg, entity, 'upsert', !isSingleRowArg(args[0]));
    case 'upsertMany':
      return writeQuery(name, seg, entity, 'upsert', true);
    case 'flush': {
      // persistAndFlush([a, b]) is one flush for all of them.
      const arg = seg.args[0];
      const bulk = name !== 'flush' && !!arg && !isSingleRowArg(arg);
      return writeQuery(name, seg, entity === undefined && name !== 'flush' ? undefined : entity, name === 'removeAndFlush' ? 'delete' : 'save', bulk);
    }
  }
}

function writeQuery(method: string, seg: Segment, entity: string | undefined, writeKind: NonNullable<QueryFacts['writeKind']>, bulk: boolean): Value {
  return queryValue(
    makeQuery(ORM, method, seg, {
      op: 'write',
      writeKind,
      bulk,
      entity,
      hooksNote: method.startsWith('native') ? undefined : 'MikroORM runs entity lifecycle hooks on flush for each entity',
    }),
  );
}

function rawQuery(seg: Extract<Segment, { kind: 'call' }>): Value | undefined {
  const sql = seg.args[0];
  return sql ? queryValue(makeQuery(ORM, 'execute', seg, { sql, list: true })) : undefined;
}

/** QueryBuilder chains: `em.createQueryBuilder(Book).select(['id']).where(…).limit(10).getResultList()`. */
function builderStep(q: QueryFacts, seg: Segment): Value | undefined {
  if (seg.kind !== 'call' || !seg.name) return undefined;
  const v: Extract<Value, { kind: 'query' }> = { kind: 'query', query: q };
  const next = (over: Partial<QueryFacts>) => withQuery(v, over, seg.node);
  switch (seg.name) {
    case 'select':
    case 'addSelect': {
      const star = seg.args.some((a) => stringLiteral(a) === '*');
      return next(star ? { selectStar: true } : { hasSelection: true });
    }
    case 'where':
    case 'andWhere':
    case 'orWhere': {
      const inKey = findInOperator(seg.args[0], ['$in']);
      return next(inKey !== undefined ? { batched: true, batchedKey: inKey || undefined } : {});
    }
    case 'limit':
      return next({ hasLimit: true });
    case 'offset':
      return next({ hasOffset: true });
    case 'leftJoinAndSelect':
    case 'joinAndSelect':
    case 'innerJoinAndSelect':
      return next({ relations: [...q.relations, stringLiteral(seg.args[0]) ?? 'relation'] });
    case 'getCount':
    case 'count':
      return next({ aggregate: true, list: false });
    case 'getSingleResult':
    case 'getSingleEntity':
      return next({ list: false, hasLimit: true });
    case 'insert':
      return next({ op: 'write', writeKind: 'create', bulk: !isSingleRowArg(seg.args[0]), list: false });
    case 'update':
      return next({ op: 'write', writeKind: 'update', bulk: q.batched, list: false });
    case 'delete':
      return next({ op: 'write', writeKind: 'delete', bulk: q.batched, list: false });
    case 'orderBy':
    case 'groupBy':
    case 'having':
    case 'join':
    case 'leftJoin':
    case 'innerJoin':
    case 'distinct':
    case 'cache':
    case 'withSchema':
    case 'setFlag':
    case 'getResultList':
    case 'getResult':
    case 'getResultAndCount':
    case 'execute':
    case 'then':
    case 'catch':
      return next({});
    default:
      return undefined;
  }
}

/** A property of an entity: a lazy `Collection` or `Reference` when a loading call follows. */
function entityMemberCall(member: Extract<Value, { kind: 'receiver' }>, seg: Segment): Value | undefined {
  if (seg.kind !== 'call' || !seg.name) return undefined;
  const relation = member.entity ?? 'relation';
  switch (seg.name) {
    // A relation's size is bounded by its parent and these calls take no limit: the finding
    // worth having here is the per-item load (n-plus-one), not pagination.
    case 'init':
    case 'loadItems':
      return queryValue(makeQuery(ORM, seg.name, seg, { entity: relation, list: true, hasLimit: true, lazyRelation: true, relations: [relation] }));
    case 'matching':
      return queryValue(makeQuery(ORM, seg.name, seg, { entity: relation, list: true, hasLimit: !!objectProp(asObject(seg.args[0]), 'limit'), lazyRelation: true, relations: [relation] }));
    case 'load':
    case 'loadOrFail':
      return queryValue(makeQuery(ORM, seg.name, seg, { entity: relation, lazyRelation: true, relations: [relation], hasLimit: true }));
    case 'loadCount':
      return queryValue(makeQuery(ORM, seg.name, seg, { entity: relation, lazyRelation: true, aggregate: true, relations: [relation] }));
    default:
      return undefined;
  }
}

export const mikroOrm: OrmAdapter = {
  id: ORM,
  displayName: 'MikroORM',
  ownsModule: (s) => s.startsWith('@mikro-orm/'),

  typeValue(type, typeArgs) {
    const name = type.name.replace(/^.*\./, '');
    if (name === 'EntityManager' || name === 'SqlEntityManager' || name === 'MongoEntityManager') return em();
    if (name === 'EntityRepository' || name === 'SqlEntityRepository' || name === 'MongoEntityRepository') {
      const arg = typeArgs[0];
      return repo(arg && ts.isTypeReferenceNode(arg) && ts.isIdentifier(arg.typeName) ? arg.typeName.text : undefined);
    }
    if (name === 'MikroORM') return { kind: 'receiver', orm: ORM, role: 'orm' };
    return undefined;
  },

  decoratorValue(decorator, args) {
    if (decorator.name === 'InjectRepository') return repo(entityName(args[0]));
    if (decorator.name === 'InjectEntityManager') return em();
    return undefined;
  },

  classValue(cls) {
    const b = cls.base;
    if (b?.kind === 'orm-export' && /^(Sql|Mongo)?EntityRepository$/.test(b.name)) {
      const arg = cls.baseTypeArgs[0];
      return { instance: repo(arg && ts.isTypeReferenceNode(arg) && ts.isIdentifier(arg.typeName) ? arg.typeName.text : undefined) };
    }
    if (b?.kind === 'orm-export' && (b.name === 'EntityManager' || b.name === 'SqlEntityManager')) return { instance: em() };
    // @Entity() class Book { … } (possibly extending BaseEntity): instances are rows.
    if (cls.decorators.some((d) => d.value.name === 'Entity') || (b?.kind === 'orm-export' && b.name === 'BaseEntity')) {
      return { instance: { kind: 'row', orm: ORM, entity: cls.name } };
    }
    return undefined;
  },

  step(value, seg, _ctx: AdapterContext) {
    if (value.kind === 'orm-export') {
      // MikroORM.init(config) / new MikroORM(config)
      if (value.name === 'MikroORM' && ((seg.kind === 'call' && (seg.name === 'init' || seg.name === 'initSync')) || seg.kind === 'new')) return { kind: 'receiver', orm: ORM, role: 'orm' };
      // RequestContext.getEntityManager(): the request-scoped fork.
      if (value.name === 'RequestContext' && seg.kind === 'call' && seg.name === 'getEntityManager') return em();
      return undefined;
    }
    if (value.kind === 'receiver') {
      if (value.role === 'orm') return seg.kind === 'prop' && seg.name === 'em' ? em() : undefined;
      if (value.role === 'connection') return seg.kind === 'call' && seg.name === 'execute' ? rawQuery(seg) : undefined;
      if (value.role === 'entity-member') return entityMemberCall(value, seg);
      if ((value.role === 'em' || value.role === 'repository') && seg.kind === 'call') return managerCall(value, seg);
      return undefined;
    }
    if (value.kind === 'query') {
      if (value.query.builder) return builderStep(value.query, seg);
      return seg.kind === 'call' && (seg.name === 'then' || seg.name === 'catch') ? withQuery(value, {}, seg.node) : undefined;
    }
    if (value.kind === 'row' && seg.kind === 'prop') {
      // `author.books` / `book.author`: only a loading call on it (init, loadItems, load) is a query.
      return { kind: 'receiver', orm: ORM, role: 'entity-member', entity: seg.name };
    }
    return undefined;
  },

  paramValue(callee, seg, argIndex, paramIndex) {
    // em.transactional(async (em) => …) / orm.em.transactional(…)
    if (callee.kind === 'receiver' && callee.role === 'em' && seg.name === 'transactional' && argIndex === 0 && paramIndex === 0) return em();
    return undefined;
  },

  advice: {
    batch(q) {
      if (q.lazyRelation) return `Populate the relation with the parent query (\`{ populate: ['${q.relations[0] ?? 'relation'}'] }\`) or once for all rows with \`em.populate(rows, ['${q.relations[0] ?? 'relation'}'])\``;
      const key = whereKey(q);
      return `Load them for all items with one \`em.find(${q.entity ?? 'Entity'}, { ${key}: { $in: ids } })\` and group the results by \`${key}\` in memory`;
    },
    bulk(q) {
      switch (q.writeKind) {
        case 'create':
        case 'upsert':
          return `\`em.persist()\` each entity in the loop and \`await em.flush()\` once after it (one transaction, batched inserts), or \`em.insertMany(${q.entity ?? 'Entity'}, rows)\``;
        case 'delete':
          return `Delete them with one \`em.nativeDelete(${q.entity ?? 'Entity'}, { id: { $in: ids } })\`, or \`em.remove()\` each and flush once`;
        case 'update':
          return `Update them with one \`em.nativeUpdate(${q.entity ?? 'Entity'}, { id: { $in: ids } }, changes)\` when the change is the same, or change the entities and flush once`;
        default:
          return '`em.persist()` each entity in the loop and `await em.flush()` once after it: MikroORM batches the changes of one flush';
      }
    },
    limit: (_q, pageSize) => `Pass \`{ limit: ${pageSize}, offset }\` in the options (or use \`findByCursor\`)`,
    selection: (_q, fields) => `Load only what is used: \`{ fields: [${fields.map((f) => `'${f}'`).join(', ')}] }\``,
  },

  fixes: {
    bulk(q, loop, ctx) {
      // persistAndFlush per item → persist per item, one flush after the loop.
      if (q.method !== 'persistAndFlush' || !ts.isCallExpression(q.call)) return undefined;
      const callee = unwrap(q.call.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      const end = loop.statement.getEnd();
      const indent = indentAt(ctx.sourceFile.text, loop.statement.getStart());
      return [
        { start: callee.name.getStart(), end: callee.name.getEnd(), newText: 'persist' },
        { start: end, end, newText: `\n${indent}await ${ctx.text(callee.expression)}.flush();` },
      ];
    },
    selection(q, fields, ctx) {
      if (!ts.isCallExpression(q.call) || q.builder || q.sql || fields.length === 0 || !METHODS[q.method]) return undefined;
      const list = `fields: [${fields.map((f) => `'${f}'`).join(', ')}]`;
      if (q.options) return [insertProperty(ctx.sourceFile.text, q.options, list)];
      const args = q.call.arguments;
      const emForm = args.length > 0 && (entityName(args[0]) === q.entity);
      // em.findOne(Author, where) / repo.findOne(where): the options object comes next.
      if (args.length !== (emForm ? 2 : 1)) return undefined;
      const last = args[args.length - 1]!;
      return [{ start: last.getEnd(), end: last.getEnd(), newText: `, { ${list} }` }];
    },
    limit(q, pageSize, ctx) {
      if (q.builder) {
        const end = q.node.getEnd();
        return [{ start: end, end, newText: `.limit(${pageSize})` }];
      }
      if (!ts.isCallExpression(q.call) || (q.method !== 'find' && q.method !== 'findAll')) return undefined;
      if (q.options) return [insertProperty(ctx.sourceFile.text, q.options, `limit: ${pageSize}`)];
      // No options object yet: add one after the last argument (entity, where) or as the only one.
      const args = q.call.arguments;
      const emForm = args.length > 0 && entityName(args[0]) === q.entity && ts.isIdentifier(unwrap(args[0]!)) || (args.length > 0 && stringLiteral(args[0]) === q.entity);
      const expected = (q.method === 'find' ? 1 : 0) + (emForm ? 1 : 0);
      if (args.length !== expected) return undefined;
      if (args.length === 0) {
        const open = ctx.sourceFile.text.indexOf('(', q.call.expression.getEnd());
        return [{ start: open + 1, end: open + 1, newText: `{ limit: ${pageSize} }` }];
      }
      const last = args[args.length - 1]!;
      return [{ start: last.getEnd(), end: last.getEnd(), newText: `, { limit: ${pageSize} }` }];
    },
  },
};

/** The filtered field of an `em.find(Entity, where)` / `repo.find(where)` call (`id` for a primary key). */
function whereKey(q: QueryFacts): string {
  if (!ts.isCallExpression(q.call)) return 'id';
  const args = q.call.arguments;
  // em.find(Book, where) names the entity first; repo.find(where) does not.
  const where = args.length >= 2 && entityName(args[0]) === q.entity ? args[1] : args[0];
  return objectKey(where) ?? 'id';
}
