#!/usr/bin/env node
// The same integration suite in desktop VS Code, through @vscode/test-electron, for machines
// that can download VS Code (a developer's laptop, hosted CI). Offline machines use
// test/integration/run.mjs (code-server), which is what `npm test` runs.
//
// Usage: npm run test:integration:electron [-- --grep TEXT]
//   VSCODE_VERSION  VS Code release to download (default 1.100.3, the one code-server ships)
//   VSCODE_PATH     use an installed VS Code executable instead of downloading one
// On Linux without a display, run it under `xvfb-run -a`.
//
// test-electron always passes --disable-workspace-trust, so only the trusted pass runs here;
// the untrusted pass needs code-server.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const extensionTestsPath = join(root, 'dist', 'test', 'integration', 'index.js');
const { values: opts } = parseArgs({ options: { grep: { type: 'string' }, 'no-build': { type: 'boolean', default: false } } });

if (!opts['no-build']) {
  const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (b.status !== 0) {
    console.error(`integration (electron): build failed (exit ${b.status})`);
    process.exit(2);
  }
}

const temp = mkdtempSync(join(tmpdir(), 'pi-int-electron-'));
const workspace = join(temp, 'workspace');
const fixture = join(root, 'test', 'integration', 'workspace');
if (existsSync(fixture)) cpSync(fixture, workspace, { recursive: true });
else mkdirSync(workspace, { recursive: true });
const resultsFile = join(temp, 'results.jsonl');
writeFileSync(resultsFile, '');

let exitCode;
try {
  exitCode = await runTests({
    version: process.env.VSCODE_VERSION || '1.100.3',
    ...(process.env.VSCODE_PATH ? { vscodeExecutablePath: process.env.VSCODE_PATH } : {}),
    extensionDevelopmentPath: root,
    extensionTestsPath,
    extensionTestsEnv: {
      PERF_INSIGHTS_TEST_RESULTS: resultsFile,
      PERF_INSIGHTS_TEST_PASS: 'trusted',
      ...(opts.grep ? { PERF_INSIGHTS_TEST_GREP: opts.grep } : {}),
    },
    // A fresh profile without other extensions, opening the copied fixture workspace.
    launchArgs: [workspace, '--disable-extensions', '--user-data-dir', join(temp, 'user-data'), '--extensions-dir', join(temp, 'extensions')],
  });
} catch (e) {
  // runTests rejects with TestRunFailedError when VS Code exits non-zero (a failed test).
  exitCode = typeof e?.code === 'number' ? e.code : 1;
  if (!(typeof e?.code === 'number')) console.error(`integration (electron): ${e?.message ?? e}`);
}

// The suite printed per-test lines to VS Code's stdout already; count them from its results.
const lines = readFileSync(resultsFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const passed = lines.filter((l) => l.event === 'pass').length;
let failed = lines.filter((l) => l.event === 'fail').length;
if (exitCode !== 0 && failed === 0) failed = 1;
if (passed + failed === 0) {
  console.log('integration (electron): no test ran');
  failed = 1;
}
rmSync(temp, { recursive: true, force: true });
console.log(`\nintegration: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
