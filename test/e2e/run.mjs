// Dashboard end-to-end: the real extension in code-server (a real VS Code in Chromium), against
// the reference platform with a private Postgres and Redis. Prints `N passed, N failed`.
//
//   node test/e2e/run.mjs            (npm run test:e2e)
//   PERF_INSIGHTS_CPU_SECONDS=60     length of each CPU sampling phase (default 30)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { launchBrowser, startCodeServer } from '../support/code-server.mjs';
import { findExtensionHost, measureCpu } from './cpu.mjs';
import { dashboardFrame, openDashboard, readTiles, waitInDashboard, watchConsole } from './dashboard-page.mjs';
import { platformSettings, startStack } from './stack.mjs';
import { CRITICAL_KPI, makeWorkspace } from './workspace.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'test-results', 'e2e');
const CPU_SECONDS = Number(process.env.PERF_INSIGHTS_CPU_SECONDS) || 30;
const XSS = '<img src=x onerror=alert(1)>';
const N_PLUS_ONE = 'FROM pipelines WHERE project_id';
/** Setting ids for settings.json; the colour theme picker shows them without "Default ". */
const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern', hc: 'Default High Contrast' };
const pickerLabel = (id) => id.replace(/^Default High Contrast$/, 'Dark High Contrast').replace(/^Default /, '');

const results = [];
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`  ✗ ${name}\n      ${String(e?.message ?? e).split('\n').join('\n      ')}`);
  }
}
const assert = (cond, msg) => {
  if (!cond) throw new Error(msg);
};

let stack;
let cs;
let browser;
let workspace;
try {
  mkdirSync(out, { recursive: true });
  console.log('e2e: building the extension');
  const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build failed:\n${b.stderr}`);

  console.log('e2e: starting the reference platform with private Postgres and Redis');
  stack = await startStack({ log: (m) => console.log(m) });
  workspace = makeWorkspace(root);
  const settings = {
    'workbench.colorTheme': THEMES.dark,
    ...platformSettings(stack),
    'perfInsights.platform.pollIntervalSeconds': 5,
  };
  console.log('e2e: starting code-server with the extension');
  // The Postgres password reaches the extension host as PGPASSWORD (node-postgres reads it when
  // the secret storage has none): a browser test cannot type into the secret storage beforehand.
  cs = await startCodeServer({ workspace, settings, env: stack.monitor ? { PGPASSWORD: stack.monitor.password } : {} });
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  const consoleWatch = watchConsole(page);
  await page.goto(cs.workbenchUrl({ extensionDevelopmentPath: root }));
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  await openDashboard(page);
  await widenSidebar(page, 560);

  console.log('e2e: checks');
  await check('the dashboard shows all eight KPI tiles with values and statuses', async () => {
    const tiles = await waitInDashboard(page, 'eight tiles with values', (fn) => {
      const t = [...document.querySelectorAll('[data-kpi]')].map((el) => ({
        id: el.getAttribute('data-kpi'),
        status: el.getAttribute('data-status'),
        value: el.querySelector('[data-role="value"]')?.textContent ?? '',
      }));
      return t.length === 8 && t.every((x) => x.status !== 'unknown' && x.value !== '—') ? t : null;
    }, null, 120_000);
    console.log(`      ${tiles.map((t) => `${t.id}=${t.value} (${t.status})`).join(', ')}`);
  });

  await check(`a KPI made critical on purpose (${CRITICAL_KPI}) is shown as critical`, async () => {
    await waitInDashboard(page, 'critical tile', (id) => {
      const el = document.querySelector(`[data-kpi="${id}"]`);
      return el?.getAttribute('data-status') === 'critical' && el.classList.contains('status-critical') && /Critical/.test(el.getAttribute('aria-label') ?? '');
    }, CRITICAL_KPI, 60_000);
    const bar = await page.locator('.statusbar-item', { hasText: 'Perf:' }).first().textContent({ timeout: 10_000 });
    assert(/API p95/.test(bar ?? ''), `the status bar should name the worst KPI, shows "${bar}"`);
  });

  await check('the API table is slowest first and sorts from the keyboard', async () => {
    const frame = await dashboardFrame(page);
    const p95s = () => frame.evaluate(() => [...document.querySelectorAll('#api tbody tr')].map((tr) => tr.children[1].textContent));
    const toMs = (t) => (t === '—' ? -1 : parseFloat(t) * (t.endsWith(' s') ? 1000 : 1));
    const before = (await p95s()).map(toMs);
    assert(before.length > 1, 'fewer than two routes');
    assert(before.every((v, i) => i === 0 || v <= before[i - 1] || v === -1), `not slowest first: ${before}`);
    await frame.locator('#api th button[data-sort="p95Ms"]').focus();
    await page.keyboard.press('Enter');
    const sorted = await waitInDashboard(page, 'ascending p95', () => document.querySelector('#api th[aria-sort="ascending"] button[data-sort="p95Ms"]') !== null, null, 10_000);
    assert(sorted, 'Enter on the p95 header did not sort ascending');
    await page.keyboard.press('Enter');
  });

  await check('the dark theme screenshot is saved', async () => {
    await sleep(1500);
    await shoot(page, 'dashboard-dark');
  });

  await check("the slow-query table lists the platform's N+1 statement and clicking it opens the source file", async () => {
    await waitInDashboard(page, 'the N+1 statement', (needle) =>
      [...document.querySelectorAll('[data-role="query"]')].some((b) => b.textContent.includes(needle)), N_PLUS_ONE, 90_000);
    const frame = await dashboardFrame(page);
    await frame.locator('[data-role="query"]', { hasText: N_PLUS_ONE }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'pipelines-repo.ts' }).waitFor({ timeout: 90_000 });
    const line = await page.locator('.editor-instance .view-line', { hasText: N_PLUS_ONE }).count();
    assert(line > 0, 'the opened editor does not show the statement');
  });

  await check('a query text with HTML is shown as text and nothing executes', async () => {
    assert(stack.adminUrl, 'no private Postgres: cannot run the hostile statement');
    const c = new pg.Client({ connectionString: stack.adminUrl });
    await c.connect();
    try {
      // pg_stat_statements keeps identifiers (constants become $n): the alias carries the markup.
      for (let i = 0; i < 3; i++) await c.query(`SELECT pg_sleep(0.3) AS "${XSS}"`);
    } finally {
      await c.end();
    }
    const seen = await waitInDashboard(page, 'the hostile statement', (xss) => {
      const q = [...document.querySelectorAll('[data-role="query"] code')].find((el) => el.textContent.includes(xss));
      return q ? { text: q.textContent, imgs: document.querySelectorAll('img').length, children: q.children.length } : null;
    }, XSS, 60_000);
    assert(seen.imgs === 0, `an <img> element was created (${seen.imgs})`);
    assert(seen.children === 0, 'the statement cell holds elements, not text');
    await sleep(1000);
    assert(consoleWatch.dialogs() === 0, 'alert() ran');
  });

  await check('light and high-contrast theme screenshots are saved', async () => {
    for (const theme of ['light', 'hc']) {
      await setTheme(page, pickerLabel(THEMES[theme]));
      await waitInDashboard(page, `${theme} theme`, (cls) => document.body.classList.contains(cls), theme === 'light' ? 'vscode-light' : 'vscode-high-contrast', 30_000);
      await sleep(1500);
      await shoot(page, `dashboard-${theme}`);
    }
    await setTheme(page, pickerLabel(THEMES.dark));
  });

  await check('the extension host CPU while polling every 5 s is measured', async () => {
    const pid = findExtensionHost(cs.process.pid);
    assert(pid, 'extension host process not found');
    const visible = await measureCpu(pid, CPU_SECONDS);
    // The peer: the same extension host with the dashboard hidden (polling slowed to ≥ 60 s).
    await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
    const hidden = await measureCpu(pid, CPU_SECONDS);
    // The status bar item opens the dashboard again.
    await page.locator('.statusbar-item', { hasText: 'Perf:' }).first().click();
    await dashboardFrame(page, 30_000);
    assert(visible && hidden, 'could not read /proc');
    const line = `extension host CPU over ${CPU_SECONDS} s: dashboard visible (polling every 5 s) ${visible.pct.toFixed(2)} % of a core, hidden ${hidden.pct.toFixed(2)} %; visible/hidden ratio ${(visible.pct / Math.max(hidden.pct, 0.01)).toFixed(1)}`;
    console.log(`      ${line}`);
    writeFileSync(join(out, 'cpu.txt'), `${line}\n`);
  });

  await check('stopping the platform turns the tiles to unknown with the reason, restarting recovers', async () => {
    await stack.stopAll();
    const down = await waitInDashboard(page, 'all tiles unknown', () => {
      const t = [...document.querySelectorAll('[data-kpi]')].map((el) => ({
        status: el.getAttribute('data-status'),
        reason: el.querySelector('[data-role="reason"]')?.textContent ?? '',
      }));
      return t.length === 8 && t.every((x) => x.status === 'unknown' && x.reason.length > 0) ? t : null;
    }, null, 90_000);
    console.log(`      e.g. "${down[0].reason.slice(0, 120)}"`);
    await waitInDashboard(page, 'the empty state with Connect and the demo hint', () => {
      const empty = document.getElementById('empty');
      return !!empty && !!document.getElementById('connect') && empty.textContent.includes('npm run demo');
    }, null, 20_000);
    await shoot(page, 'dashboard-platform-down');
    await stack.startAll();
    await waitInDashboard(page, 'tiles recovered', () => {
      const t = [...document.querySelectorAll('[data-kpi]')];
      return t.length === 8 && t.filter((el) => el.getAttribute('data-status') !== 'unknown').length >= 6;
    }, null, 150_000);
  });

  await check('no CSP violation or uncaught error in the webview console', async () => {
    assert(consoleWatch.problems.length === 0, consoleWatch.problems.join('\n'));
    const hostLog = cs.logFiles().filter((f) => f.endsWith('remoteexthost.log')).map((f) => readFileSync(f, 'utf8')).join('\n');
    assert(!/perf-insights\S* created a webview without a content security policy/.test(hostLog), 'VS Code reports a webview without a CSP');
  });

  await check('in an untrusted workspace the dashboard connects to nothing and says so', async () => {
    await browser.close();
    await cs.stop();
    cs = await startCodeServer({ workspace, settings: { ...settings, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } });
    browser = await launchBrowser();
    const p = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const watch = watchConsole(p);
    await p.goto(cs.workbenchUrl({ extensionDevelopmentPath: root }));
    await p.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 90_000 });
    await openDashboard(p);
    const shown = await waitInDashboard(p, 'the untrusted notice', () => {
      const n = document.getElementById('untrusted');
      return n ? { text: n.textContent, tiles: document.querySelectorAll('[data-kpi]').length } : null;
    }, null, 60_000);
    assert(shown.tiles === 0, 'KPI tiles are shown in an untrusted workspace');
    assert(/no network or database connection/.test(shown.text), shown.text);
    const log = cs.logFiles().filter((f) => f.endsWith('Perf Insights.log')).map((f) => readFileSync(f, 'utf8')).join('\n');
    assert(/not polling \(untrusted workspace\)/.test(log) && !/polling started/.test(log), `the extension log does not show polling off:\n${log.slice(-800)}`);
    assert(watch.problems.length === 0, watch.problems.join('\n'));
  });
} catch (e) {
  results.push({ name: 'e2e setup', ok: false });
  console.error(`e2e setup failed: ${e?.stack ?? e}`);
} finally {
  await browser?.close().catch(() => {});
  await cs?.stop().catch(() => {});
  await stack?.destroy().catch(() => {});
  if (workspace) rmSync(workspace, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`\nscreenshots: ${out}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

async function shoot(page, name) {
  await page.locator('.part.sidebar').screenshot({ path: join(out, `${name}.png`) });
}

/** Through the command palette, as a user would ("Preferences: Color Theme"); `theme` is the picker's label. */
async function setTheme(page, theme) {
  await page.locator('.part.editor').click({ position: { x: 200, y: 200 } });
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Preferences: Color Theme' }).first().click({ timeout: 10_000 });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Solarized Light' }).first().waitFor({ timeout: 10_000 });
  await input.fill(theme);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().click({ timeout: 10_000 });
}

/** Drag the sidebar's sash so the tiles get two columns (the default sidebar is narrow). */
async function widenSidebar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const x = box.x + box.width + 1;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}
