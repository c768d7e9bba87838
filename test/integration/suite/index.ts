// Entry of the integration suite. VS Code loads the bundle of this file
// (dist/test/integration/index.js) as `extensionTestsPath` and calls `run()` inside the real
// extension host, with the real `vscode` API, in code-server (test/integration/run.mjs) or in
// desktop VS Code (test/integration/electron.mjs).
//
// Test files import `describe`/`it`/hooks from 'mocha' and are listed in `testFiles` below:
// the suite is one esbuild bundle, so files cannot be discovered at run time, and a file that
// is not listed would silently never run — `run()` therefore fails when a *.test.ts in this
// folder is missing from the list.
import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Mocha from 'mocha';
import { mapStack } from './source-stack';

/** Every test file of the suite, loaded after mocha has set up its `describe`/`it`. */
const testFiles: Record<string, () => Promise<unknown>> = {
  'smoke.test.ts': () => import('./smoke.test'),
  'editor.test.ts': () => import('./editor.test'),
};

/** Environment the runners set (both optional, so the suite also runs from a plain launch config). */
const RESULTS_FILE = process.env.PERF_INSIGHTS_TEST_RESULTS;
const GREP = process.env.PERF_INSIGHTS_TEST_GREP;

/** One JSON object per line, appended as tests finish, so a runner can show progress even after a hang. */
export type ResultLine =
  | { event: 'start'; pass: string; vscode: string; trusted: boolean; files: string[] }
  | { event: 'pass'; title: string; durationMs: number }
  | { event: 'fail'; title: string; error: string }
  | { event: 'pending'; title: string }
  | { event: 'end'; passed: number; failed: number; pending: number };

function emit(line: ResultLine): void {
  if (RESULTS_FILE) appendFileSync(RESULTS_FILE, `${JSON.stringify(line)}\n`);
}

/** Reporter: prints a line per test (shows up in the extension host log) and writes ResultLines. */
class ResultReporter {
  constructor(runner: Mocha.Runner) {
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    runner.on(EVENT_TEST_PASS, (test) => {
      console.log(`  ✓ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
      emit({ event: 'pass', title: test.fullTitle(), durationMs: test.duration ?? 0 });
    });
    runner.on(EVENT_TEST_FAIL, (test, err: Error) => {
      const error = readableStack(err);
      console.log(`  ✗ ${test.fullTitle()}\n${indent(error)}`);
      emit({ event: 'fail', title: test.fullTitle(), error });
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      console.log(`  - ${test.fullTitle()} (skipped)`);
      emit({ event: 'pending', title: test.fullTitle() });
    });
  }
}

/** The failure's stack in source positions, without mocha's and Node's own frames. */
function readableStack(err: unknown): string {
  const raw = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return mapStack(raw, repoRoot())
    .split('\n')
    .filter((l) => !/^\s*at .*(node_modules[\\/]mocha[\\/]|node:internal)/.test(l))
    .join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

/** The repository (the extension under development), found from the bundle in dist/test/integration/. */
function repoRoot(): string {
  return resolve(__dirname, '..', '..', '..');
}

/** The source folder of this file. */
function sourceDir(): string {
  return join(repoRoot(), 'test', 'integration', 'suite');
}

function unlistedTestFiles(): string[] {
  const dir = sourceDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.test.ts') && !(f in testFiles));
}

export async function run(): Promise<void> {
  const vscode = await import('vscode');
  const pass = process.env.PERF_INSIGHTS_TEST_PASS ?? (vscode.workspace.isTrusted ? 'trusted' : 'untrusted');
  emit({ event: 'start', pass, vscode: vscode.version, trusted: vscode.workspace.isTrusted, files: Object.keys(testFiles) });

  const unlisted = unlistedTestFiles();
  if (unlisted.length) {
    const message = `test files not listed in test/integration/suite/index.ts: ${unlisted.join(', ')}`;
    emit({ event: 'fail', title: 'suite registry', error: message });
    emit({ event: 'end', passed: 0, failed: 1, pending: 0 });
    throw new Error(message);
  }

  const mocha = new Mocha({ ui: 'bdd', reporter: ResultReporter as unknown as Mocha.ReporterConstructor, timeout: 30_000, color: false });
  if (GREP) mocha.grep(GREP);
  // What `mocha.loadFiles` would do for each file: give the test files mocha's `describe`/`it`.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, join(sourceDir(), 'index.ts'), mocha);
  for (const load of Object.values(testFiles)) await load();

  const stats = await new Promise<Mocha.Stats>((done) => {
    const runner = mocha.run(() => done(runner.stats ?? ({} as Mocha.Stats)));
  });
  const passed = stats.passes ?? 0;
  const failed = stats.failures ?? 0;
  const pending = stats.pending ?? 0;
  emit({ event: 'end', passed, failed, pending });
  console.log(`${passed} passed, ${failed} failed, ${pending} skipped`);
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
  // A suite that ran nothing proves nothing: treat it as a failure.
  if (passed === 0) throw new Error('the integration suite ran no test');
}
