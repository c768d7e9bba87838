#!/usr/bin/env node
// Runs the integration suite (test/integration/suite/) inside a real VS Code: code-server
// 4.100.3 (VS Code 1.100.3) opened in headless Chromium with the URL payload
// `extensionDevelopmentPath` + `extensionTestsPath`. The suite's `run()` executes in the real
// Node extension host; the page reports its end through `window.codeAutomationExit(code)`.
//
// Three passes, each with a fresh server, profile and copy of its workspace:
//   trusted    the suite; workspace trust off, everything enabled
//   untrusted  the suite; workspace trust on and the folder not trusted (restricted mode)
//   packaged   the .vsix installed with --install-extension shows the CLI's findings of
//              samples/demo-workspace in the Problems panel (packaged.mjs)
// Suite tests see their pass through `vscode.workspace.isTrusted` (and PERF_INSIGHTS_TEST_PASS).
//
// Usage: node test/integration/run.mjs [--pass trusted|untrusted|packaged] [--grep TEXT] [--no-build]
//        [--keep] (keep temp folders and print where)      env PERF_INSIGHTS_TEST_TIMEOUT_MS
// Exit code 0 only when every pass ran at least one test and none failed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureCodeServer, launchBrowser, startCodeServer } from '../support/code-server.mjs';
import { runPackagedPass } from './packaged.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suiteBundle = join(root, 'dist', 'test', 'integration', 'index.js');
const fixtureWorkspace = join(root, 'test', 'integration', 'workspace');

const { values: opts } = parseArgs({
  options: {
    pass: { type: 'string', multiple: true },
    grep: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const PASSES = {
  trusted: { 'security.workspace.trust.enabled': false },
  untrusted: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
  packaged: null,
};
// --grep selects suite tests; the packaged pass has none.
const passes = opts.pass?.length ? opts.pass : Object.keys(PASSES).filter((p) => !(opts.grep && p === 'packaged'));
for (const p of passes) if (!(p in PASSES)) fail(`unknown --pass ${p}; use ${Object.keys(PASSES).join(' or ')}`);
const timeoutMs = Number(process.env.PERF_INSIGHTS_TEST_TIMEOUT_MS || 240_000);
// Temp folders of passes still running: removed also when a signal ends the run mid-pass.
const liveTemps = new Set();
process.on('exit', () => {
  if (!opts.keep) for (const d of liveTemps) rmSync(d, { recursive: true, force: true });
});

function fail(message) {
  console.error(`integration: ${message}`);
  process.exit(2);
}

function phase(label, started) {
  console.log(`[integration] ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  let t = Date.now();
  await ensureCodeServer({ log: (m) => console.log(m) });
  phase('code-server ready', t);

  if (!opts['no-build']) {
    t = Date.now();
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (b.status !== 0) fail(`build failed (node esbuild.mjs exited ${b.status})`);
    phase('built', t);
  }
  if (!existsSync(suiteBundle)) fail(`${relative(root, suiteBundle)} is missing: the build did not produce the suite bundle`);

  const browser = await launchBrowser();
  const totals = { passed: 0, failed: 0, pending: 0 };
  try {
    for (const pass of passes) {
      const r = pass === 'packaged' ? await packagedPass(browser) : await runPass(browser, pass);
      totals.passed += r.passed;
      totals.failed += r.failed;
      totals.pending += r.pending;
    }
  } finally {
    await browser.close().catch(() => {});
  }
  console.log(`\nintegration: ${totals.passed} passed, ${totals.failed} failed${totals.pending ? `, ${totals.pending} skipped` : ''}`);
  process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
}

/** One fresh code-server + page running the whole suite; returns the counts it reported. */
async function runPass(browser, pass) {
  const started = Date.now();
  console.log(`\n=== pass: ${pass}`);
  const temp = mkdtempSync(join(tmpdir(), `pi-int-${pass}-`));
  liveTemps.add(temp);
  const workspace = join(temp, 'workspace');
  copyWorkspace(workspace);
  const resultsFile = join(temp, 'results.jsonl');
  writeFileSync(resultsFile, '');

  const server = await startCodeServer({
    workspace,
    userDataDir: join(temp, 'user-data'),
    extensionsDir: join(temp, 'extensions'),
    settings: PASSES[pass],
    env: {
      PERF_INSIGHTS_TEST_RESULTS: resultsFile,
      PERF_INSIGHTS_TEST_PASS: pass,
      ...(opts.grep ? { PERF_INSIGHTS_TEST_GREP: opts.grep } : {}),
    },
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleErrors = [];
  const hostLog = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));

  let exitCode;
  const exited = new Promise((ok) => {
    page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = code;
      ok(code);
    });
  });
  // The workbench forwards the extension host's console here while tests run.
  await page.exposeFunction('codeAutomationLog', (type, args) => hostLog.push(`[${type}] ${formatArgs(args)}`));

  const printer = progressPrinter(resultsFile);
  const url = server.workbenchUrl({ extensionDevelopmentPath: root, extensionTestsPath: suiteBundle });
  let outcome;
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const timer = new Promise((ok) => setTimeout(() => ok('timeout'), timeoutMs).unref());
    const watch = setInterval(printer.flush, 500);
    outcome = await Promise.race([exited, timer]);
    clearInterval(watch);
    printer.flush();
  } catch (e) {
    outcome = 'error';
    consoleErrors.push(`navigation: ${e.message}`);
  }

  const counts = printer.counts();
  const problems = [];
  if (outcome === 'timeout') problems.push(`the suite did not finish within ${timeoutMs / 1000} s (PERF_INSIGHTS_TEST_TIMEOUT_MS)`);
  else if (outcome === 'error') problems.push('the workbench page did not load');
  else if (!counts.end) problems.push(`the suite did not run to its end (exit code ${exitCode})`);
  if (counts.passed + counts.failed === 0) problems.push('no test ran');
  else if (outcome !== 'timeout' && outcome !== 'error' && exitCode !== 0 && counts.failed === 0) problems.push(`the suite exited with ${exitCode} without a failed test`);
  if (counts.start && counts.start.trusted !== (pass === 'trusted')) {
    problems.push(`the workspace is ${counts.start.trusted ? 'trusted' : 'untrusted'}, expected ${pass}`);
  }
  for (const p of problems) console.log(`  ✗ ${p}`);
  if (problems.length) {
    // Count a broken run as a failure even when no single test failed.
    counts.failed = Math.max(counts.failed, 1);
    printDiagnostics(server, consoleErrors, hostLog);
  } else if (counts.failed) {
    console.log('  (rerun with --keep to inspect the logs of this pass)');
  }
  await context.close().catch(() => {});
  await server.stop();
  if (opts.keep) console.log(`  kept ${temp}`);
  else rmSync(temp, { recursive: true, force: true });
  liveTemps.delete(temp);
  phase(`pass ${pass} (${counts.passed} passed, ${counts.failed} failed)`, started);
  return counts;
}

async function packagedPass(browser) {
  const started = Date.now();
  console.log('\n=== pass: packaged');
  const counts = await runPackagedPass(browser, { root, keep: opts.keep });
  phase(`pass packaged (${counts.passed} passed, ${counts.failed} failed)`, started);
  return counts;
}

/** Tests may edit files (quick fixes): they get a throw-away copy of the fixture workspace. */
function copyWorkspace(target) {
  if (existsSync(fixtureWorkspace)) cpSync(fixtureWorkspace, target, { recursive: true });
  else mkdirSync(target, { recursive: true });
}

/** Reads the suite's result lines as they are appended and prints each new one once. */
function progressPrinter(file) {
  let seen = 0;
  const counts = { passed: 0, failed: 0, pending: 0, start: null, end: null };
  const flush = () => {
    let lines;
    try {
      lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    } catch {
      return;
    }
    for (const raw of lines.slice(seen)) {
      let line;
      try {
        line = JSON.parse(raw);
      } catch {
        break; // a half-written line: read it next time
      }
      seen++;
      switch (line.event) {
        case 'start':
          counts.start = line;
          console.log(`  VS Code ${line.vscode}, workspace ${line.trusted ? 'trusted' : 'untrusted'}, ${line.files.length} test file(s)`);
          break;
        case 'pass':
          counts.passed++;
          console.log(`  ✓ ${line.title} (${line.durationMs} ms)`);
          break;
        case 'fail':
          counts.failed++;
          console.log(`  ✗ ${line.title}\n${line.error.replace(/^/gm, '      ')}`);
          break;
        case 'pending':
          counts.pending++;
          console.log(`  - ${line.title} (skipped)`);
          break;
        case 'end':
          counts.end = line;
          break;
      }
    }
  };
  return { flush, counts: () => counts };
}

function printDiagnostics(server, consoleErrors, hostLog) {
  console.log('  --- diagnostics');
  console.log(`  code-server output (last lines):\n${indent(lastLines(server.output(), 25))}`);
  for (const f of server.logFiles().filter((p) => /exthost|remoteagent|remoteExtHost/i.test(p))) {
    const text = readFileSync(f, 'utf8');
    if (text.trim()) console.log(`  ${relative(server.userDataDir, f)}:\n${indent(lastLines(text, 25))}`);
  }
  if (hostLog.length) console.log(`  extension host console (last lines):\n${indent(hostLog.slice(-25).join('\n'))}`);
  if (consoleErrors.length) console.log(`  browser console errors:\n${indent(consoleErrors.slice(-20).join('\n'))}`);
}

function formatArgs(args) {
  if (!Array.isArray(args)) return String(args);
  return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
}

function lastLines(text, n) {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

function indent(text) {
  return text.replace(/^/gm, '    ');
}

main().catch((e) => {
  console.error(`integration: ${e.stack || e.message}`);
  console.log('\nintegration: 0 passed, 1 failed');
  process.exit(1);
});
