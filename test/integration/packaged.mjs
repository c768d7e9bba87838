// The packaged extension as a user gets it: `vsce package` the current build, install the
// .vsix into code-server with `--install-extension`, open samples/demo-workspace, run
// "Perf Insights: Analyze Workspace" from the command palette and compare the Problems panel
// with what the CLI finds in the same folder (the same engine, so the same findings).
// Called by run.mjs as its `packaged` pass; drives the real UI, so it checks what a user sees.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { installExtension, startCodeServer } from '../support/code-server.mjs';

const SAMPLE = join('samples', 'demo-workspace');

/** Returns { passed, failed } like a suite pass; prints one line per check. */
export async function runPackagedPass(browser, { root, keep = false }) {
  const counts = { passed: 0, failed: 0, pending: 0 };
  const check = (title, fn) => {
    try {
      fn();
      counts.passed++;
      console.log(`  ✓ ${title}`);
    } catch (e) {
      counts.failed++;
      console.log(`  ✗ ${title}\n${String(e.message).replace(/^/gm, '      ')}`);
    }
  };
  const temp = mkdtempSync(join(tmpdir(), 'pi-int-packaged-'));
  let server;
  let context;
  try {
    if (!existsSync(join(root, SAMPLE))) throw new Error(`${SAMPLE} is missing`);
    const vsix = join(temp, 'perf-insights.vsix');
    const pack = spawnSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '-o', vsix], {
      cwd: root,
      encoding: 'utf8',
    });
    check('vsce packages the extension', () => {
      if (pack.status !== 0) throw new Error(`vsce package exited ${pack.status}:\n${pack.stdout}${pack.stderr}`);
    });
    if (pack.status !== 0) return counts;
    console.log(`    ${(statSync(vsix).size / 1024 / 1024).toFixed(2)} MB`);

    const extensionsDir = join(temp, 'extensions');
    await installExtension(vsix, { extensionsDir });
    const workspace = join(temp, 'workspace');
    cpSync(join(root, SAMPLE), workspace, { recursive: true });
    const expected = cliFindings(root, workspace);

    server = await startCodeServer({ workspace, extensionsDir, userDataDir: join(temp, 'user-data') });
    // Tall, so the Problems list (virtualised: only visible rows exist in the DOM) shows every row.
    context = await browser.newContext({ viewport: { width: 1600, height: 3000 } });
    const page = await context.newPage();
    await page.goto(server.workbenchUrl(), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 90_000 });
    await runCommand(page, 'Perf Insights: Analyze Workspace');
    await page.keyboard.press('Control+Shift+M'); // Problems panel
    const shown = await waitForProblems(page, expected.length, 90_000);

    check(`the Problems panel lists the CLI's ${expected.length} findings in ${SAMPLE}, with their severities`, () => {
      const key = (f) => `${f.file}:${f.line} ${f.ruleId} ${f.severity}`;
      const want = expected.map(key).sort();
      const got = shown.map(key).sort();
      if (want.length === 0) throw new Error('the CLI found nothing: the comparison would prove nothing');
      if (JSON.stringify(want) !== JSON.stringify(got)) throw new Error(`expected ${JSON.stringify(want)}\n got      ${JSON.stringify(got)}`);
    });
  } catch (e) {
    counts.failed++;
    console.log(`  ✗ packaged extension: ${e.message}`);
  } finally {
    await context?.close().catch(() => {});
    await server?.stop();
    if (keep) console.log(`  kept ${temp}`);
    else rmSync(temp, { recursive: true, force: true });
  }
  return counts;
}

/** What the CLI reports for the same folder: file name, 1-based line, rule and severity of each finding. */
function cliFindings(root, folder) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'perf-insights.js'), 'analyze', folder, '--format', 'json', '--no-progress', '--fail-on', 'never'], {
    encoding: 'utf8',
  });
  if (!r.stdout.trim()) throw new Error(`the CLI printed nothing (exit ${r.status}): ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  return report.findings.map((f) => ({ file: basename(f.file), line: f.line, ruleId: f.rule, severity: f.severity }));
}

/** Runs a command from the palette; retries while the extension's contributions are still loading. */
async function runCommand(page, title, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.locator('.monaco-workbench').click({ position: { x: 800, y: 400 } });
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 5_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`the command palette has no "${title}" after ${timeoutMs / 1000} s: is the extension installed and enabled?`);
    }
  }
}

/**
 * Our diagnostics in the Problems panel. Its rows, in order: a file ("users.ts\nsrc\n3"), its
 * problems ("message\nperf-insights\nrule\n[Ln 3, Col 5]") and their related locations
 * ("users.ts[Ln 2, Col 1]: the loop").
 */
async function waitForProblems(page, count, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let found = [];
  while (Date.now() < deadline) {
    const rows = await page.$$eval('.markers-panel .monaco-list-row', (els) =>
      els.map((el) => ({
        text: el.innerText,
        label: el.querySelector('.label-name')?.textContent ?? '',
        severity: /codicon-(error|warning|info)\b/.exec(el.innerHTML)?.[1] ?? '',
      })),
    );
    found = [];
    let file = '';
    for (const { text, label, severity } of rows) {
      const problem = /perf-insights\s*\(?\s*([a-z-]+)\s*\)?[\s\S]*?\[Ln (\d+), Col \d+\]/.exec(text);
      if (problem) found.push({ file, line: Number(problem[2]), ruleId: problem[1], severity });
      else if (!text.includes('[Ln ')) file = label.trim();
    }
    if (count > 0 && found.length >= count) break;
    await page.waitForTimeout(1000);
  }
  return found;
}
