// How the code uses a query's result: which fields it reads, whether it only counts or checks
// existence, or whether the rows escape (returned, passed on) so every column may be needed.
import { ts } from 'ts-morph';
import { unwrap } from './orms/util';

export type Holder =
  | { kind: 'var'; name: string; scope: ts.Node }
  | { kind: 'fields'; fields: string[] }
  | { kind: 'count' }
  | { kind: 'expr'; node: ts.Node };

export interface Usage {
  fields: Set<string>;
  count: boolean;
  exists: boolean;
  escapes: boolean;
  /** Nothing uses the result at all (fire-and-forget or an unused variable). */
  unused: boolean;
  /** How each field's value is used in turn (`post.author.name`): for included relations. */
  nested: Map<string, Usage>;
}

export function emptyUsage(): Usage {
  return { fields: new Set(), count: false, exists: false, escapes: false, unused: false, nested: new Map() };
}

function skipWrappers(node: ts.Node): ts.Node {
  let cur = node;
  while (cur.parent && (ts.isAwaitExpression(cur.parent) || ts.isParenthesizedExpression(cur.parent) || ts.isNonNullExpression(cur.parent) || ts.isAsExpression(cur.parent))) cur = cur.parent;
  return cur;
}

function scopeOf(node: ts.Node): ts.Node {
  for (let p = node.parent; p; p = p.parent) if (ts.isFunctionLike(p) || ts.isSourceFile(p)) return p;
  return node.getSourceFile();
}

/** Where the awaited result of the query at `node` goes. */
export function resultHolder(node: ts.Node): Holder {
  const cur = skipWrappers(node);
  const p = cur.parent;
  if (p && ts.isVariableDeclaration(p) && p.initializer === cur) {
    if (ts.isIdentifier(p.name)) return { kind: 'var', name: p.name.text, scope: scopeOf(p) };
    if (ts.isObjectBindingPattern(p.name) && !p.name.elements.some((e) => e.dotDotDotToken)) {
      return { kind: 'fields', fields: p.name.elements.map((e) => (e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName.text : ts.isIdentifier(e.name) ? e.name.text : '?')) };
    }
  }
  if (p && ts.isPropertyAccessExpression(p) && p.expression === cur && p.name.text === 'length') return { kind: 'count' };
  return { kind: 'expr', node: cur };
}

/** References to `name` inside `scope` (shadowing ignored: names of results are rarely reused). */
export function usesOf(name: string, scope: ts.Node): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n.text === name) {
      const p = n.parent;
      const isDecl = (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) && p.name === n;
      const isPropName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
      if (!isDecl && !isPropName) out.push(n);
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(scope, visit);
  return out;
}

function isCondition(n: ts.Node): boolean {
  const p = n.parent;
  if (!p) return false;
  if ((ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isConditionalExpression(p)) && (p as ts.IfStatement).expression === n) return true;
  if (ts.isConditionalExpression(p) && p.condition === n) return true;
  if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return true;
  if (ts.isBinaryExpression(p)) {
    const k = p.operatorToken.kind;
    if (k === ts.SyntaxKind.AmpersandAmpersandToken || k === ts.SyntaxKind.BarBarToken) return p.left === n || isCondition(p);
    if (k === ts.SyntaxKind.EqualsEqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsEqualsToken || k === ts.SyntaxKind.EqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsToken) {
      const other = p.left === n ? p.right : p.left;
      return other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined');
    }
  }
  if (ts.isCallExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'Boolean') return true;
  return false;
}

const ROW_CALLBACK_METHODS = new Set(['map', 'forEach', 'flatMap', 'some', 'every']);

function classifyRow(expr: ts.Node, u: Usage, depth: number): void {
  const n = skipWrappers(expr);
  const p = n.parent;
  if (p && ts.isPropertyAccessExpression(p) && p.expression === n) {
    const gp = p.parent;
    // row.save(), row.toJSON(): the whole entity is used.
    if (gp && ts.isCallExpression(gp) && gp.expression === p) u.escapes = true;
    else {
      u.fields.add(p.name.text);
      if (depth < 4) {
        const sub = u.nested.get(p.name.text) ?? emptyUsage();
        u.nested.set(p.name.text, sub);
        classifyRow(p, sub, depth + 1);
      }
    }
    return;
  }
  if (p && ts.isElementAccessExpression(p) && p.expression === n && ts.isStringLiteral(p.argumentExpression)) {
    u.fields.add(p.argumentExpression.text);
    return;
  }
  if (isCondition(n)) {
    u.exists = true;
    return;
  }
  if (p && ts.isVariableDeclaration(p) && ts.isObjectBindingPattern(p.name) && !p.name.elements.some((e) => e.dotDotDotToken)) {
    for (const e of p.name.elements) u.fields.add(e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName.text : (e.name as ts.Identifier).text);
    return;
  }
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && depth < 3) {
    const uses = usesOf(p.name.text, scopeOf(p));
    if (uses.length === 0) u.unused = true;
    for (const x of uses) classifyRow(x, u, depth + 1);
    return;
  }
  if (p && ts.isExpressionStatement(p)) return;
  u.escapes = true;
}

function classifyRows(expr: ts.Node, u: Usage, depth: number): void {
  const n = skipWrappers(expr);
  const p = n.parent;
  if (p && ts.isPropertyAccessExpression(p) && p.expression === n) {
    const name = p.name.text;
    if (name === 'length') {
      u.count = true;
      return;
    }
    const call = p.parent;
    if (call && ts.isCallExpression(call) && call.expression === p && ROW_CALLBACK_METHODS.has(name)) {
      const cb = call.arguments[0] && unwrap(call.arguments[0]);
      if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) {
        const param = cb.parameters[0];
        if (param && ts.isIdentifier(param.name)) for (const x of usesOf(param.name.text, cb)) classifyRow(x, u, depth + 1);
        else if (param && ts.isObjectBindingPattern(param.name)) for (const e of param.name.elements) u.fields.add(e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName.text : (e.name as ts.Identifier).text);
        // The result of map() is a new array of what the callback picked, not the rows.
        return;
      }
    }
    u.escapes = true;
    return;
  }
  if (p && ts.isElementAccessExpression(p) && p.expression === n) {
    classifyRow(p, u, depth + 1);
    return;
  }
  if (p && ts.isForOfStatement(p) && p.expression === n) {
    const init = p.initializer;
    const d = ts.isVariableDeclarationList(init) ? init.declarations[0] : undefined;
    if (d && ts.isIdentifier(d.name)) for (const x of usesOf(d.name.text, p.statement)) classifyRow(x, u, depth + 1);
    else u.escapes = true;
    return;
  }
  if (p && ts.isVariableDeclaration(p) && ts.isArrayBindingPattern(p.name)) {
    const first = p.name.elements[0];
    if (first && ts.isBindingElement(first) && ts.isIdentifier(first.name) && p.name.elements.length === 1) {
      for (const x of usesOf(first.name.text, scopeOf(p))) classifyRow(x, u, depth + 1);
      return;
    }
  }
  if (p && ts.isExpressionStatement(p)) return;
  u.escapes = true;
}

/** How the result of the query at `node` is used. `list`: the result is an array of rows. */
export function usageOf(node: ts.Node, list: boolean): Usage {
  const u = emptyUsage();
  const h = resultHolder(node);
  if (h.kind === 'count') {
    u.count = true;
    return u;
  }
  if (h.kind === 'fields') {
    for (const f of h.fields) u.fields.add(f);
    return u;
  }
  if (h.kind === 'expr') {
    // Not awaited into anything we can follow (returned, passed on, chained with .then).
    if (ts.isExpressionStatement(h.node.parent)) u.unused = true;
    else if (list) classifyRows(h.node, u, 0);
    else classifyRow(h.node, u, 0);
    return u;
  }
  const uses = usesOf(h.name, h.scope);
  if (uses.length === 0) u.unused = true;
  for (const x of uses) (list ? classifyRows : classifyRow)(x, u, 0);
  return u;
}
