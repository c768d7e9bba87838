// The `perf-insights` command line: `analyze` (the engine, no editor) and `kpis` (live
// platform metrics). Returns an exit code instead of exiting so tests can run it in process.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerAnalyzeCommand } from './analyze.js';
import { UsageError, type CliContext } from './context.js';
import { registerKpisCommand } from './kpis.js';

export async function main(argv: readonly string[], ctx: CliContext = processContext()): Promise<number> {
  let exitCode = 0;
  const program = new Command('perf-insights')
    .description('Performance insights for backend code and live platform KPIs')
    .version(ctx.version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) });
  registerAnalyzeCommand(program, ctx, (code) => (exitCode = code));
  registerKpisCommand(program, ctx, (code) => (exitCode = code));
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      ctx.stderr.write(`perf-insights: ${err.message}\n`);
      return 2;
    }
    ctx.stderr.write(`perf-insights: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 3;
  }
}

export function processContext(): CliContext {
  const packageRoot = findPackageRoot();
  const pkg = readPackageJson(packageRoot);
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTTY: !!process.stdout.isTTY,
    packageRoot,
    version: typeof pkg.version === 'string' ? pkg.version : '0.0.0',
    docsBaseUrl: docsBaseUrl(pkg),
  };
}

/** The folder of perf-insights' own package.json: above dist/ in the bundle, above src/cli from source. */
function findPackageRoot(): string {
  let dir = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && readPackageJson(dir).name === 'perf-insights') return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return process.cwd();
}

function readPackageJson(dir: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** `https://github.com/o/r` (from homepage or repository) -> `https://github.com/o/r/blob/main/`. */
function docsBaseUrl(pkg: Record<string, unknown>): string | undefined {
  const repo = pkg.repository;
  const url = typeof repo === 'string' ? repo : typeof repo === 'object' && repo ? (repo as { url?: string }).url : typeof pkg.homepage === 'string' ? pkg.homepage : undefined;
  const m = url && /github\.com[/:]([^/]+\/[^/.#]+)/.exec(url);
  return m ? `https://github.com/${m[1]}/blob/main/` : undefined;
}
