// The one traversal per file. It records query sites (with the loops around them) and calls
// (for cross-function chains); every rule reads these facts instead of walking the AST again.
import { ts } from 'ts-morph';
import type { QueryFacts } from './orms/types';
import { ITERATION_METHODS, type Evaluator } from './evaluator';
import { resolveName } from './scope';
import { unwrap } from './orms/util';

export interface LoopInfo {
  /** The loop statement, or the callback function for forEach/map/…. */
  node: ts.Node;
  kind: string;
  iterable?: ts.Expression;
  itemName?: string;
  /** Iterates a literal / constant array of a few items, or a small constant bound. */
  small: boolean;
  /** `Promise.all(items.map(async …))`: all iterations start in the same tick. */
  promiseAll: boolean;
}

export interface FnInfo {
  node: ts.Node;
  name: string;
  /** Inline callbacks (arguments of calls) run as part of their owner: queries roll up there. */
  owner: FnInfo;
  parent?: FnInfo;
  queries: QuerySite[];
  calls: CallSite[];
}

export interface QuerySite {
  q: QueryFacts;
  loops: readonly LoopInfo[];
  fn: FnInfo;
}

export interface CallSite {
  node: ts.CallExpression;
  loops: readonly LoopInfo[];
  fn: FnInfo;
}

export interface FileFacts {
  file: string;
  sf: ts.SourceFile;
  queries: QuerySite[];
  calls: CallSite[];
  fns: Map<ts.Node, FnInfo>;
}

const SMALL = 10;

function isSmallIterable(e: ts.Expression | undefined, depth = 0): boolean {
  if (!e) return false;
  const u = unwrap(e);
  if (ts.isArrayLiteralExpression(u)) return u.elements.length <= SMALL && !u.elements.some(ts.isSpreadElement);
  if (ts.isIdentifier(u) && depth === 0) {
    const b = resolveName(u.text, u);
    if (b?.kind === 'var' && b.path.length === 0 && b.decl.initializer && (b.decl.parent.flags & ts.NodeFlags.Const) !== 0) {
      return isSmallIterable(b.decl.initializer, 1);
    }
  }
  // Object.keys/values/entries of a literal object
  if (ts.isCallExpression(u) && ts.isPropertyAccessExpression(u.expression) && ts.isIdentifier(u.expression.expression) && u.expression.expression.text === 'Object') {
    const arg = u.arguments[0] && unwrap(u.arguments[0]);
    if (arg && ts.isObjectLiteralExpression(arg)) return arg.properties.length <= SMALL;
    if (arg && ts.isIdentifier(arg)) {
      const b = resolveName(arg.text, arg);
      const init = b?.kind === 'var' ? b.decl.initializer && unwrap(b.decl.initializer) : undefined;
      return !!init && ts.isObjectLiteralExpression(init) && init.properties.length <= SMALL;
    }
  }
  return false;
}

/** `for (let i = 0; i < 3; i++)` */
function isSmallCountedLoop(f: ts.ForStatement): boolean {
  const c = f.condition;
  if (!c || !ts.isBinaryExpression(c)) return false;
  const op = c.operatorToken.kind;
  if (op !== ts.SyntaxKind.LessThanToken && op !== ts.SyntaxKind.LessThanEqualsToken) return false;
  return ts.isNumericLiteral(c.right) && Number(c.right.text) <= SMALL;
}

function bindingText(n: ts.ForInitializer | undefined): string | undefined {
  if (!n) return undefined;
  if (ts.isVariableDeclarationList(n)) {
    const d = n.declarations[0];
    return d && ts.isIdentifier(d.name) ? d.name.text : d ? d.name.getText() : undefined;
  }
  return ts.isIdentifier(n) ? n.text : undefined;
}

function fnName(node: ts.Node): string {
  const n = node as ts.FunctionLikeDeclaration;
  if (n.name && (ts.isIdentifier(n.name) || ts.isPrivateIdentifier(n.name) || ts.isStringLiteral(n.name))) {
    const cls = node.parent && (ts.isClassDeclaration(node.parent) || ts.isClassExpression(node.parent)) ? node.parent.name?.text : undefined;
    return cls ? `${cls}.${n.name.text}` : n.name.text;
  }
  if (ts.isConstructorDeclaration(node)) return `${(node.parent as ts.ClassDeclaration).name?.text ?? 'class'}.constructor`;
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  return 'callback';
}

function isChainTop(node: ts.Node): boolean {
  const p = node.parent;
  if (!p) return true;
  if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === node) return false;
  if (ts.isCallExpression(p) && p.expression === node) return false;
  if (ts.isTaggedTemplateExpression(p) && p.tag === node) return false;
  return true;
}

function chainInner(node: ts.Node): ts.Node | undefined {
  if (ts.isCallExpression(node)) {
    const c = node.expression;
    return ts.isPropertyAccessExpression(c) ? c.expression : c;
  }
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isNonNullExpression(node) || ts.isParenthesizedExpression(node)) return node.expression;
  if (ts.isTaggedTemplateExpression(node)) return node.tag;
  return undefined;
}

export function walkFile(sf: ts.SourceFile, ev: Evaluator): FileFacts {
  const facts: FileFacts = { file: sf.fileName, sf, queries: [], calls: [], fns: new Map() };
  const moduleFn = { node: sf, name: '<module>', queries: [], calls: [] } as unknown as FnInfo;
  moduleFn.owner = moduleFn;
  facts.fns.set(sf, moduleFn);

  let fn: FnInfo = moduleFn;
  let loops: readonly LoopInfo[] = [];

  const record = (q: QueryFacts) => {
    const site: QuerySite = { q, loops, fn };
    facts.queries.push(site);
    fn.owner.queries.push(site);
  };

  const findQueryInChain = (top: ts.Node): QueryFacts | undefined => {
    ev.valueOf(top);
    for (let cur: ts.Node | undefined = top; cur; cur = chainInner(cur)) {
      const v = ev.known(cur);
      if (v?.kind === 'query') return v.query;
    }
    return undefined;
  };

  const withLoop = (loop: LoopInfo, body: () => void) => {
    const saved = loops;
    loops = [...loops, loop];
    body();
    loops = saved;
  };

  const visitFunction = (node: ts.Node) => {
    const parent = node.parent;
    let host: ts.Node | undefined = parent;
    while (host && ts.isParenthesizedExpression(host)) host = host.parent;
    const isArg = !!host && (ts.isCallExpression(host) || ts.isNewExpression(host)) && (host.arguments?.some((a) => unwrap(a) === node) ?? false);
    const isIife = !!host && ts.isCallExpression(host) && unwrap(host.expression) === node;
    const inline = isArg || isIife;
    const info = { node, name: fnName(node), parent: fn, queries: [], calls: [] } as unknown as FnInfo;
    info.owner = inline ? fn.owner : info;
    facts.fns.set(node, info);
    const savedFn = fn;
    const savedLoops = loops;
    fn = info;
    if (!inline) loops = [];
    if (isArg && ts.isCallExpression(host!)) {
      const call = host as ts.CallExpression;
      const callee = unwrap(call.expression);
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const iterates = (method && ITERATION_METHODS.has(method) && unwrap(call.arguments[0]!) === node) || (method === 'from' && unwrap(call.arguments[1] ?? call) === node);
      if (iterates && ts.isPropertyAccessExpression(callee)) {
        let outer: ts.Node | undefined = call.parent;
        while (outer && ts.isParenthesizedExpression(outer)) outer = outer.parent;
        const promiseAll = !!outer && ts.isCallExpression(outer) && /^Promise\.(all|allSettled)$/.test(outer.expression.getText(sf));
        const iterable = method === 'from' ? call.arguments[0] : callee.expression;
        const p0 = (node as ts.FunctionLikeDeclaration).parameters[method?.startsWith('reduce') ? 1 : 0];
        loops = [
          ...loops,
          { node, kind: promiseAll ? 'Promise.all(map)' : method!, iterable, itemName: p0 && ts.isIdentifier(p0.name) ? p0.name.text : undefined, small: isSmallIterable(iterable), promiseAll },
        ];
      }
    }
    ts.forEachChild(node, visit);
    fn = savedFn;
    loops = savedLoops;
  };

  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.Constructor:
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor:
        visitFunction(node);
        return;
      case ts.SyntaxKind.ForStatement: {
        const f = node as ts.ForStatement;
        if (f.initializer) visit(f.initializer);
        withLoop({ node, kind: 'for', small: isSmallCountedLoop(f), promiseAll: false }, () => {
          if (f.condition) visit(f.condition);
          if (f.incrementor) visit(f.incrementor);
          visit(f.statement);
        });
        return;
      }
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement: {
        const f = node as ts.ForOfStatement | ts.ForInStatement;
        visit(f.expression);
        const kind = ts.isForOfStatement(f) ? (f.awaitModifier ? 'for await…of' : 'for…of') : 'for…in';
        withLoop({ node, kind, iterable: f.expression, itemName: bindingText(f.initializer), small: isSmallIterable(f.expression), promiseAll: false }, () => {
          visit(f.initializer);
          visit(f.statement);
        });
        return;
      }
      case ts.SyntaxKind.WhileStatement:
      case ts.SyntaxKind.DoStatement: {
        const w = node as ts.WhileStatement | ts.DoStatement;
        withLoop({ node, kind: ts.isWhileStatement(w) ? 'while' : 'do…while', small: false, promiseAll: false }, () => {
          visit(w.expression);
          visit(w.statement);
        });
        return;
      }
      case ts.SyntaxKind.CallExpression:
      case ts.SyntaxKind.TaggedTemplateExpression: {
        if (isChainTop(node)) {
          const q = findQueryInChain(node);
          if (q) record(q);
        }
        if (ts.isCallExpression(node)) {
          const site: CallSite = { node, loops, fn };
          facts.calls.push(site);
          fn.owner.calls.push(site);
        }
        break;
      }
      case ts.SyntaxKind.AwaitExpression: {
        const op = unwrap((node as ts.AwaitExpression).expression);
        if (ts.isPropertyAccessExpression(op)) {
          const q = ev.lazyRelation(node as ts.AwaitExpression);
          if (q) record(q);
        }
        break;
      }
      default:
        break;
    }
    ts.forEachChild(node, visit);
  };

  ts.forEachChild(sf, visit);
  return facts;
}
