// Model layers built on Knex: Objection (`class User extends Model`, `User.query()…`,
// `row.$relatedQuery('pets')`) and Bookshelf (`bookshelf.model('User', {...})`,
// `User.where(…).fetchAll()`, `new User({ id }).fetch()`). Their SQL is Knex's, so findings
// report `knex`; this file only knows what each model API call means.
import { ts } from 'ts-morph';
import type { AdapterContext, ClassInput, QueryFacts, Segment, Value } from './types';
import { makeQuery, queryValue, withQuery, stringLiteral, asObject, objectProp, keysOf, entityName } from './util';
import { isSingleRowArg } from './row-args';

const ORM = 'knex' as const;

// ---------------------------------------------------------------- Objection

export function objectionClassValue(cls: ClassInput): { static?: Value; instance?: Value } | undefined {
  const b = cls.base;
  if (b?.kind === 'orm-export' && b.module === 'objection' && b.name === 'Model') {
    return { static: { kind: 'receiver', orm: ORM, role: 'objection-model', entity: cls.name }, instance: { kind: 'row', orm: ORM, entity: cls.name } };
  }
  return undefined;
}

export function isObjectionValue(v: Value): boolean {
  return (v.kind === 'receiver' && v.role === 'objection-model') || (v.kind === 'row' && v.orm === ORM) || (v.kind === 'orm-export' && v.module === 'objection');
}

function relationNames(arg: ts.Expression | undefined): string[] {
  const s = stringLiteral(arg);
  if (s) return s.replace(/[[\]]/g, ',').split(/[,.\s]+/).filter(Boolean);
  return keysOf(asObject(arg));
}

export function objectionStep(value: Value, seg: Segment, _ctx: AdapterContext): Value | undefined {
  if (seg.kind !== 'call' || !seg.name) return undefined;
  const builder = { builder: true, selectionSupported: true };
  if (value.kind === 'receiver' && value.role === 'objection-model') {
    const entity = value.entity;
    if (seg.name === 'query') return queryValue(makeQuery(ORM, 'query', seg, { ...builder, entity, list: true }));
    if (seg.name === 'relatedQuery') return queryValue(makeQuery(ORM, 'relatedQuery', seg, { ...builder, entity, list: true, relations: relationNames(seg.args[0]) }));
    // Model.fetchGraph(rows, 'pets') loads the relation for all given rows in one query per relation.
    if (seg.name === 'fetchGraph') return queryValue(makeQuery(ORM, 'fetchGraph', seg, { entity, list: true, relations: relationNames(seg.args[1]), batched: true }));
    return undefined;
  }
  if (value.kind === 'row') {
    if (seg.name === '$query') return queryValue(makeQuery(ORM, '$query', seg, { ...builder, entity: value.entity, unique: true, hasLimit: true }));
    if (seg.name === '$relatedQuery') {
      return queryValue(makeQuery(ORM, '$relatedQuery', seg, { ...builder, entity: stringLiteral(seg.args[0]), list: true, lazyRelation: true, relations: relationNames(seg.args[0]) }));
    }
    if (seg.name === '$fetchGraph' || seg.name === '$loadRelated') {
      return queryValue(makeQuery(ORM, seg.name, seg, { entity: value.entity, list: true, hasLimit: true, lazyRelation: true, relations: relationNames(seg.args[0]) }));
    }
    // Rows of a Bookshelf collection are model instances too.
    return bookshelfStep({ kind: 'receiver', orm: ORM, role: 'bookshelf-instance', entity: value.entity }, seg, _ctx);
  }
  return undefined;
}

/** Objection's builder methods on top of Knex's (called when Knex's table does not know the method). */
export function objectionBuilderStep(q: QueryFacts, seg: Segment): Value | undefined {
  if (seg.kind !== 'call' || !seg.name) return undefined;
  const v: Extract<Value, { kind: 'query' }> = { kind: 'query', query: q };
  const next = (over: Partial<QueryFacts>) => withQuery(v, over, seg.node);
  switch (seg.name) {
    case 'findById':
      return next({ unique: true, list: false, hasLimit: true, method: 'findById' });
    case 'findByIds':
      return next({ batched: true, batchedKey: 'id', method: 'findByIds' });
    case 'findOne':
      return next({ list: false, hasLimit: true, method: 'findOne' });
    case 'withGraphFetched':
    case 'withGraphJoined':
    case 'eager':
      return next({ relations: [...q.relations, ...relationNames(seg.args[0])] });
    case 'for':
      // relatedQuery('pets').for(ids): one query for all owners.
      return next(isSingleRowArg(seg.args[0]) ? {} : { batched: true });
    case 'page':
      return next({ hasLimit: true, hasOffset: true });
    case 'range':
      return next({ hasLimit: true });
    case 'resultSize':
      return next({ aggregate: true, list: false });
    case 'insertGraph':
    case 'insertAndFetch':
    case 'insertGraphAndFetch':
      return next({ op: 'write', writeKind: 'create', bulk: !isSingleRowArg(seg.args[0]), list: false, method: seg.name });
    case 'patch':
    case 'patchAndFetchById':
    case 'updateAndFetchById':
    case 'patchAndFetch':
    case 'updateAndFetch':
      return next({ op: 'write', writeKind: 'update', bulk: q.batched, list: false, method: seg.name });
    case 'deleteById':
      return next({ op: 'write', writeKind: 'delete', bulk: false, list: false, method: seg.name });
    case 'upsertGraph':
    case 'upsertGraphAndFetch':
      return next({ op: 'write', writeKind: 'upsert', bulk: !isSingleRowArg(seg.args[0]), list: false, method: seg.name });
    case 'throwIfNotFound':
    case 'joinRelated':
    case 'leftJoinRelated':
    case 'innerJoinRelated':
    case 'modifiers':
    case 'context':
    case 'allowGraph':
    case 'skipUndefined':
    case 'castTo':
    case 'returning':
      return next({});
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- Bookshelf

export function isBookshelfValue(v: Value): boolean {
  return (v.kind === 'orm-export' && v.module === 'bookshelf') || (v.kind === 'receiver' && v.role.startsWith('bookshelf'));
}

interface BookshelfState {
  unique?: boolean;
}

function bsModel(entity: string | undefined, data?: BookshelfState): Value {
  return { kind: 'receiver', orm: ORM, role: 'bookshelf-model', entity, data };
}

function columnsOf(opts: ts.Expression | undefined): boolean {
  return !!objectProp(asObject(opts), 'columns');
}

function relatedOf(opts: ts.Expression | undefined): string[] {
  const w = objectProp(asObject(opts), 'withRelated');
  if (!w) return [];
  if (ts.isArrayLiteralExpression(w)) return w.elements.map((e) => stringLiteral(e) ?? '').filter(Boolean);
  return relationNames(w);
}

export function bookshelfStep(value: Value, seg: Segment, _ctx: AdapterContext): Value | undefined {
  if (value.kind === 'orm-export') {
    // Bookshelf(knex) / require('bookshelf')(knex)
    return seg.kind === 'call' && seg.name === undefined ? { kind: 'receiver', orm: ORM, role: 'bookshelf' } : undefined;
  }
  if (value.kind !== 'receiver') return undefined;
  const entity = value.entity;
  if (value.role === 'bookshelf') {
    if (seg.kind === 'call' && seg.name === 'model') return bsModel(entityName(seg.args[0]) ?? stringLiteral(objectProp(asObject(seg.args[1]), 'tableName')));
    if (seg.kind === 'prop' && seg.name === 'Model') return { kind: 'receiver', orm: ORM, role: 'bookshelf-base' };
    return undefined;
  }
  if (value.role === 'bookshelf-base') {
    return seg.kind === 'call' && seg.name === 'extend' ? bsModel(stringLiteral(objectProp(asObject(seg.args[0]), 'tableName'))) : undefined;
  }
  if (value.role === 'bookshelf-model') {
    if (seg.kind === 'new') return instance(entity, seg.args[0]);
    if (seg.kind !== 'call') return undefined;
    const state = (value.data ?? {}) as BookshelfState;
    const base = { entity, selectionSupported: true };
    switch (seg.name) {
      case 'forge':
        return instance(entity, seg.args[0]);
      case 'where':
      case 'query':
      case 'orderBy':
        return bsModel(entity, { unique: state.unique || (seg.name === 'where' && keysOf(asObject(seg.args[0])).includes('id')) });
      case 'fetchAll':
        return queryValue(makeQuery(ORM, 'fetchAll', seg, { ...base, list: !state.unique, unique: !!state.unique, hasSelection: columnsOf(seg.args[0]), relations: relatedOf(seg.args[0]) }));
      case 'fetch':
        return queryValue(makeQuery(ORM, 'fetch', seg, { ...base, hasLimit: true, unique: !!state.unique, hasSelection: columnsOf(seg.args[0]), relations: relatedOf(seg.args[0]) }));
      case 'fetchPage':
        return queryValue(makeQuery(ORM, 'fetchPage', seg, { ...base, list: true, hasLimit: true, hasOffset: true, hasSelection: columnsOf(seg.args[0]) }));
      case 'count':
        return queryValue(makeQuery(ORM, 'count', seg, { ...base, aggregate: true, selectionSupported: false }));
      case 'destroy':
        // Model.where(…).destroy() deletes every match in one statement.
        return queryValue(makeQuery(ORM, 'destroy', seg, { entity, op: 'write', writeKind: 'delete', bulk: !state.unique }));
      default:
        return undefined;
    }
  }
  if (value.role === 'bookshelf-instance') {
    if (seg.kind !== 'call') return undefined;
    const state = (value.data ?? {}) as BookshelfState;
    switch (seg.name) {
      case 'fetch':
      case 'refresh':
        return queryValue(makeQuery(ORM, seg.name, seg, { entity, unique: !!state.unique, hasLimit: true, selectionSupported: true, hasSelection: columnsOf(seg.args[0]), relations: relatedOf(seg.args[0]) }));
      case 'save':
        return queryValue(makeQuery(ORM, 'save', seg, { entity, op: 'write', writeKind: 'save' }));
      case 'destroy':
        return queryValue(makeQuery(ORM, 'destroy', seg, { entity, op: 'write', writeKind: 'delete' }));
      case 'load':
        return queryValue(makeQuery(ORM, 'load', seg, { entity, list: true, hasLimit: true, lazyRelation: true, relations: relationNames(seg.args[0]) }));
      case 'related':
        return { kind: 'receiver', orm: ORM, role: 'bookshelf-relation', entity: stringLiteral(seg.args[0]) };
      default:
        return undefined;
    }
  }
  if (value.role === 'bookshelf-relation' && seg.kind === 'call' && (seg.name === 'fetch' || seg.name === 'fetchAll')) {
    return queryValue(makeQuery(ORM, seg.name, seg, { entity, list: true, hasLimit: true, lazyRelation: true, relations: entity ? [entity] : [] }));
  }
  return undefined;
}

function instance(entity: string | undefined, attrs: ts.Expression | undefined): Value {
  return { kind: 'receiver', orm: ORM, role: 'bookshelf-instance', entity, data: { unique: keysOf(asObject(attrs)).includes('id') } satisfies BookshelfState };
}
