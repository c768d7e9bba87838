// The long-lived project host: one ts-morph Project (no lib files, no dependency resolution,
// so a checkout without node_modules works), lazy parsing, per-file facts cached until a file
// changes, and the rules run over each file's facts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { Project, ts } from 'ts-morph';
import type { AnalysisConfig, Finding } from './types';
import { Evaluator } from './evaluator';
import { CallGraph, MAX_CALL_DEPTH } from './call-graph';
import { walkFile, type FileFacts } from './walker';
import { applySql } from './sql-query';
import { initSql } from './sql/index';
import { RULE_LIST } from './rules/index';
import type { Draft, RuleContext } from './rules/types';
import { rangeOf } from './location';
import { isSuppressed, parseSuppressions } from './suppressions';
import { suppressionFix } from './fixes/suppress';
import { defaultConfig, loadConfig } from './config';

interface FileState {
  sf?: ts.SourceFile;
  text?: string;
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
  private readonly project = new Project({
    useInMemoryFileSystem: false,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    compilerOptions: { allowJs: true, noLib: true, noResolve: true, jsx: ts.JsxEmit.Preserve, target: ts.ScriptTarget.ES2022 },
  });
  private readonly states = new Map<string, FileState>();
  private readonly resolveCache = new Map<string, string | null>();
  private readonly ev: Evaluator;
  private readonly graph: CallGraph;
  private facts = new Map<string, FileFacts>();
  private errors = new Map<string, string>();
  private importsCache = new Map<string, string[]>();

  private constructor(root: string, config: AnalysisConfig) {
    this.root = resolve(root);
    this.config = config;
    this.ev = new Evaluator({ sourceFile: (p) => this.sourceFile(p), resolveModule: (f, s) => this.resolveModule(f, s) });
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
    this.states.set(abs, { listed: true, text });
    this.parse(abs);
    if (!had) this.resolveCache.clear();
    this.importsCache.delete(abs);
    this.invalidate();
  }

  removeFile(path: string): void {
    const abs = resolve(this.root, path);
    const st = this.states.get(abs);
    if (st?.sf) {
      const tsm = this.project.getSourceFile(abs);
      if (tsm) this.project.removeSourceFile(tsm);
    }
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
      for (const target of this.importsOf(f)) {
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
      if (!sf || this.errors.has(abs)) return [];
      const facts = this.factsOf(abs);
      if (!facts) return [];
      return this.runRules(sf, facts);
    } catch (err) {
      this.errors.set(abs, `internal error while analysing: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    }
  }

  // ---- internals -------------------------------------------------------------------------

  private invalidate(): void {
    this.ev.reset();
    this.graph.reset();
    this.facts.clear();
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
    const wrapped = this.project.createSourceFile(abs, st.text, { overwrite: true, scriptKind: scriptKind(abs) });
    const sf = wrapped.compilerNode;
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
      const stripped = b.replace(/\.(m|c)?jsx?$/, '');
      const candidates = [b, ...RESOLVE_EXTS.map((e) => stripped + e), ...RESOLVE_EXTS.map((e) => join(b, `index${e}`))];
      found = candidates.find((c) => RESOLVE_EXTS.includes(extname(c)) && this.exists(c));
      if (found) break;
    }
    this.resolveCache.set(key, found ?? null);
    return found;
  }

  private importsOf(file: string): string[] {
    const cached = this.importsCache.get(file);
    if (cached) return cached;
    const sf = this.sourceFile(file);
    const out = new Set<string>();
    if (sf) {
      const add = (spec: string) => {
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
    const list = [...out];
    this.importsCache.set(file, list);
    return list;
  }

  private factsOf(abs: string): FileFacts | undefined {
    const hit = this.facts.get(abs);
    if (hit) return hit;
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
