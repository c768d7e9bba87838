// Mongoose: models from `mongoose.model('User', schema)` / `model(…)` / `models.User ||
// model(…)` / `connection.model(…)` / Typegoose `getModelForClass(User)`, `Model<T>`-typed values
// and NestJS `@InjectModel(User.name)`.
// `Model.find()` and friends return a Query builder (`.select`, `.limit`, `.skip`, `.lean`,
// `.populate`); documents (`new Model(doc)`, results of `findOne`) have `save`, `deleteOne`
// and `populate`, each a round trip.
import { ts } from 'ts-morph';
import type { OrmAdapter, QueryFacts, Segment, Value } from './types';
import { makeQuery, queryValue, withQuery, asObject, objectProp, findInOperator, stringLiteral, entityName, keysOf, unwrap } from './util';
import { isSingleRowArg } from './row-args';
import { objectKey } from './chain-calls';

const ORM = 'mongoose' as const;
const MODULES = new Set(['mongoose', '@nestjs/mongoose', '@typegoose/typegoose']);

const model = (entity: string | undefined): Value => ({ kind: 'receiver', orm: ORM, role: 'model', entity });

type Read = { list: boolean; unique?: boolean; projectionArg?: number; optionsArg?: number; aggregate?: boolean };
const READS: Record<string, Read> = {
  find: { list: true, projectionArg: 1, optionsArg: 2 },
  where: { list: true },
  findOne: { list: false, projectionArg: 1, optionsArg: 2 },
  findById: { list: false, unique: true, projectionArg: 1, optionsArg: 2 },
  exists: { list: false, aggregate: true },
  countDocuments: { list: false, aggregate: true },
  estimatedDocumentCount: { list: false, aggregate: true },
  count: { list: false, aggregate: true },
  // distinct() returns one value per distinct key, already reduced by the database.
  distinct: { list: false, aggregate: true },
};
type Write = { kind: NonNullable<QueryFacts['writeKind']>; bulk: boolean | 'arg' };
const WRITES: Record<string, Write> = {
  create: { kind: 'create', bulk: 'arg' },
  insertMany: { kind: 'create', bulk: true },
  bulkWrite: { kind: 'update', bulk: true },
  bulkSave: { kind: 'save', bulk: true },
  updateOne: { kind: 'update', bulk: false },
  replaceOne: { kind: 'update', bulk: false },
  findOneAndUpdate: { kind: 'update', bulk: false },
  findByIdAndUpdate: { kind: 'update', bulk: false },
  findOneAndReplace: { kind: 'update', bulk: false },
  updateMany: { kind: 'update', bulk: true },
  deleteOne: { kind: 'delete', bulk: false },
  findOneAndDelete: { kind: 'delete', bulk: false },
  findByIdAndDelete: { kind: 'delete', bulk: false },
  findOneAndRemove: { kind: 'delete', bulk: false },
  findByIdAndRemove: { kind: 'delete', bulk: false },
  deleteMany: { kind: 'delete', bulk: true },
};
/** Query methods that narrow, sort or shape results without changing the rules' facts. */
const PASSTHROUGH = new Set([
  'sort', 'lean', 'exec', 'then', 'catch', 'finally', 'where', 'equals', 'gt', 'gte', 'lt', 'lte', 'ne', 'nin', 'regex', 'or',
  'and', 'nor', 'exists', 'elemMatch', 'size', 'all', 'mod', 'near', 'within', 'hint', 'collation', 'session', 'setOptions',
  'read', 'maxTimeMS', 'comment', 'orFail', 'batchSize', 'allowDiskUse', 'populate', 'transform', 'setQuery', 'slice',
  'sort', 'tailable', 'j', 'w', 'wtimeout', 'writeConcern', 'readConcern', 'box', 'circle', 'polygon', 'geometry', 'center',
]);
const DOC_METHODS_NOT_QUERIES = new Set(['toObject', 'toJSON', 'get', 'set', 'markModified', 'isModified', 'validateSync', 'populated', 'depopulate', 'equals', 'inspect', 'isNew', 'ownerDocument']);
const SUFFIXES = /(Document|Doc|Model|Schema)$/;

function entityFromType(t: ts.TypeNode | undefined): string | undefined {
  if (!t || !ts.isTypeReferenceNode(t) || !ts.isIdentifier(t.typeName)) return undefined;
  const n = t.typeName.text.replace(/^I(?=[A-Z])/, '');
  return n.replace(SUFFIXES, '') || n;
}

/** `{ _id: id }` / `{ _id }`: one document. */
function byId(filter: ts.Expression | undefined): boolean {
  const keys = keysOf(asObject(filter));
  return keys.length === 1 && keys[0] === '_id' && findInOperator(filter, ['$in']) === undefined;
}

function projected(arg: ts.Expression | undefined): boolean {
  if (!arg) return false;
  const u = unwrap(arg);
  return u.kind !== ts.SyntaxKind.NullKeyword && u.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isIdentifier(u) && u.text === 'undefined');
}

function relationsOf(arg: ts.Expression | undefined): string[] {
  const s = stringLiteral(arg);
  if (s) return s.split(/\s+/).filter(Boolean);
  const path = stringLiteral(objectProp(asObject(arg), 'path'));
  if (path) return [path];
  const u = arg && unwrap(arg);
  if (u && ts.isArrayLiteralExpression(u)) return u.elements.flatMap((e) => relationsOf(e));
  return [];
}

/** An aggregation pipeline literal: `$limit`, `$group`/`$count`, `$project` are what matter. */
function pipelineFacts(arg: ts.Expression | undefined): Partial<QueryFacts> {
  const u = arg && unwrap(arg);
  if (!u || !ts.isArrayLiteralExpression(u)) return { list: true, hasLimit: true }; // unknown pipeline: stay silent
  const stages = u.elements.flatMap((e) => keysOf(asObject(e)));
  const aggregate = stages.includes('$count') || (stages.includes('$group') && !stages.includes('$unwind'));
  return {
    list: !aggregate,
    aggregate,
    hasLimit: stages.includes('$limit') || aggregate,
    hasOffset: stages.includes('$skip'),
    hasSelection: stages.includes('$project') || stages.includes('$group'),
    relations: stages.includes('$lookup') ? ['$lookup'] : [],
  };
}

function modelCall(entity: string | undefined, seg: Extract<Segment, { kind: 'call' }>): Value | undefined {
  const name = seg.name;
  if (!name) return undefined;
  const read = READS[name];
  if (read) {
    const filter = seg.args[0];
    const inKey = findInOperator(filter, ['$in', '=array']);
    const options = asObject(read.optionsArg !== undefined ? seg.args[read.optionsArg] : undefined);
    const unique = !!read.unique || byId(filter);
    return queryValue(
      makeQuery(ORM, name, seg, {
        entity,
        builder: true,
        selectionSupported: !read.aggregate,
        list: read.list && !byId(filter),
        unique,
        aggregate: !!read.aggregate,
        hasLimit: !read.list || !!objectProp(options, 'limit'),
        hasOffset: !!objectProp(options, 'skip'),
        hasSelection: read.projectionArg !== undefined && projected(seg.args[read.projectionArg]),
        relations: relationsOf(objectProp(options, 'populate')),
        batched: inKey !== undefined,
        batchedKey: inKey || undefined,
        options,
      }),
    );
  }
  // mongoose-paginate-v2: `Model.paginate(filter, { limit, page })` always pages (default 10).
  if (name === 'paginate') {
    const options = asObject(seg.args[1]);
    return queryValue(makeQuery(ORM, name, seg, { entity, list: true, hasLimit: true, hasOffset: true, selectionSupported: true, hasSelection: !!objectProp(options, 'select') || !!objectProp(options, 'projection'), relations: relationsOf(objectProp(options, 'populate')) }));
  }
  if (name === 'aggregate') return queryValue(makeQuery(ORM, name, seg, { entity, builder: true, selectionSupported: true, ...pipelineFacts(seg.args[0]) }));
  // Model.populate(docs, 'author'): one query per path for all given documents.
  if (name === 'populate') return queryValue(makeQuery(ORM, name, seg, { entity, list: true, relations: relationsOf(seg.args[1]) }));
  const w = WRITES[name];
  if (w) {
    const inKey = findInOperator(seg.args[0], ['$in', '=array']);
    return queryValue(
      makeQuery(ORM, name, seg, {
        entity,
        op: 'write',
        writeKind: w.kind,
        bulk: w.bulk === 'arg' ? !isSingleRowArg(seg.args[0]) : w.bulk || inKey !== undefined,
        batched: inKey !== undefined,
        hooksNote: name === 'create' ? 'Mongoose runs `save` middleware and validation for each document; `insertMany` runs `insertMany` hooks instead' : undefined,
      }),
    );
  }
  return undefined;
}

function queryStep(v: Extract<Value, { kind: 'query' }>, seg: Segment): Value | undefined {
  if (seg.kind !== 'call' || !seg.name) return undefined;
  const q = v.query;
  const next = (over: Partial<QueryFacts>) => withQuery(v, over, seg.node);
  switch (seg.name) {
    case 'select':
    case 'projection':
      return next({ hasSelection: seg.args.length > 0 });
    case 'limit':
      return next({ hasLimit: true });
    case 'skip':
      return next({ hasOffset: true });
    // A cursor streams with bounded memory: that is the fix for "load everything", not the problem.
    case 'cursor':
    case 'eachAsync':
      return next({ hasLimit: true });
    case 'populate':
      return next({ relations: [...q.relations, ...relationsOf(seg.args[0])] });
    case 'in':
      return next({ batched: true, batchedKey: stringLiteral(seg.args[0]) });
    case 'countDocuments':
    case 'count':
    case 'estimatedDocumentCount':
      return next({ aggregate: true, list: false, hasLimit: true, selectionSupported: false });
    case 'findOne':
      return next({ list: false, hasLimit: true });
    case 'explain':
      return undefined;
  }
  if (PASSTHROUGH.has(seg.name)) return next({});
  // Query#updateMany(), Query#deleteOne() …: the query turns into a write.
  const w = WRITES[seg.name];
  if (w) return next({ op: 'write', writeKind: w.kind, bulk: w.bulk === true || q.batched, list: false });
  return undefined;
}

/** A document: `doc.save()`, `doc.deleteOne()`, `doc.populate('author')`. */
function documentStep(entity: string | undefined, seg: Segment): Value | undefined {
  if (seg.kind !== 'call' || !seg.name || DOC_METHODS_NOT_QUERIES.has(seg.name)) return undefined;
  switch (seg.name) {
    case 'save':
      return queryValue(makeQuery(ORM, 'save', seg, { entity, op: 'write', writeKind: 'save', hooksNote: 'Mongoose runs `save` middleware and validation for each document' }));
    case 'deleteOne':
    case 'remove':
      return queryValue(makeQuery(ORM, seg.name, seg, { entity, op: 'write', writeKind: 'delete' }));
    case 'updateOne':
    case 'replaceOne':
      return queryValue(makeQuery(ORM, seg.name, seg, { entity, op: 'write', writeKind: 'update' }));
    case 'populate':
      // Bounded by the document's own refs; the per-document round trip is what costs.
      return queryValue(makeQuery(ORM, 'populate', seg, { entity, list: true, hasLimit: true, lazyRelation: true, relations: relationsOf(seg.args[0]) }));
    default:
      return undefined;
  }
}

export const mongoose: OrmAdapter = {
  id: ORM,
  displayName: 'Mongoose',
  ownsModule: (s) => MODULES.has(s),

  typeValue(type, typeArgs) {
    const name = type.name.replace(/^(default|mongoose)\./, '');
    if (name === 'Model' || name === 'PaginateModel' || name === 'AggregatePaginateModel') return model(entityFromType(typeArgs[0]));
    if (name === 'Connection') return { kind: 'receiver', orm: ORM, role: 'connection' };
    if (name === 'HydratedDocument' || name === 'Document') return { kind: 'row', orm: ORM, entity: entityFromType(typeArgs[0]) };
    return undefined;
  },

  decoratorValue(decorator, args) {
    // @InjectModel(User.name) private readonly users: Model<UserDocument>
    if (decorator.name === 'InjectModel') return model(entityName(args[0]));
    if (decorator.name === 'InjectConnection') return { kind: 'receiver', orm: ORM, role: 'connection' };
    return undefined;
  },

  step(value, seg) {
    if (value.kind === 'orm-export') {
      // Typegoose: getModelForClass(User) compiles a Mongoose model from a decorated class.
      if (value.module === '@typegoose/typegoose') {
        return value.name === 'getModelForClass' && seg.kind === 'call' && seg.name === undefined ? model(entityName(seg.args[0])) : undefined;
      }
      if (value.module !== 'mongoose') return undefined;
      const name = value.name;
      // import { model } from 'mongoose'; model('User', schema)
      if (name === 'model' && seg.kind === 'call' && seg.name === undefined) return model(entityName(seg.args[0]));
      if (name === 'models' && seg.kind === 'prop') return model(seg.name);
      if (name === 'connection' && seg.kind === 'call' && seg.name === 'model') return model(entityName(seg.args[0]));
      if (name === 'createConnection' && seg.kind === 'call' && seg.name === undefined) return { kind: 'receiver', orm: ORM, role: 'connection' };
      if (name === 'default' || name === '*') {
        if (seg.kind === 'call' && seg.name === 'model') return model(entityName(seg.args[0]));
        if (seg.kind === 'call' && seg.name === 'createConnection') return { kind: 'receiver', orm: ORM, role: 'connection' };
        if (seg.kind === 'prop' && (seg.name === 'models' || seg.name === 'connection' || seg.name === 'model' || seg.name === 'createConnection')) return { ...value, name: seg.name };
      }
      return undefined;
    }
    if (value.kind === 'receiver') {
      if (value.role === 'connection') {
        if (seg.kind === 'call' && seg.name === 'model') return model(entityName(seg.args[0]));
        if (seg.kind === 'prop' && seg.name === 'models') return { kind: 'receiver', orm: ORM, role: 'models' };
        return undefined;
      }
      if (value.role === 'models') return seg.kind === 'prop' ? model(seg.name) : undefined;
      if (value.role === 'model') {
        if (seg.kind === 'new') return { kind: 'row', orm: ORM, entity: value.entity };
        if (seg.kind === 'call' && seg.name === 'hydrate') return { kind: 'row', orm: ORM, entity: value.entity };
        return seg.kind === 'call' ? modelCall(value.entity, seg) : undefined;
      }
      return undefined;
    }
    if (value.kind === 'query') return queryStep(value, seg);
    if (value.kind === 'row') return documentStep(value.entity, seg);
    return undefined;
  },

  advice: {
    batch(q) {
      if (q.lazyRelation || q.relations.length) return `Populate with the parent query (\`.populate('${q.relations[0] ?? 'path'}')\`) or once for all documents with \`${q.entity ?? 'Model'}.populate(docs, '${q.relations[0] ?? 'path'}')\``;
      const key = ts.isCallExpression(q.call) && q.method !== 'findById' ? (objectKey(q.call.arguments[0]) ?? '_id') : '_id';
      return `Load them for all items with one \`${q.entity ?? 'Model'}.find({ ${key}: { $in: ids } })\` and group the documents by \`${key}\` in memory`;
    },
    bulk(q) {
      const m = q.entity ?? 'Model';
      switch (q.writeKind) {
        case 'create':
        case 'save':
          return `Insert them with one \`${m}.insertMany(docs)\` (or \`${m}.bulkSave(docs)\` for changed documents)`;
        case 'delete':
          return `Delete them with one \`${m}.deleteMany({ _id: { $in: ids } })\``;
        default:
          return `Send them in one \`${m}.bulkWrite([...])\` (or \`updateMany\` when the change is the same)`;
      }
    },
    limit: (_q, pageSize) => `Add \`.limit(${pageSize})\` and page with \`.skip()\` or a range on \`_id\``,
    selection: (_q, fields) => `Project only what is used: \`.select('${fields.map((f) => (f === 'id' ? '_id' : f)).join(' ') || '_id'}')\``,
  },

  fixes: {
    bulk(q, loop, ctx) {
      // for (const d of docs) await Model.create({...}) → await Model.insertMany(docs.map((d) => ({...})))
      if (q.method !== 'create' || !loop.bodyIsOnlyTheWrite || !ts.isCallExpression(q.call) || q.call.arguments.length !== 1) return undefined;
      const callee = unwrap(q.call.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      const arg = q.call.arguments[0]!;
      const newText = `await ${ctx.text(callee.expression)}.insertMany(${ctx.text(loop.items)}.map((${loop.itemName}) => (${ctx.text(arg)})));`;
      return [{ start: loop.statement.getStart(), end: loop.statement.getEnd(), newText }];
    },
    limit(q, pageSize) {
      if (!q.builder || q.method === 'aggregate') return undefined;
      const end = q.node.getEnd();
      return [{ start: end, end, newText: `.limit(${pageSize})` }];
    },
    selection(q, fields) {
      if (!q.builder || q.method === 'aggregate' || fields.length === 0) return undefined;
      const end = q.node.getEnd();
      return [{ start: end, end, newText: `.select('${fields.map((f) => (f === 'id' ? '_id' : f)).join(' ')}')` }];
    },
  },
};
