// `perf-insights analyze [paths…]`: discover files, run the engine, print text/JSON/SARIF,
// and turn the findings into an exit code a CI job can gate on.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { RULE_IDS, type AnalysisConfig, type Finding, type RuleId } from '../analysis/types.js';
import type { CliContext } from './context.js';
import { UsageError } from './context.js';
import { loadEngine, type CliEngine } from './engine.js';
import { formatJson } from './format-json.js';
import { formatSarif } from './format-sarif.js';
import { formatText } from './format-text.js';
import { compareFindings, type AnalysisReport, type FileProblem } from './report.js';
import { Progress } from './progress.js';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export const FAIL_ON = ['error', 'warning', 'never'] as const;

export interface AnalyzeOptions {
  paths: string[];
  format: (typeof FORMATS)[number];
  failOn: (typeof FAIL_ON)[number];
  rules?: string;
  config?: string;
  progress: boolean;
}

export function registerAnalyzeCommand(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
  program
    .command('analyze')
    .description('find N+1 queries, missing pagination, unbounded selects and row-by-row writes')
    .argument('[paths...]', 'files or folders to analyse (default: the current folder)')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit with 1 when a finding has at least this severity').choices(FAIL_ON).default('error'))
    .option('--rules <ids>', `comma-separated rule ids to run (${RULE_IDS.join(', ')})`)
    .option('--config <file>', 'config file (default: .perf-insights.json in the analysed folder)')
    .option('--no-progress', 'never print progress on stderr')
    .action(async (paths: string[], opts: Omit<AnalyzeOptions, 'paths'>) => {
      setExitCode(await runAnalyze({ ...opts, paths }, ctx));
    });
}

/** Runs one analysis and writes the report; returns the exit code (0 ok, 1 findings at --fail-on). */
export async function runAnalyze(opts: AnalyzeOptions, ctx: CliContext, engine?: CliEngine): Promise<number> {
  const started = performance.now();
  const onlyRules = parseRuleList(opts.rules);
  const targets = resolveTargets(opts.paths, ctx.cwd);
  const root = targets.length === 1 && targets[0].isDir ? targets[0].path : ctx.cwd;
  const eng = engine ?? (await loadEngine());

  const configFile = opts.config ? resolve(ctx.cwd, opts.config) : undefined;
  if (configFile && !existsSync(configFile)) throw new UsageError(`config file not found: ${configFile}`);
  let config: AnalysisConfig;
  try {
    config = structuredClone(await eng.loadConfig(root, configFile));
  } catch (err) {
    throw new UsageError(`invalid configuration: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (onlyRules) for (const id of RULE_IDS) config.rules[id] = { ...config.rules[id], enabled: onlyRules.includes(id) };

  const files: string[] = [];
  for (const t of targets) {
    if (t.isDir) files.push(...(await eng.discoverFiles(t.path, config)));
    else files.push(t.path);
  }
  const unique = [...new Set(files)];

  const progress = new Progress(ctx.stderr, opts.progress, unique.length);
  const project = await eng.createProject(root, config);
  // Adding in batches keeps the progress line moving while the engine parses.
  for (let i = 0; i < unique.length; i += 200) {
    project.addFiles(unique.slice(i, i + 200));
    progress.update('loading', Math.min(i + 200, unique.length));
  }
  const findings: Finding[] = [];
  const failures: FileProblem[] = [];
  unique.forEach((file, i) => {
    try {
      findings.push(...project.analyzeFile(file));
    } catch (err) {
      // One file the engine chokes on must not end the run: report it and go on.
      failures.push({ file, message: `analysis failed: ${err instanceof Error ? err.message : String(err)}` });
    }
    progress.update('analysing', i + 1);
  });
  progress.done();

  const enabled = new Set(RULE_IDS.filter((id) => config.rules[id]?.enabled !== false));
  const report: AnalysisReport = {
    root,
    files: unique.length,
    durationMs: performance.now() - started,
    findings: findings.filter((f) => enabled.has(f.rule)).sort(compareFindings),
    parseErrors: [...project.parseErrors(), ...failures],
    rules: eng.rules.filter((r) => enabled.has(r.id as RuleId)),
    toolVersion: ctx.version,
  };
  ctx.stdout.write(render(report, opts.format, ctx));
  return exitCodeFor(report.findings, opts.failOn);
}

function render(report: AnalysisReport, format: AnalyzeOptions['format'], ctx: CliContext): string {
  if (format === 'json') return formatJson(report);
  if (format === 'sarif') return formatSarif(report, { packageRoot: ctx.packageRoot, docsBaseUrl: ctx.env.PERF_INSIGHTS_DOCS_URL || ctx.docsBaseUrl });
  return formatText(report, { color: ctx.stdoutIsTTY && !ctx.env.NO_COLOR && ctx.env.TERM !== 'dumb' });
}

export function exitCodeFor(findings: readonly Finding[], failOn: AnalyzeOptions['failOn']): number {
  if (failOn === 'never') return 0;
  const hit = findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
  return hit ? 1 : 0;
}

function parseRuleList(value: string | undefined): RuleId[] | undefined {
  if (value === undefined) return undefined;
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new UsageError(`--rules needs at least one rule id (${RULE_IDS.join(', ')})`);
  const unknown = ids.filter((id) => !(RULE_IDS as readonly string[]).includes(id));
  if (unknown.length) throw new UsageError(`unknown rule id${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}; known rules: ${RULE_IDS.join(', ')}`);
  return ids as RuleId[];
}

interface Target {
  path: string;
  isDir: boolean;
}

function resolveTargets(paths: string[], cwd: string): Target[] {
  const list = paths.length ? paths : ['.'];
  return list.map((p) => {
    const abs = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
    return { path: abs, isDir };
  });
}
