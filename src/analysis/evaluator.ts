// Works out what an expression *is* (an ORM receiver, a query, rows, a project function or
// class) from imports and declarations, across project files, without the type checker.
// Results are memoised per node for one "epoch"; the host starts a new epoch when any file
// changes, because a value in one file can depend on declarations in another.
import { ts } from 'ts-morph';
import type { OrmId } from './types';
import type { AdapterContext, ClassInput, QueryFacts, Segment, Value } from './orms/types';
import { adapterFor, adapterForModule } from './orms/index';
import { resolveName, enclosingClass, type Binding } from './scope';
import { unwrap } from './orms/util';

export interface ProjectFiles {
  sourceFile(path: string): ts.SourceFile | undefined;
  resolveModule(from: string, specifier: string): string | undefined;
  /** No ORM import reaches this file: its exports cannot be receivers or query-running code. */
  ormFree?(path: string): boolean;
}

/** Array methods whose callback runs once per element. */
export const ITERATION_METHODS = new Set(['map', 'forEach', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);

const PENDING = Symbol('pending');
type Memo = Value | null | typeof PENDING;

export class Evaluator {
  private memo = new WeakMap<ts.Node, Memo>();
  private exportTables = new Map<string, Map<string, ts.Node | { reexport: string; name: string }> & { stars?: string[] }>();

  constructor(private readonly files: ProjectFiles) {}

  /** Forget everything derived (a file changed somewhere). ASTs and scope tables stay. */
  reset(): void {
    this.memo = new WeakMap();
    this.exportTables.clear();
  }

  ctx(sf: ts.SourceFile): AdapterContext {
    return {
      file: sf.fileName,
      sourceFile: sf,
      valueOf: (e) => this.valueOf(e),
      text: (n) => sf.text.slice(n.getStart(sf), n.getEnd()),
    };
  }

  valueOf(expr: ts.Node): Value | undefined {
    const m = this.memo.get(expr);
    if (m === PENDING) return undefined;
    if (m !== undefined) return m ?? undefined;
    this.memo.set(expr, PENDING);
    let v: Value | undefined;
    try {
      v = this.compute(expr);
    } catch {
      v = undefined;
    }
    this.memo.set(expr, v ?? null);
    return v;
  }

  /** Memoised value if already computed (the walker uses it to find the query inside a chain). */
  known(expr: ts.Node): Value | undefined {
    const m = this.memo.get(expr);
    return m && m !== PENDING ? m : undefined;
  }

  private sfOf(n: ts.Node): ts.SourceFile {
    return n.getSourceFile();
  }

  private step(base: Value | undefined, seg: Segment, sf: ts.SourceFile): Value | undefined {
    if (!base) return undefined;
    switch (base.kind) {
      case 'namespace':
        return seg.kind === 'prop' ? this.exportValue(base.file, seg.name) : undefined;
      case 'object': {
        if (seg.kind !== 'prop') return undefined;
        for (const p of base.decl.properties) {
          const n = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
          if (n !== seg.name) continue;
          if (ts.isMethodDeclaration(p)) return { kind: 'function', file: base.file, decl: p };
          if (ts.isPropertyAssignment(p)) return this.valueOf(p.initializer);
          if (ts.isShorthandPropertyAssignment(p)) return this.valueOf(p.name);
        }
        return this.declaredMember(base.decl, seg.name);
      }
      case 'class': {
        if (seg.kind === 'new') return this.instanceOf(base);
        if (seg.kind === 'prop') {
          const member = this.member(base.decl, seg.name, true);
          if (member) return member;
        }
        return base.static ? this.step(base.static, seg, sf) : undefined;
      }
      case 'instance': {
        if (seg.kind === 'prop') {
          const member = this.member(base.decl, seg.name, false);
          if (member) return member;
        }
        // `this.knex('users')`: a field holding a callable client, called directly.
        if (seg.kind === 'call' && seg.name) {
          const member = this.member(base.decl, seg.name, false);
          if (member && member.kind !== 'function') return this.step(member, { kind: 'call', name: undefined, args: seg.args, node: seg.node }, sf);
        }
        return base.orm ? this.step(base.orm, seg, sf) : undefined;
      }
      case 'function': {
        if (seg.kind !== 'call') return undefined;
        const r = this.returnValue(base.decl);
        // A factory returning a client (`getDb()`) is followed; a function returning a query is a
        // project call, handled through call chains, not as a query at the call site.
        return r && (r.kind === 'receiver' || r.kind === 'class' || r.kind === 'instance' || r.kind === 'orm-export') ? r : undefined;
      }
      case 'rows': {
        if (seg.kind === 'prop' && /^\d+$/.test(seg.name) && base.list) return { kind: 'row', orm: base.orm, entity: base.entity };
        if (seg.kind === 'prop' && seg.name === 'at') return undefined;
        if (!base.list) return this.step({ kind: 'row', orm: base.orm, entity: base.entity }, seg, sf);
        return undefined;
      }
      case 'string':
        return undefined;
      default: {
        const orm = (base as { orm: OrmId }).orm ?? (base.kind === 'query' ? base.query.orm : undefined);
        const adapter = orm ? adapterFor(orm) : undefined;
        if (!adapter) return undefined;
        const out = adapter.step(base, seg, this.ctx(sf));
        // The query's outermost node grows with the chain (`.where().limit()`).
        if (out?.kind === 'query') out.query.node = seg.node;
        return out;
      }
    }
  }

  private compute(node: ts.Node): Value | undefined {
    const sf = this.sfOf(node);
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node)) {
      return this.valueOf(node.expression);
    }
    if (ts.isIdentifier(node)) return this.identifier(node);
    if (node.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = enclosingClass(node);
      const cv = cls ? this.classValue(cls) : undefined;
      return cv ? this.instanceOf(cv) : undefined;
    }
    if (ts.isPropertyAccessExpression(node)) {
      return this.step(this.valueOf(node.expression), { kind: 'prop', name: node.name.text, node }, sf);
    }
    if (ts.isElementAccessExpression(node)) {
      const a = node.argumentExpression;
      if (ts.isStringLiteral(a) || ts.isNumericLiteral(a)) return this.step(this.valueOf(node.expression), { kind: 'prop', name: a.text, node }, sf);
      return undefined;
    }
    if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      if (ts.isIdentifier(callee) && callee.text === 'require' && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
        return this.moduleValue(sf.fileName, (node.arguments[0] as ts.StringLiteral).text, '*');
      }
      if (ts.isPropertyAccessExpression(callee)) {
        return this.step(this.valueOf(callee.expression), { kind: 'call', name: callee.name.text, args: node.arguments, node }, sf);
      }
      return this.step(this.valueOf(callee), { kind: 'call', name: undefined, args: node.arguments, node }, sf);
    }
    if (ts.isNewExpression(node)) {
      return this.step(this.valueOf(node.expression), { kind: 'new', args: node.arguments ?? [], node }, sf);
    }
    if (ts.isTaggedTemplateExpression(node)) {
      return this.step(this.valueOf(node.tag), { kind: 'tag', template: node.template, node }, sf);
    }
    if (ts.isAwaitExpression(node)) {
      const v = this.valueOf(node.expression);
      if (v?.kind === 'query') return rowsOf(v.query);
      if (v) return v;
      const lazy = this.lazyRelation(node);
      return lazy ? rowsOf(lazy) : undefined;
    }
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.BarBarToken || node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
      return this.valueOf(node.left) ?? this.valueOf(node.right);
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { kind: 'string', text: node.text, node: node as ts.Expression };
    if (ts.isTemplateExpression(node)) return { kind: 'string', text: '', node: node as ts.Expression };
    // 'SELECT … ' + 'FROM …': SQL split over lines; sql-query.ts reads the pieces.
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken && ts.isStringLiteralLike(unwrap(node.left))) return { kind: 'string', text: '', node };
    if (ts.isClassExpression(node)) return this.classValue(node);
    if (ts.isObjectLiteralExpression(node)) return { kind: 'object', file: sf.fileName, decl: node };
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return { kind: 'function', file: sf.fileName, decl: node };
    return undefined;
  }

  /** `await post.author` where `post` is a row of an ORM with lazy relations. */
  lazyRelation(awaitExpr: ts.AwaitExpression): QueryFacts | undefined {
    const op = unwrap(awaitExpr.expression);
    if (!ts.isPropertyAccessExpression(op)) return undefined;
    const base = this.valueOf(op.expression);
    const row = base?.kind === 'row' ? base : base?.kind === 'instance' && base.orm?.kind === 'row' ? base.orm : undefined;
    if (!row) return undefined;
    const adapter = adapterFor(row.orm);
    return adapter?.lazyRelation?.(row, op.name.text, op, this.ctx(this.sfOf(op)));
  }

  private identifier(id: ts.Identifier): Value | undefined {
    const b = resolveName(id.text, id);
    if (!b) return undefined;
    return this.bindingValue(b, this.sfOf(id));
  }

  bindingValue(b: Binding, sf: ts.SourceFile): Value | undefined {
    switch (b.kind) {
      case 'import':
        return this.moduleValue(sf.fileName, b.module, b.imported);
      case 'function':
        return { kind: 'function', file: sf.fileName, decl: b.decl };
      case 'class':
        return this.classValue(b.decl);
      case 'var':
        return this.varValue(b.decl, b.path, sf);
      case 'param':
        return this.paramValue(b.decl, b.path, sf);
      default:
        return undefined;
    }
  }

  private byPath(v: Value | undefined, path: string[], sf: ts.SourceFile, node: ts.Node): Value | undefined {
    let cur = v;
    for (const key of path) {
      if (!cur) return undefined;
      if (key === '...') return undefined;
      cur = this.step(cur, { kind: 'prop', name: key, node: node as ts.PropertyAccessExpression }, sf);
    }
    return cur;
  }

  private varValue(d: ts.VariableDeclaration, path: string[], sf: ts.SourceFile): Value | undefined {
    const list = d.parent;
    const holder = list?.parent;
    // for (const row of rows): an element of the iterable.
    if (holder && (ts.isForOfStatement(holder) || ts.isForInStatement(holder)) && holder.initializer === list) {
      if (ts.isForInStatement(holder)) return undefined;
      return this.byPath(elementOf(this.valueOf(holder.expression)), path, sf, d);
    }
    if (d.initializer) {
      const v = this.valueOf(d.initializer);
      if (v) return this.byPath(v, path, sf, d);
    }
    if (d.type && path.length === 0) return this.typeValue(d.type, sf);
    return undefined;
  }

  private paramValue(p: ts.ParameterDeclaration, path: string[], sf: ts.SourceFile): Value | undefined {
    let v: Value | undefined;
    for (const dec of ts.canHaveDecorators(p) ? (ts.getDecorators(p) ?? []) : []) {
      v = this.decoratorValue(dec, sf);
      if (v) break;
    }
    if (!v && p.type) v = this.typeValue(p.type, sf);
    if (!v) v = this.callbackParamValue(p, sf);
    return path.length ? this.byPath(v, path, sf, p) : v;
  }

  /** Untyped callback parameters: `rows.map(row => …)`, `prisma.$transaction(tx => …)`. */
  private callbackParamValue(p: ts.ParameterDeclaration, sf: ts.SourceFile): Value | undefined {
    const fn = p.parent;
    if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
    const call = fn.parent;
    if (!call || !ts.isCallExpression(call)) return undefined;
    const argIndex = call.arguments.indexOf(fn as ts.Expression);
    const paramIndex = fn.parameters.indexOf(p);
    if (argIndex < 0) return undefined;
    const callee = unwrap(call.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const recv = this.valueOf(callee.expression);
      if (!recv) return undefined;
      if (ITERATION_METHODS.has(callee.name.text) && argIndex === 0) {
        const elIndex = callee.name.text.startsWith('reduce') ? 1 : 0;
        return paramIndex === elIndex ? elementOf(recv) : undefined;
      }
      const orm = ormOf(recv);
      const adapter = orm ? adapterFor(orm) : undefined;
      return adapter?.paramValue?.(recv, { kind: 'call', name: callee.name.text, args: call.arguments, node: call }, argIndex, paramIndex, this.ctx(sf));
    }
    const recv = this.valueOf(callee);
    const orm = recv ? ormOf(recv) : undefined;
    const adapter = orm ? adapterFor(orm) : undefined;
    return recv && adapter?.paramValue?.(recv, { kind: 'call', name: undefined, args: call.arguments, node: call }, argIndex, paramIndex, this.ctx(sf));
  }

  private decoratorValue(dec: ts.Decorator, sf: ts.SourceFile): Value | undefined {
    const e = dec.expression;
    const callee = ts.isCallExpression(e) ? e.expression : e;
    const v = this.valueOf(callee);
    if (v?.kind !== 'orm-export') return undefined;
    return adapterFor(v.orm)?.decoratorValue?.(v, ts.isCallExpression(e) ? e.arguments : [], this.ctx(sf));
  }

  typeValue(t: ts.TypeNode, sf: ts.SourceFile): Value | undefined {
    // `Post[]` / `Array<Post>` of an entity or model: rows, so loops over them yield rows.
    const el = ts.isArrayTypeNode(t) ? t.elementType : ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && /^(Array|ReadonlyArray)$/.test(t.typeName.text) ? t.typeArguments?.[0] : undefined;
    if (el) {
      const v = this.typeValue(el, sf);
      const row = v?.kind === 'row' ? v : v?.kind === 'instance' && v.orm?.kind === 'row' ? v.orm : undefined;
      return row ? { kind: 'rows', orm: row.orm, entity: row.entity, list: true } : undefined;
    }
    if (ts.isUnionTypeNode(t)) {
      for (const m of t.types) {
        const v = this.typeValue(m, sf);
        if (v) return v;
      }
      return undefined;
    }
    if (!ts.isTypeReferenceNode(t)) return undefined;
    const tn = t.typeName;
    const left = ts.isIdentifier(tn) ? tn : leftmost(tn);
    const b = resolveName(left.text, t);
    let base: Value | undefined;
    if (b?.kind === 'import') base = this.moduleValue(sf.fileName, b.module, b.imported);
    else if (b?.kind === 'class') base = this.classValue(b.decl);
    if (!base) return undefined;
    if (base.kind === 'namespace' && ts.isQualifiedName(tn)) base = this.exportValue(base.file, tn.right.text);
    if (base?.kind === 'orm-export') {
      const name = ts.isIdentifier(tn) ? base.name : `${base.name}.${tn.right.text}`;
      return adapterFor(base.orm)?.typeValue?.({ ...base, name }, t.typeArguments ?? [], this.ctx(sf));
    }
    if (base?.kind === 'class') return this.instanceOf(base);
    return undefined;
  }

  moduleValue(fromFile: string, specifier: string, imported: string): Value | undefined {
    const adapter = adapterForModule(specifier);
    if (adapter) {
      if (adapter.importValue) return adapter.importValue(specifier, imported);
      return { kind: 'orm-export', orm: adapter.id, module: specifier, name: imported };
    }
    const target = this.files.resolveModule(fromFile, specifier);
    if (!target) return undefined;
    if (imported === '*') return { kind: 'namespace', file: target };
    return this.exportValue(target, imported);
  }

  private exportTable(file: string) {
    let t = this.exportTables.get(file);
    if (t) return t;
    t = new Map() as Map<string, ts.Node | { reexport: string; name: string }> & { stars?: string[] };
    this.exportTables.set(file, t);
    const sf = this.files.sourceFile(file);
    if (!sf) return t;
    const isExported = (s: ts.Node) => ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = (s: ts.Node) => ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    for (const s of sf.statements) {
      if (ts.isVariableStatement(s) && isExported(s)) {
        for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) t.set(d.name.text, d.name);
      } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && isExported(s)) {
        if (isDefault(s)) t.set('default', s);
        if (s.name) t.set(s.name.text, s);
      } else if (ts.isExportAssignment(s)) {
        t.set('default', s.expression);
      } else if (ts.isExportDeclaration(s)) {
        const from = s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : undefined;
        if (!s.exportClause) {
          if (from) (t.stars ??= []).push(from);
        } else if (ts.isNamedExports(s.exportClause)) {
          for (const el of s.exportClause.elements) {
            const local = (el.propertyName ?? el.name).text;
            t.set(el.name.text, from ? { reexport: from, name: local } : el.propertyName ?? el.name);
          }
        } else if (from) {
          t.set(s.exportClause.name.text, { reexport: from, name: '*' });
        }
      } else if (ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        // CommonJS: module.exports = x; module.exports.x = …; exports.x = …
        const lhs = s.expression.left;
        const rhs = s.expression.right;
        const lt = lhs.getText(sf);
        if (lt === 'module.exports') {
          t.set('default', rhs);
          const obj = unwrap(rhs);
          if (ts.isObjectLiteralExpression(obj)) {
            for (const p of obj.properties) {
              if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) t.set(p.name.text, p.initializer);
              else if (ts.isShorthandPropertyAssignment(p)) t.set(p.name.text, p.name);
            }
          } else if (ts.isIdentifier(obj) || ts.isClassExpression(obj) || ts.isNewExpression(obj) || ts.isCallExpression(obj)) {
            (t as Map<string, unknown>).set('__cjsDefault', true);
          }
        } else if (ts.isPropertyAccessExpression(lhs) && (lt.startsWith('module.exports.') || lt.startsWith('exports.'))) {
          t.set(lhs.name.text, rhs);
        }
      }
    }
    return t;
  }

  exportValue(file: string, name: string, depth = 0): Value | undefined {
    if (depth > 8) return undefined;
    const ormFree = this.files.ormFree?.(file) ?? false;
    const t = this.exportTable(file);
    const entry = t.get(name);
    // An ORM-free module can still hold SQL text (`export const LIST = 'SELECT …'`), nothing else we use.
    if (ormFree) {
      const d = entry && !('reexport' in entry) ? (entry as ts.Node).parent : undefined;
      const init = d && ts.isVariableDeclaration(d) ? d.initializer && unwrap(d.initializer) : undefined;
      return init && (ts.isStringLiteralLike(init) || ts.isTemplateExpression(init) || ts.isBinaryExpression(init)) ? this.valueOf(init) : undefined;
    }
    if (entry && 'reexport' in entry) {
      const target = this.files.resolveModule(file, entry.reexport);
      if (!target) return this.moduleValue(file, entry.reexport, entry.name);
      return entry.name === '*' ? { kind: 'namespace', file: target } : this.exportValue(target, entry.name, depth + 1);
    }
    if (entry) {
      const node = entry as ts.Node;
      if (ts.isFunctionDeclaration(node)) return { kind: 'function', file, decl: node };
      if (ts.isClassDeclaration(node)) return this.classValue(node);
      return this.valueOf(node);
    }
    // CommonJS `module.exports = db` imported by name: look inside the default value.
    if (name !== 'default' && (t as Map<string, unknown>).get('__cjsDefault')) {
      const d = this.exportValue(file, 'default', depth + 1);
      const sf = this.files.sourceFile(file);
      if (d && sf) return this.step(d, { kind: 'prop', name, node: sf as unknown as ts.PropertyAccessExpression }, sf);
    }
    for (const star of t.stars ?? []) {
      const target = this.files.resolveModule(file, star);
      const v = target ? this.exportValue(target, name, depth + 1) : undefined;
      if (v) return v;
    }
    return undefined;
  }

  /**
   * A container filled later but typed up front — `export const DI = {} as { em: EntityManager }`
   * (MikroORM's Express example): the member's declared type says what it is.
   */
  private declaredMember(obj: ts.ObjectLiteralExpression, name: string): Value | undefined {
    const sf = obj.getSourceFile();
    let holder: ts.Node = obj.parent;
    while (ts.isParenthesizedExpression(holder)) holder = holder.parent;
    const type = ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder) ? holder.type : ts.isVariableDeclaration(holder) ? holder.type : undefined;
    if (!type || !ts.isTypeLiteralNode(type)) return undefined;
    for (const m of type.members) {
      if (ts.isPropertySignature(m) && m.type && m.name.getText(sf) === name) return this.typeValue(m.type, sf);
    }
    return undefined;
  }

  /** The value `new C()` gives: an instance we can resolve methods on, maybe an ORM receiver. */
  instanceOf(c: Extract<Value, { kind: 'class' }>): Value {
    return { kind: 'instance', file: c.file, decl: c.decl, orm: c.instance };
  }

  classValue(decl: ts.ClassLikeDeclaration): Extract<Value, { kind: 'class' }> {
    const m = this.memo.get(decl);
    if (m && m !== PENDING && m.kind === 'class') return m;
    const sf = this.sfOf(decl);
    const name = decl.name?.text ?? 'anonymous';
    const out: Extract<Value, { kind: 'class' }> = { kind: 'class', file: sf.fileName, name, decl };
    this.memo.set(decl, out);
    const ext = decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const base = ext ? this.valueOf(ext.expression) : undefined;
    const decorators: ClassInput['decorators'] = [];
    for (const dec of ts.canHaveDecorators(decl) ? (ts.getDecorators(decl) ?? []) : []) {
      const e = dec.expression;
      const v = this.valueOf(ts.isCallExpression(e) ? e.expression : e);
      if (v?.kind === 'orm-export') decorators.push({ value: v, args: ts.isCallExpression(e) ? e.arguments : [] });
    }
    if (base?.kind === 'class') {
      out.static = base.static;
      out.instance = base.instance;
    }
    const input: ClassInput = { decl, name, base, baseTypeArgs: ext?.typeArguments ?? [], decorators };
    const orms = new Set<OrmId>();
    if (base?.kind === 'orm-export') orms.add(base.orm);
    for (const d of decorators) orms.add(d.value.orm);
    for (const orm of orms) {
      const r = adapterFor(orm)?.classValue?.(input, this.ctx(sf));
      if (r) {
        out.static = r.static ?? out.static;
        out.instance = r.instance ?? out.instance;
        break;
      }
    }
    return out;
  }

  /** A method, property or constructor parameter property of a project class (and its bases). */
  private member(decl: ts.ClassLikeDeclaration, name: string, isStatic: boolean, depth = 0): Value | undefined {
    // Most `this.x` / `obj.m()` lookups miss: answer those from a per-class name table.
    if (!memberNames(decl).has(name)) {
      const ext = decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      if (!ext || depth >= 4) return undefined;
      const base = this.valueOf(ext.expression);
      return base?.kind === 'class' ? this.member(base.decl, name, isStatic, depth + 1) : undefined;
    }
    const sf = this.sfOf(decl);
    for (const m of decl.members) {
      const mName = m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) || ts.isPrivateIdentifier(m.name)) ? m.name.text : undefined;
      const mStatic = ts.canHaveModifiers(m) && (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
      if (ts.isConstructorDeclaration(m) && !isStatic) {
        for (const p of m.parameters) {
          const isProp = (ts.getModifiers(p) ?? []).some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.PublicKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword || x.kind === ts.SyntaxKind.ReadonlyKeyword);
          if (isProp && ts.isIdentifier(p.name) && p.name.text === name) return this.paramValue(p, [], sf);
        }
        continue;
      }
      if (mName !== name || mStatic !== isStatic) continue;
      if (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m)) return { kind: 'function', file: sf.fileName, decl: m };
      if (ts.isPropertyDeclaration(m)) {
        for (const dec of ts.getDecorators(m) ?? []) {
          const v = this.decoratorValue(dec, sf);
          if (v) return v;
        }
        if (m.initializer) {
          const v = this.valueOf(m.initializer);
          if (v) return v;
        }
        return m.type ? this.typeValue(m.type, sf) : undefined;
      }
    }
    // Assigned in the constructor: this.repo = dataSource.getRepository(User)
    if (!isStatic) {
      const ctor = decl.members.find(ts.isConstructorDeclaration);
      for (const s of ctor?.body?.statements ?? []) {
        if (!ts.isExpressionStatement(s) || !ts.isBinaryExpression(s.expression) || s.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
        const l = s.expression.left;
        if (ts.isPropertyAccessExpression(l) && l.expression.kind === ts.SyntaxKind.ThisKeyword && l.name.text === name) return this.valueOf(s.expression.right);
      }
    }
    const ext = decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (ext && depth < 4) {
      const base = this.valueOf(ext.expression);
      if (base?.kind === 'class') return this.member(base.decl, name, isStatic, depth + 1);
    }
    return undefined;
  }

  private returnValue(fn: ts.FunctionLikeDeclaration): Value | undefined {
    const body = fn.body;
    if (!body) return undefined;
    if (!ts.isBlock(body)) return this.valueOf(body);
    let found: ts.Expression | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isReturnStatement(n) && n.expression) {
        found = n.expression;
        return;
      }
      if (ts.isFunctionLike(n)) return;
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
    return found ? this.valueOf(found) : undefined;
  }
}

const memberTables = new WeakMap<ts.ClassLikeDeclaration, Set<string>>();

/** Names a class declares: members, parameter properties and `this.x =` in the constructor. */
function memberNames(decl: ts.ClassLikeDeclaration): Set<string> {
  let t = memberTables.get(decl);
  if (t) return t;
  t = new Set();
  for (const m of decl.members) {
    if (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) || ts.isPrivateIdentifier(m.name))) t.add(m.name.text);
    if (ts.isConstructorDeclaration(m)) {
      for (const p of m.parameters) if (ts.isIdentifier(p.name)) t.add(p.name.text);
      for (const s of m.body?.statements ?? []) {
        if (ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && ts.isPropertyAccessExpression(s.expression.left)) t.add(s.expression.left.name.text);
      }
    }
  }
  memberTables.set(decl, t);
  return t;
}

export function rowsOf(q: QueryFacts): Value {
  return { kind: 'rows', orm: q.orm, entity: q.entity, list: q.list, query: q };
}

/** The element type of an iterable value: rows give a row. */
export function elementOf(v: Value | undefined): Value | undefined {
  if (!v) return undefined;
  if (v.kind === 'rows' && v.list) return { kind: 'row', orm: v.orm, entity: v.entity };
  // `for await (const doc of Model.find().cursor())`: iterating a read query yields rows.
  if (v.kind === 'query' && v.query.op === 'read' && v.query.list) return { kind: 'row', orm: v.query.orm, entity: v.query.entity };
  return undefined;
}

export function ormOf(v: Value): OrmId | undefined {
  switch (v.kind) {
    case 'orm-export':
    case 'receiver':
    case 'rows':
    case 'row':
      return v.orm;
    case 'query':
      return v.query.orm;
    case 'instance':
      return v.orm ? ormOf(v.orm) : undefined;
    default:
      return undefined;
  }
}

function leftmost(q: ts.QualifiedName): ts.Identifier {
  let cur: ts.EntityName = q;
  while (ts.isQualifiedName(cur)) cur = cur.left;
  return cur;
}
