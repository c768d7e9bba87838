#!/usr/bin/env node
// The packaged extension, as users get it: `npm run package`, install the .vsix into a fresh
// code-server with `--install-extension`, then run the editor suite (diagnostics, quick fix,
// scan, commands) against the *installed* folder, so a file missing from the VSIX fails here.
// Usage: node test/integration/vsix.mjs [--no-package]      Exit 0 only when tests ran and passed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installExtension, launchBrowser, startCodeServer } from '../support/code-server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vsix = join(root, 'dist', 'perf-insights.vsix');
const suite = join(root, 'dist', 'test', 'integration', 'index.js');

if (!process.argv.includes('--no-package')) {
  const r = spawnSync('npm', ['run', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`npm run package failed (exit ${r.status})`);
  // The production build replaced the dev bundles; the suite bundle is rebuilt by it too.
}
console.log(`vsix: ${vsix} (${(statSync(vsix).size / 1024 / 1024).toFixed(2)} MB)`);

const temp = mkdtempSync(join(tmpdir(), 'pi-vsix-'));
const extensionsDir = join(temp, 'extensions');
const userDataDir = join(temp, 'user-data');
const workspace = join(temp, 'workspace');
cpSync(join(root, 'test', 'integration', 'workspace'), workspace, { recursive: true });
const results = join(temp, 'results.jsonl');
writeFileSync(results, '');

let server;
let browser;
let code = 1;
try {
  console.log((await installExtension(vsix, { extensionsDir, userDataDir })).trim().split('\n').pop());
  const installed = readdirSync(extensionsDir).find((d) => d.startsWith('perf-insights.perf-insights-'));
  if (!installed) throw new Error(`the extension is not in ${extensionsDir} after --install-extension`);
  server = await startCodeServer({
    workspace,
    userDataDir,
    extensionsDir,
    env: { PERF_INSIGHTS_TEST_RESULTS: results, PERF_INSIGHTS_TEST_GREP: 'editor', PERF_INSIGHTS_TEST_PASS: 'vsix' },
  });
  browser = await launchBrowser();
  const page = await browser.newPage();
  const exited = new Promise((ok) => page.exposeFunction('codeAutomationExit', ok));
  await page.goto(server.workbenchUrl({ extensionDevelopmentPath: join(extensionsDir, installed), extensionTestsPath: suite }), { waitUntil: 'domcontentloaded' });
  const exit = await Promise.race([exited, new Promise((ok) => setTimeout(() => ok('timeout'), 240_000).unref())]);
  const lines = readFileSync(results, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  for (const l of lines) {
    if (l.event === 'pass') console.log(`  ✓ ${l.title}`);
    if (l.event === 'fail') console.log(`  ✗ ${l.title}\n${l.error.replace(/^/gm, '      ')}`);
  }
  const passed = lines.filter((l) => l.event === 'pass').length;
  const failed = lines.filter((l) => l.event === 'fail').length;
  console.log(`\nvsix: ${passed} passed, ${failed} failed${exit === 'timeout' ? ' (timed out)' : ''}`);
  code = exit === 0 && failed === 0 && passed > 0 ? 0 : 1;
} finally {
  await browser?.close().catch(() => {});
  await server?.stop();
  rmSync(temp, { recursive: true, force: true });
}
process.exit(code);
