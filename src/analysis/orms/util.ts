// Small AST helpers shared by the ORM adapters (object-literal options, where-clause shapes).
import { ts } from 'ts-morph';
import type { OrmId } from '../types';
import type { QueryFacts, Value, Segment } from './types';

/** A query with conservative defaults; adapters override what they know. */
export function makeQuery(orm: OrmId, method: string, seg: Segment, over: Partial<QueryFacts> = {}): QueryFacts {
  return {
    orm,
    method,
    op: 'read',
    list: false,
    unique: false,
    aggregate: false,
    hasLimit: false,
    hasOffset: false,
    hasSelection: false,
    selectionSupported: false,
    relations: [],
    batched: false,
    bulk: false,
    call: seg.node,
    node: seg.node,
    builder: false,
    ...over,
  };
}

export function queryValue(q: QueryFacts): Value {
  return { kind: 'query', query: q };
}

/** Copy a query with changes (chains are evaluated once, but keep facts immutable anyway). */
export function withQuery(v: Extract<Value, { kind: 'query' }>, over: Partial<QueryFacts>, node: ts.Expression): Value {
  return { kind: 'query', query: { ...v.query, ...over, node } };
}

export function unwrap(e: ts.Expression): ts.Expression {
  let cur = e;
  while (ts.isParenthesizedExpression(cur) || ts.isAsExpression(cur) || ts.isNonNullExpression(cur) || ts.isSatisfiesExpression(cur) || ts.isTypeAssertionExpression(cur)) {
    cur = cur.expression;
  }
  return cur;
}

export function asObject(e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  return ts.isObjectLiteralExpression(u) ? u : undefined;
}

export function propName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

/** The initializer of `key` in an object literal (shorthand `{ take }` gives the identifier). */
export function objectProp(obj: ts.ObjectLiteralExpression | undefined, key: string): ts.Expression | undefined {
  if (!obj) return undefined;
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && propName(p.name) === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
    if (ts.isMethodDeclaration(p) && p.name && propName(p.name) === key) return p.name as unknown as ts.Expression;
  }
  return undefined;
}

/** True when the object has `key`, or a spread we cannot see through (be conservative: assume present). */
export function hasKeyOrSpread(obj: ts.ObjectLiteralExpression | undefined, key: string): boolean {
  if (!obj) return false;
  return objectProp(obj, key) !== undefined || obj.properties.some((p) => ts.isSpreadAssignment(p));
}

export function keysOf(obj: ts.ObjectLiteralExpression | undefined): string[] {
  if (!obj) return [];
  const out: string[] = [];
  for (const p of obj.properties) {
    if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p)) && p.name) {
      const n = propName(p.name);
      if (n) out.push(n);
    } else if (ts.isShorthandPropertyAssignment(p)) out.push(p.name.text);
  }
  return out;
}

/**
 * Find an operator key (`in`, `$in`) anywhere in a where-object. Returns the field it applies to
 * (`{ authorId: { in: ids } }` gives `authorId`), or '' when found at the top.
 */
export function findInOperator(where: ts.Expression | undefined, ops: readonly string[], depth = 0): string | undefined {
  const obj = asObject(where);
  if (!obj || depth > 4) return undefined;
  for (const p of obj.properties) {
    if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) continue;
    const key = ts.isPropertyAssignment(p) ? propName(p.name) : p.name.text;
    if (!key) continue;
    if (ops.includes(key)) return '';
    if (ts.isPropertyAssignment(p)) {
      const init = unwrap(p.initializer);
      // Mongo / Sequelize style: `{ _id: ids }` with an array literal or `[Op.in]`.
      if (ts.isArrayLiteralExpression(init) && ops.includes('=array')) return key;
      const inner = findInOperator(init, ops, depth + 1);
      if (inner !== undefined) return inner === '' ? key : inner;
    }
  }
  // Computed keys such as `[Op.in]` (Sequelize).
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && ts.isComputedPropertyName(p.name)) {
      const t = p.name.expression;
      if (ts.isPropertyAccessExpression(t) && ops.includes(`[${t.name.text}]`)) return '';
      const inner = findInOperator(p.initializer, ops, depth + 1);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

export function stringLiteral(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  if (ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u)) return u.text;
  return undefined;
}

export function isTrue(e: ts.Expression | undefined): boolean {
  return !!e && unwrap(e).kind === ts.SyntaxKind.TrueKeyword;
}

/** Name of the entity behind `getRepository(User)`, `User.name`, `'User'`. */
export function entityName(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  if (ts.isIdentifier(u)) return u.text;
  if (ts.isPropertyAccessExpression(u) && u.name.text === 'name' && ts.isIdentifier(u.expression)) return u.expression.text;
  return stringLiteral(u);
}

/** Text of the type name of a type reference node (`Repository<User>` gives `Repository`). */
export function typeRefName(t: ts.TypeNode | undefined): string | undefined {
  if (!t || !ts.isTypeReferenceNode(t)) return undefined;
  const n = t.typeName;
  return ts.isIdentifier(n) ? n.text : n.right.text;
}

/** Indentation of the line holding `pos`. */
export function indentAt(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const m = /^[ \t]*/.exec(text.slice(lineStart));
  return m ? m[0] : '';
}

/** Insert `prop` as a new property at the end of an object literal, matching its layout. */
export function insertProperty(text: string, obj: ts.ObjectLiteralExpression, prop: string): { start: number; end: number; newText: string } {
  const props = obj.properties;
  const closeBrace = obj.getEnd() - 1;
  if (props.length === 0) {
    return { start: obj.getStart() + 1, end: closeBrace, newText: ` ${prop} ` };
  }
  const last = props[props.length - 1]!;
  const between = text.slice(last.getEnd(), closeBrace);
  const hasTrailingComma = between.trimStart().startsWith(',');
  const multiline = text.slice(obj.getStart(), obj.getEnd()).includes('\n');
  if (multiline) {
    const indent = indentAt(text, last.getStart());
    const insertAt = hasTrailingComma ? last.getEnd() + between.indexOf(',') + 1 : last.getEnd();
    return { start: insertAt, end: insertAt, newText: `${hasTrailingComma ? '' : ','}\n${indent}${prop}${hasTrailingComma ? ',' : ''}` };
  }
  const insertAt = last.getEnd();
  return { start: insertAt, end: insertAt, newText: `, ${prop}` };
}
