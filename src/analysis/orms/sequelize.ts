// Sequelize (and sequelize-typescript): `class User extends Model`, `sequelize.define('User')`,
// static finders, instance writes, association getters (`user.getPosts()`), `sequelize.query`.
import { ts } from 'ts-morph';
import type { OrmAdapter, QueryFacts, Segment, Value } from './types';
import { asObject, findInOperator, hasKeyOrSpread, insertProperty, keysOf, makeQuery, objectProp, queryValue, stringLiteral, unwrap } from './util';
import { rawQuery } from './raw-sql';
import { addOption } from './prisma';

const ORM = 'sequelize' as const;
const IN_OPS = ['[in]', '$in', '=array'];

function model(entity?: string): Value {
  return { kind: 'receiver', orm: ORM, role: 'model', entity };
}

function includes(e: ts.Expression | undefined): string[] {
  const u = e && unwrap(e);
  if (!u) return [];
  const items = ts.isArrayLiteralExpression(u) ? u.elements : [u];
  return items.map((i) => {
    const o = asObject(i);
    const as = stringLiteral(objectProp(o, 'as'));
    if (as) return as;
    const m = o ? objectProp(o, 'model') : i;
    return m && ts.isIdentifier(unwrap(m)) ? (unwrap(m) as ts.Identifier).text : '?';
  });
}

function modelCall(entity: string | undefined, method: string, seg: Extract<Segment, { kind: 'call' }>): Value | undefined {
  const options = asObject(method === 'update' ? seg.args[1] : seg.args[0]);
  const where = objectProp(options, 'where');
  const inKey = findInOperator(where, IN_OPS);
  const base: Partial<QueryFacts> = {
    entity,
    options,
    selectionSupported: true,
    hasSelection: hasKeyOrSpread(options, 'attributes'),
    relations: includes(objectProp(options, 'include')),
    batched: inKey !== undefined,
    batchedKey: inKey || undefined,
  };
  switch (method) {
    case 'findAll':
    case 'findAndCountAll':
      return queryValue(makeQuery(ORM, method, seg, { ...base, list: true, hasLimit: hasKeyOrSpread(options, 'limit'), hasOffset: !!objectProp(options, 'offset') }));
    case 'findOne':
      return queryValue(makeQuery(ORM, method, seg, { ...base, hasLimit: true, unique: keysOf(asObject(where)).join() === 'id' }));
    case 'findByPk':
      return queryValue(makeQuery(ORM, method, seg, { ...base, options: asObject(seg.args[1]), hasSelection: hasKeyOrSpread(asObject(seg.args[1]), 'attributes'), hasLimit: true, unique: true }));
    case 'count':
    case 'max':
    case 'min':
    case 'sum':
      return queryValue(makeQuery(ORM, method, seg, { ...base, aggregate: true, hasLimit: true, selectionSupported: false }));
    case 'findOrCreate':
    case 'create':
    case 'upsert':
      return queryValue(makeQuery(ORM, method, seg, { entity, op: 'write', writeKind: method === 'upsert' ? 'upsert' : 'create', bulk: false, hooksNote: 'bulkCreate runs per-row hooks only with `individualHooks: true`' }));
    case 'bulkCreate':
      return queryValue(makeQuery(ORM, method, seg, { entity, op: 'write', writeKind: 'create', bulk: true }));
    case 'update':
    case 'destroy':
    case 'increment':
    case 'decrement':
    case 'restore': {
      // Static update/destroy take a where: one statement for every matching row.
      const w = objectProp(asObject(method === 'update' ? seg.args[1] : seg.args[0]), 'where');
      const single = keysOf(asObject(w)).join() === 'id' && inKey === undefined;
      return queryValue(makeQuery(ORM, method, seg, { entity, op: 'write', writeKind: method === 'destroy' ? 'delete' : 'update', bulk: !single }));
    }
    default:
      return undefined;
  }
}

/** Calls on one model instance: writes, and association accessors generated per relation. */
function rowCall(entity: string | undefined, method: string, seg: Extract<Segment, { kind: 'call' }>): Value | undefined {
  if (method === 'save' || method === 'update' || method === 'destroy' || method === 'increment' || method === 'decrement' || method === 'reload' || method === 'restore') {
    if (method === 'reload') return queryValue(makeQuery(ORM, method, seg, { entity, hasLimit: true, unique: true }));
    return queryValue(makeQuery(ORM, method, seg, { entity, op: 'write', writeKind: method === 'destroy' ? 'delete' : 'update', bulk: false, hooksNote: 'per-row hooks run only with `individualHooks: true` on the bulk form' }));
  }
  const m = /^(get|count|has|set|add|remove|create)([A-Z]\w*)$/.exec(method);
  if (!m) return undefined;
  const [, verb, rel] = m as unknown as [string, string, string];
  const relation = rel.charAt(0).toLowerCase() + rel.slice(1);
  const options = asObject(seg.args[0]);
  if (verb === 'get') {
    return queryValue(makeQuery(ORM, method, seg, { entity: relation, lazyRelation: true, list: /s$/.test(rel), relations: [relation], options, hasLimit: hasKeyOrSpread(options, 'limit'), hasSelection: hasKeyOrSpread(options, 'attributes'), selectionSupported: true }));
  }
  if (verb === 'count' || verb === 'has') return queryValue(makeQuery(ORM, method, seg, { entity: relation, lazyRelation: true, aggregate: true, hasLimit: true }));
  return queryValue(makeQuery(ORM, method, seg, { entity: relation, op: 'write', writeKind: verb === 'remove' ? 'delete' : 'create', bulk: false }));
}

export const sequelize: OrmAdapter = {
  id: ORM,
  displayName: 'Sequelize',
  ownsModule: (s) => s === 'sequelize' || s === 'sequelize-typescript' || s.startsWith('@sequelize/'),

  typeValue(t) {
    if (t.name === 'Sequelize') return { kind: 'receiver', orm: ORM, role: 'sequelize' };
    return undefined;
  },

  classValue(cls) {
    if (cls.base?.kind === 'orm-export' && cls.base.orm === ORM && cls.base.name === 'Model') {
      return { static: model(cls.name), instance: { kind: 'row', orm: ORM, entity: cls.name } };
    }
    return undefined;
  },

  step(value, seg) {
    if (value.kind === 'orm-export') {
      if (seg.kind === 'new' && value.name === 'Sequelize') return { kind: 'receiver', orm: ORM, role: 'sequelize' };
      if ((value.name === 'default' || value.name === '*') && seg.kind === 'prop') return { ...value, name: seg.name };
      return undefined;
    }
    if (value.kind === 'receiver' && value.role === 'sequelize') {
      if (seg.kind === 'call' && seg.name === 'define') return model(stringLiteral(seg.args[0]));
      if (seg.kind === 'call' && seg.name === 'query') return rawQuery(ORM, 'query', seg, seg.args[0]);
      if (seg.kind === 'prop' && seg.name === 'models') return { kind: 'receiver', orm: ORM, role: 'models' };
      return undefined;
    }
    if (value.kind === 'receiver' && value.role === 'models' && seg.kind === 'prop') return model(seg.name);
    if (value.kind === 'receiver' && value.role === 'model' && seg.kind === 'call' && seg.name) return modelCall(value.entity, seg.name, seg);
    if (value.kind === 'row' && seg.kind === 'call' && seg.name) return rowCall(value.entity, seg.name, seg);
    return undefined;
  },

  advice: {
    batch(q) {
      if (q.lazyRelation) return `Eager-load the association with the parent query (\`include: [{ association: '${q.entity}' }]\`) instead of calling \`${q.method}()\` per row`;
      const key = keysOf(asObject(objectProp(q.options, 'where')))[0] ?? 'id';
      return `Load them for all items with one \`findAll({ where: { ${key}: { [Op.in]: ids } } })\` (or \`include\` on the parent query) and match them in memory`;
    },
    bulk(q) {
      if (q.writeKind === 'create' || q.writeKind === 'upsert') return `Insert them in one statement: \`${q.entity ?? 'Model'}.bulkCreate(rows${q.writeKind === 'upsert' ? ', { updateOnDuplicate: [...] }' : ''})\``;
      if (q.writeKind === 'delete') return `Delete them in one statement: \`${q.entity ?? 'Model'}.destroy({ where: { id: ids } })\``;
      return `Update them in one statement: \`${q.entity ?? 'Model'}.update(changes, { where: { id: ids } })\``;
    },
    limit: (_q, n) => `Add \`limit: ${n}\` (and \`offset\` or a keyset for pages)`,
    selection: (_q, fields) => `Load only what is used: \`attributes: [${fields.map((f) => `'${f}'`).join(', ')}]\``,
  },

  fixes: {
    limit(q, n, ctx) {
      if (!ts.isCallExpression(q.call) || q.lazyRelation) return undefined;
      return addOption(q.call, q.options, `limit: ${n}`, ctx.sourceFile.text);
    },
    selection(q, fields, ctx) {
      if (!ts.isCallExpression(q.call) || fields.length === 0) return undefined;
      const attr = `attributes: [${fields.map((f) => `'${f}'`).join(', ')}]`;
      if (q.options) return [insertProperty(ctx.sourceFile.text, q.options, attr)];
      return q.method === 'findByPk' ? undefined : addOption(q.call, undefined, attr, ctx.sourceFile.text);
    },
    bulk(q, loop, ctx) {
      if (q.writeKind !== 'create' || q.method !== 'create' || !loop.bodyIsOnlyTheWrite || !ts.isCallExpression(q.call) || q.call.arguments.length !== 1) return undefined;
      const callee = q.call.expression;
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      const text = ctx.sourceFile.text;
      const recv = text.slice(callee.expression.getStart(), callee.expression.getEnd());
      const arg = unwrap(q.call.arguments[0]!);
      const items = text.slice(loop.items.getStart(), loop.items.getEnd());
      const newText = `await ${recv}.bulkCreate(${items}.map((${loop.itemName}) => (${text.slice(arg.getStart(), arg.getEnd())})));`;
      return [{ start: loop.statement.getStart(), end: loop.statement.getEnd(), newText }];
    },
  },
};
