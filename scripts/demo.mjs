// `npm run demo`: the whole product in one command. Builds the extension, starts the reference
// platform (with a private Postgres and Redis when their binaries exist), starts code-server
// with the extension and the sample workspace, and prints the URL. Ctrl-C stops everything.
//
//   npm run demo                      platform on 8000/8001 (the guide's ports) when free
//   npm run demo -- --screenshot      also save docs/images/dashboard-dark.png, then exit
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, startCodeServer } from '../test/support/code-server.mjs';
import { openDashboard, waitInDashboard } from '../test/e2e/dashboard-page.mjs';
import { platformSettings, startStack } from '../test/e2e/stack.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const screenshot = process.argv.includes('--screenshot');
const log = (m) => console.log(`[demo] ${m}`);

/** The guide's ports when nothing listens there, otherwise any free port. */
async function portOr(preferred) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen(preferred, '127.0.0.1', () => s.close(() => resolve(preferred)));
  });
}

let stack;
let cs;
let browser;
let stopping = false;
async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  await Promise.allSettled([browser?.close(), cs?.stop(), stack?.destroy()]);
  log('stopped');
  process.exit(code);
}
function onSignals() {
  // The code-server helper installs its own handlers that exit once code-server is down; ours
  // must also stop Postgres and Redis first, so they replace it (stopAll stops code-server too).
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.removeAllListeners(sig);
    process.on(sig, () => void stopAll(0));
  }
}
onSignals();

try {
  log('building the extension');
  const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`the build failed:\n${b.stderr}`);

  log('starting the reference platform');
  stack = await startStack({ log, backendPort: await portOr(8000), llmPort: await portOr(8001) });
  log(`backend ${stack.backendUrl}, LLM gateway ${stack.llmUrl}${stack.pg ? `, Postgres 127.0.0.1:${stack.pg.port}` : ''}${stack.redis ? `, Redis 127.0.0.1:${stack.redis.port}` : ''}`);

  const sample = join(root, 'samples', 'demo-workspace');
  const workspace = existsSync(sample) ? sample : join(root, 'test', 'platform');
  const settings = {
    'workbench.colorTheme': 'Default Dark Modern',
    ...platformSettings(stack),
  };
  log(`starting code-server with the extension and ${workspace}`);
  // The demo's Postgres password goes to the extension host as PGPASSWORD; a real user stores
  // theirs with "Perf Insights: Connect to Platform…" (secret storage).
  cs = await startCodeServer({ workspace, settings, env: stack.monitor ? { PGPASSWORD: stack.monitor.password } : {} });
  onSignals();
  const url = cs.workbenchUrl({ extensionDevelopmentPath: root });

  if (screenshot) {
    await takeScreenshot(url);
    await stopAll(0);
  } else {
    console.log(`\n  Perf Insights demo is running. Open in a browser:\n\n  ${url}\n\n  Then click the Perf Insights icon in the activity bar. Ctrl-C stops everything.\n`);
    await new Promise(() => {});
  }
} catch (e) {
  console.error(`[demo] failed: ${e?.stack ?? e}`);
  await stopAll(1);
}

/** The README's picture: the workbench with the dashboard beside a file the rules flag. */
async function takeScreenshot(url) {
  browser = await launchBrowser();
  onSignals();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  await openDashboard(page);
  const box = await page.locator('.part.sidebar').boundingBox();
  if (box) {
    await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 580, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.mouse.move(box.x + 900, box.y + 5);
  }
  // A file the rules flag beside the dashboard (quick open, as a user would).
  await page.locator('.part.editor').click({ position: { x: 300, y: 300 } });
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill('routes/projects.ts');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'projects.ts' }).first().click({ timeout: 15_000 });
  await page.locator('.tabs-container .tab.active', { hasText: 'projects.ts' }).waitFor({ timeout: 15_000 });
  await waitInDashboard(page, 'KPI values', () => {
    const t = [...document.querySelectorAll('[data-kpi]')];
    return t.length === 8 && t.filter((el) => el.getAttribute('data-status') !== 'unknown').length >= 7;
  }, null, 120_000);
  // The file's findings (squiggles) once the analysis is done; a few polls for the sparklines.
  await page.locator('.statusbar-item', { hasText: 'Analyzing' }).waitFor({ state: 'detached', timeout: 90_000 }).catch(() => {});
  await sleep(12_000);
  const out = join(root, 'docs', 'images', 'dashboard-dark.png');
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  log(`screenshot saved: ${out}`);
}
