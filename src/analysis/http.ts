// HTTP handlers (Express, Fastify, Koa, Hono, NestJS, Next.js) and whether a query's rows flow
// into the response — missing-pagination is more severe there: the page grows with the table.
import { ts } from 'ts-morph';
import type { FnInfo } from './walker';
import { unwrap } from './orms/util';
import { resultHolder, usesOf } from './usage';

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options', 'use', 'route', 'on']);
const NEST_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options', 'Query', 'Mutation', 'ResolveField']);
const NEXT_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const SINK_METHODS = new Set(['json', 'send', 'jsonp', 'end', 'render', 'body', 'html', 'text']);

function isExported(n: ts.Node): boolean {
  return ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** Is this function node itself a request handler? */
export function isHandlerNode(node: ts.Node): boolean {
  const sf = node.getSourceFile();
  if (ts.isMethodDeclaration(node)) {
    return (ts.getDecorators(node) ?? []).some((d) => {
      const e = d.expression;
      const callee = ts.isCallExpression(e) ? e.expression : e;
      return ts.isIdentifier(callee) && NEST_DECORATORS.has(callee.text);
    });
  }
  if (ts.isFunctionDeclaration(node) && node.name && isExported(node)) {
    if (NEXT_EXPORTS.has(node.name.text)) return true;
    const isDefault = (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (isDefault && /[\\/]pages[\\/]api[\\/]/.test(sf.fileName)) return true;
  }
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    let p: ts.Node | undefined = node.parent;
    while (p && ts.isParenthesizedExpression(p)) p = p.parent;
    if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && NEXT_EXPORTS.has(p.name.text)) return isExported(p.parent.parent);
    if (p && ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'handler') return true;
    if (p && ts.isExportAssignment(p) && /[\\/]pages[\\/]api[\\/]/.test(sf.fileName)) return true;
    if (p && ts.isCallExpression(p) && p.arguments.length >= 2) {
      const callee = unwrap(p.expression);
      if (ts.isPropertyAccessExpression(callee) && ROUTE_METHODS.has(callee.name.text)) {
        const first = p.arguments[0]!;
        return ts.isStringLiteralLike(first) || ts.isRegularExpressionLiteral(first) || ts.isArrayLiteralExpression(first);
      }
    }
  }
  return false;
}

/** The handler a function belongs to (itself, or an enclosing inline callback's owner). */
export function handlerOf(fn: FnInfo): FnInfo | undefined {
  for (let f: FnInfo | undefined = fn; f; f = f.parent) {
    if (isHandlerNode(f.node)) return f;
    if (f.owner === f && f !== fn) break;
  }
  return undefined;
}

/** Is `node` (an expression) sent as / returned as the response, possibly inside an object? */
function isSunk(node: ts.Node, handler: ts.Node): boolean {
  let cur = node;
  for (let p = cur.parent; p && p !== handler; cur = p, p = p.parent) {
    if (ts.isObjectLiteralExpression(p) || ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isArrayLiteralExpression(p) || ts.isSpreadAssignment(p) || ts.isParenthesizedExpression(p) || ts.isAwaitExpression(p) || ts.isAsExpression(p)) continue;
    if (ts.isReturnStatement(p)) return true;
    if (ts.isArrowFunction(p) && p.body === cur) return p === handler;
    if (ts.isCallExpression(p) && p.arguments.includes(cur as ts.Expression)) {
      const callee = unwrap(p.expression);
      if (ts.isPropertyAccessExpression(callee) && SINK_METHODS.has(callee.name.text)) return true;
      if (ts.isIdentifier(callee) && callee.text === 'json') return true;
      return ts.isPropertyAccessExpression(callee) && callee.name.text === 'stringify' && isSunk(p, handler);
    }
    if (ts.isNewExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'Response') return true;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === cur) {
      return ts.isPropertyAccessExpression(p.left) && p.left.name.text === 'body';
    }
    return false;
  }
  return false;
}

/** Do the rows of the query at `queryNode` reach the HTTP response of `handler`? */
export function flowsToResponse(queryNode: ts.Node, handler: FnInfo): boolean {
  const h = resultHolder(queryNode);
  if (h.kind === 'expr') return isSunk(h.node, handler.node);
  if (h.kind === 'var') return usesOf(h.name, h.scope).some((u) => isSunk(u, handler.node));
  return false;
}
