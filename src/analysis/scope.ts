// Name resolution without the type checker: walk up from an identifier to the nearest scope
// that declares its name. Scope tables are built lazily per scope node and cached on the
// (immutable) AST, so they stay valid until the file is re-parsed.
import { ts } from 'ts-morph';

export type Binding =
  | { kind: 'var'; decl: ts.VariableDeclaration; path: string[] }
  | { kind: 'param'; decl: ts.ParameterDeclaration; path: string[] }
  | { kind: 'function'; decl: ts.FunctionDeclaration }
  | { kind: 'class'; decl: ts.ClassDeclaration }
  | { kind: 'import'; module: string; imported: string; decl: ts.Node }
  | { kind: 'enum'; decl: ts.Node };

const tables = new WeakMap<ts.Node, Map<string, Binding>>();

function addPattern(name: ts.BindingName, path: string[], make: (path: string[]) => Binding, out: Map<string, Binding>): void {
  if (ts.isIdentifier(name)) {
    out.set(name.text, make(path));
    return;
  }
  if (ts.isObjectBindingPattern(name)) {
    for (const el of name.elements) {
      const key = el.propertyName ? (ts.isIdentifier(el.propertyName) || ts.isStringLiteral(el.propertyName) ? el.propertyName.text : '?') : ts.isIdentifier(el.name) ? el.name.text : '?';
      addPattern(el.name, el.dotDotDotToken ? [...path, '...'] : [...path, key], make, out);
    }
    return;
  }
  name.elements.forEach((el, i) => {
    if (ts.isBindingElement(el)) addPattern(el.name, el.dotDotDotToken ? [...path, '...'] : [...path, String(i)], make, out);
  });
}

function addVarList(list: ts.VariableDeclarationList, out: Map<string, Binding>): void {
  for (const d of list.declarations) addPattern(d.name, [], (path) => ({ kind: 'var', decl: d, path }), out);
}

function addStatements(stmts: readonly ts.Statement[], out: Map<string, Binding>): void {
  for (const s of stmts) {
    if (ts.isVariableStatement(s)) addVarList(s.declarationList, out);
    else if (ts.isFunctionDeclaration(s) && s.name) out.set(s.name.text, { kind: 'function', decl: s });
    else if (ts.isClassDeclaration(s) && s.name) out.set(s.name.text, { kind: 'class', decl: s });
    else if ((ts.isEnumDeclaration(s) || ts.isModuleDeclaration(s)) && ts.isIdentifier(s.name)) out.set(s.name.text, { kind: 'enum', decl: s });
    else if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.importClause) {
      const module = s.moduleSpecifier.text;
      const c = s.importClause;
      if (c.name) out.set(c.name.text, { kind: 'import', module, imported: 'default', decl: c });
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) out.set(nb.name.text, { kind: 'import', module, imported: '*', decl: nb });
      else if (nb) for (const el of nb.elements) out.set(el.name.text, { kind: 'import', module, imported: (el.propertyName ?? el.name).text, decl: el });
    } else if (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference) && ts.isStringLiteral(s.moduleReference.expression)) {
      out.set(s.name.text, { kind: 'import', module: s.moduleReference.expression.text, imported: '*', decl: s });
    }
  }
}

function tableFor(node: ts.Node): Map<string, Binding> | undefined {
  let t = tables.get(node);
  if (t) return t;
  t = new Map();
  if (ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
    addStatements(node.statements, t);
  } else if (ts.isFunctionLike(node)) {
    const fn = node as ts.SignatureDeclaration;
    for (const p of fn.parameters) addPattern(p.name, [], (path) => ({ kind: 'param', decl: p, path }), t);
    if ((ts.isFunctionExpression(node) || ts.isClassExpression(node)) && node.name) {
      if (ts.isFunctionExpression(node)) t.set(node.name.text, { kind: 'function', decl: node as unknown as ts.FunctionDeclaration });
    }
  } else if (ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) {
    const init = node.initializer;
    if (init && ts.isVariableDeclarationList(init)) addVarList(init, t);
  } else if (ts.isCatchClause(node)) {
    const d = node.variableDeclaration;
    if (d) addPattern(d.name, [], (path) => ({ kind: 'var', decl: d, path }), t);
  } else {
    return undefined;
  }
  tables.set(node, t);
  return t;
}

function isScope(n: ts.Node): boolean {
  switch (n.kind) {
    case ts.SyntaxKind.SourceFile:
    case ts.SyntaxKind.Block:
    case ts.SyntaxKind.ModuleBlock:
    case ts.SyntaxKind.CaseClause:
    case ts.SyntaxKind.DefaultClause:
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.CatchClause:
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
      return true;
    default:
      return false;
  }
}

/** The binding an identifier refers to, or undefined for globals / unknown names. */
export function resolveName(name: string, from: ts.Node): Binding | undefined {
  for (let n: ts.Node | undefined = from; n; n = n.parent) {
    if (!isScope(n)) continue;
    const b = tableFor(n)?.get(name);
    if (b) return b;
  }
  return undefined;
}

/** The class whose body contains `node` (for `this`). Arrow functions keep the outer `this`. */
export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) return n;
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) return undefined;
  }
  return undefined;
}
