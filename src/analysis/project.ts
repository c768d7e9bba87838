// The long-lived project host: lazy parsing with the TypeScript compiler that ts-morph bundles,
// per-file facts cached until a file changes, and the rules run over each file's facts.
// Why raw `ts.createSourceFile` and not `project.createSourceFile`: the engine only reads compiler
// nodes, and ts-morph's wrapper (node cache, comment nodes, directory tree) measured at ~1.6× the
// bare parse on the 2,466-file bench corpus — over the ≤ 1.5× budget before any rule ran. No lib
// files, no module resolution, no type checker: a checkout without node_modules works.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { ts } from 'ts-morph';
import { adapterForModule } from './orms/index';
import type { AnalysisConfig, Finding } from './types';
import { Evaluator } from './evaluator';
import { CallGraph, MAX_CALL_DEPTH } from './call-graph';
import { walkFile, type FileFacts } from './walker';
import { applySql } from './sql-query';
import { initSql } from './sql/index';
import { RULE_LIST } from './rules/index';
import type { Draft, RuleContext } from './rules/support/types';
import { rangeOf } from './location';
import { isSuppressed, parseSuppressions } from './suppressions';
import { suppressionFix } from './fixes/suppress';
import { defaultConfig, loadConfig } from './config';

interface FileState {
  sf?: ts.SourceFile;
  text?: string;
  /** Text came from the editor (may differ from disk): never drop it. */
  buffer?: boolean;
  listed: boolean;
  parseError?: string;
}

const RESOLVE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

function scriptKind(path: string): ts.ScriptKind {
  switch (extname(path)) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.js':
    case '.jsx':
    case '.mjs':
    case '.cjs':
      return ts.ScriptKind.JSX;
    default:
      return ts.ScriptKind.TS;
  }
}

function mergePartial(base: AnalysisConfig, over: Partial<AnalysisConfig>): AnalysisConfig {
  return {
    rules: { ...base.rules, ...(over.rules ?? {}) },
    pageSize: over.pageSize ?? base.pageSize,
    include: over.include ?? base.include,
    exclude: over.exclude ?? base.exclude,
  };
}

export class AnalysisProject {
  readonly root: string;
  readonly config: AnalysisConfig;
  private readonly states = new Map<string, FileState>();
  private readonly resolveCache = new Map<string, string | null>();
  private readonly ev: Evaluator;
  private readonly graph: CallGraph;
  private facts = new Map<string, FileFacts>();
  private errors = new Map<string, string>();
  private importsCache = new Map<string, { targets: string[]; orm: boolean }>();
  /** Can an ORM value reach this file through its imports? (cleared with the other derived data) */
  private ormReach = new Map<string, boolean>();

  private constructor(root: string, config: AnalysisConfig) {
    this.root = resolve(root);
    this.config = config;
    this.ev = new Evaluator({ sourceFile: (p) => this.sourceFile(p), resolveModule: (f, s) => this.resolveModule(f, s), ormFree: (p) => !this.reachesOrm(p) });
    this.graph = new CallGraph(this.ev, (f) => this.factsOf(f));
  }

  /** Loads the SQL parser once. Without `config`, reads `<root>/.perf-insights.json` (throws on a bad file). */
  static async create(opts: { root: string; config?: Partial<AnalysisConfig> }): Promise<AnalysisProject> {
    await initSql();
    const config = opts.config ? mergePartial(defaultConfig(), opts.config) : loadConfig(opts.root);
    return new AnalysisProject(opts.root, config);
  }

  addFiles(paths: string[]): void {
    for (const p of paths) {
      const abs = resolve(this.root, p);
      const st = this.states.get(abs);
      if (st) st.listed = true;
      else this.states.set(abs, { listed: true });
    }
    this.resolveCache.clear();
    this.invalidate();
  }

  updateFile(path: string, text: string): void {
    const abs = resolve(this.root, path);
    const had = this.states.has(abs);
    const before = this.importsCache.get(abs);
    this.states.set(abs, { listed: true, text, buffer: true });
    this.parse(abs);
    if (!had) this.resolveCache.clear();
    this.importsCache.delete(abs);
    // Typing inside a function leaves the imports alone: keep the ORM reachability then.
    const after = this.importsOf(abs);
    const sameImports = !!before && had && before.orm === after.orm && before.targets.join('\0') === after.targets.join('\0');
    this.invalidate(sameImports);
  }

  removeFile(path: string): void {
    const abs = resolve(this.root, path);
    this.states.delete(abs);
    this.errors.delete(abs);
    this.importsCache.delete(abs);
    this.resolveCache.clear();
    this.invalidate();
  }

  files(): string[] {
    return [...this.states.entries()].filter(([, s]) => s.listed).map(([p]) => p).sort();
  }

  parseErrors(): { file: string; message: string }[] {
    return [...this.errors.entries()].map(([file, message]) => ({ file, message }));
  }

  /** Files whose findings can change when `path` changes: importers, up to the call-chain depth. */
  dependents(path: string): string[] {
    const abs = resolve(this.root, path);
    const reverse = new Map<string, string[]>();
    for (const f of this.files()) {
      for (const target of this.importsOf(f).targets) {
        const list = reverse.get(target) ?? [];
        list.push(f);
        reverse.set(target, list);
      }
    }
    const seen = new Set<string>([abs]);
    let frontier = [abs];
    for (let depth = 0; depth < MAX_CALL_DEPTH && frontier.length; depth++) {
      const next: string[] = [];
      for (const f of frontier) for (const imp of reverse.get(f) ?? []) if (!seen.has(imp)) (seen.add(imp), next.push(imp));
      frontier = next;
    }
    seen.delete(abs);
    return [...seen].sort();
  }

  analyzeFile(path: string): Finding[] {
    const abs = resolve(this.root, path);
    try {
      const sf = this.sourceFile(abs);
      if (!sf || this.states.get(abs)?.parseError) return [];
      if (this.errors.get(abs)?.startsWith('internal error')) this.errors.delete(abs);
      if (!this.reachesOrm(abs)) {
        // No ORM can reach this file: nobody will need its AST (it is re-parsed if that changes).
        // Dropping it keeps a 10,000-file workspace from holding every tree in memory.
        const st = this.states.get(abs)!;
        st.sf = undefined;
        if (!st.buffer) st.text = undefined;
        return [];
      }
      const facts = this.factsOf(abs);
      if (!facts) return [];
      return this.runRules(sf, facts);
    } catch (err) {
      this.errors.set(abs, `internal error while analysing: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    }
  }

  // ---- internals -------------------------------------------------------------------------

  private invalidate(keepReach = false): void {
    this.ev.reset();
    this.graph.reset();
    this.facts.clear();
    if (!keepReach) this.ormReach.clear();
  }

  private parse(abs: string): ts.SourceFile | undefined {
    const st = this.states.get(abs);
    if (!st) return undefined;
    if (st.text === undefined) {
      try {
        st.text = readFileSync(abs, 'utf8');
      } catch (err) {
        this.errors.set(abs, `cannot read file: ${(err as Error).message}`);
        return undefined;
      }
    }
    const sf = ts.createSourceFile(abs, st.text, ts.ScriptTarget.Latest, true, scriptKind(abs));
    st.sf = sf;
    // Only the parser's own diagnostics: no binding or type checking.
    const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    if (diags.length) {
      const d = diags[0]!;
      const pos = sf.getLineAndCharacterOfPosition(d.start);
      if (st.listed) this.errors.set(abs, `line ${pos.line + 1}, column ${pos.character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      st.parseError = 'syntax';
    } else {
      this.errors.delete(abs);
      st.parseError = undefined;
    }
    return sf;
  }

  private sourceFile(abs: string): ts.SourceFile | undefined {
    let st = this.states.get(abs);
    if (!st) {
      // Imported but not listed (outside the analyzed paths): read it for resolution only.
      if (!existsSync(abs)) return undefined;
      st = { listed: false };
      this.states.set(abs, st);
    }
    return st.sf ?? this.parse(abs);
  }

  private exists(p: string): boolean {
    if (this.states.has(p)) return true;
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  }

  private resolveModule(from: string, spec: string): string | undefined {
    let base: string[];
    if (spec.startsWith('.')) base = [resolve(dirname(from), spec)];
    else if (spec.startsWith('@/') || spec.startsWith('~/')) base = [join(this.root, spec.slice(2)), join(this.root, 'src', spec.slice(2))];
    else if (spec.startsWith('src/')) base = [join(this.root, spec)];
    else return undefined;
    const key = `${dirname(from)}\0${spec}`;
    const hit = this.resolveCache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    let found: string | undefined;
    for (const b of base) {
      found = this.candidate(b, (c) => this.states.has(c)) ?? this.candidate(b, (c) => this.exists(c));
      if (found) break;
    }
    this.resolveCache.set(key, found ?? null);
    return found;
  }

  /** `./x` -> ./x(.ts|.js…) or ./x/index(.ts|…); `./x.js` may be ./x.ts (TS ESM style). */
  private candidate(b: string, ok: (p: string) => boolean): string | undefined {
    if (RESOLVE_EXTS.includes(extname(b)) && ok(b)) return b;
    const stripped = b.replace(/\.(m|c)?jsx?$/, '');
    for (const e of RESOLVE_EXTS) if (ok(stripped + e)) return stripped + e;
    for (const e of RESOLVE_EXTS) if (ok(`${b}/index${e}`)) return `${b}/index${e}`;
    return undefined;
  }

  private importsOf(file: string): { targets: string[]; orm: boolean } {
    const cached = this.importsCache.get(file);
    if (cached) return cached;
    const sf = this.sourceFile(file);
    const out = new Set<string>();
    let orm = false;
    if (sf) {
      const add = (spec: string) => {
        if (!orm && adapterForModule(spec)) orm = true;
        const t = this.resolveModule(file, spec);
        if (t) out.add(t);
      };
      for (const s of sf.statements) {
        if ((ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)) add(s.moduleSpecifier.text);
      }
      if (sf.text.includes('require(')) {
        for (const m of sf.text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1]!);
      }
    }
    const entry = { targets: [...out], orm };
    this.importsCache.set(file, entry);
    return entry;
  }

  /**
   * True when the file or anything it imports (transitively) imports an ORM / driver module.
   * Receivers only come from such imports, so other files cannot hold queries: they are not
   * walked at all (most files of a big repo: UI, utilities, the ORM libraries' own sources).
   */
  private reachesOrm(file: string): boolean {
    const known = this.ormReach.get(file);
    if (known !== undefined) return known;
    const seen = new Set<string>([file]);
    const queue = [file];
    for (let i = 0; i < queue.length; i++) {
      const f = queue[i]!;
      const k = this.ormReach.get(f);
      if (k === true || this.importsOf(f).orm) {
        this.ormReach.set(file, true);
        return true;
      }
      if (k === false) continue;
      for (const t of this.importsOf(f).targets) if (!seen.has(t)) (seen.add(t), queue.push(t));
    }
    // The whole closure was explored without an ORM import: all of it is ORM-free.
    for (const f of seen) this.ormReach.set(f, false);
    return false;
  }

  private factsOf(abs: string): FileFacts | undefined {
    const hit = this.facts.get(abs);
    if (hit) return hit;
    // Files no ORM import reaches hold no queries (and call nothing that does): no facts.
    if (!this.reachesOrm(abs)) return undefined;
    const sf = this.sourceFile(abs);
    if (!sf) return undefined;
    const facts = walkFile(sf, this.ev);
    for (const site of facts.queries) if (site.q.sql) applySql(site.q, this.ev);
    this.facts.set(abs, facts);
    return facts;
  }

  private runRules(sf: ts.SourceFile, facts: FileFacts): Finding[] {
    const findings: Finding[] = [];
    if (facts.queries.length === 0 && !facts.calls.some((c) => c.loops.length || c.fn.owner.queries.length)) return findings;
    const suppressions = parseSuppressions(sf.text);
    const file = sf.fileName;
    const seen = new Set<string>();
    for (const rule of RULE_LIST) {
      const setting = this.config.rules[rule.meta.id];
      if (!setting?.enabled) continue;
      const ctx: RuleContext = {
        file,
        sf,
        facts,
        config: this.config,
        setting,
        graph: this.graph,
        ev: this.ev,
        adapterCtx: this.ev.ctx(sf),
        report: (d: Draft) => {
          const range = rangeOf(sf, d.node, file);
          if (isSuppressed(suppressions, rule.meta.id, range.line)) return;
          const key = `${rule.meta.id}:${range.line}:${range.column}:${d.messageId}`;
          if (seen.has(key)) return;
          seen.add(key);
          const f: Finding = {
            rule: rule.meta.id,
            severity: d.severity ?? setting.severity,
            ...range,
            messageId: d.messageId,
            message: d.message,
            orm: d.orm,
            related: d.related ?? [],
            fixes: [...(d.fixes ?? [])],
          };
          if (d.sqlFingerprint) f.sqlFingerprint = d.sqlFingerprint;
          f.fixes.push(suppressionFix(f, sf.text));
          findings.push(f);
        },
      };
      rule.check(ctx);
    }
    return findings.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
  }
}
