// Driving the dashboard inside code-server's workbench with playwright-core: find the webview's
// inner frame, wait for conditions in it, and collect console output of the whole page.
import { setTimeout as sleep } from 'node:timers/promises';

/** The frame that holds our page (VS Code nests it in pre/index.html → fake.html). */
export async function dashboardFrame(page, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      if (!f.url().includes('fake.html')) continue;
      const ok = await f.evaluate(() => !!document.querySelector('main#root[aria-label="Perf Insights dashboard"]')).catch(() => false);
      if (ok) return f;
    }
    await sleep(250);
  }
  throw new Error('the dashboard webview did not appear');
}

/** Polls `fn` inside the dashboard frame (re-finding it: VS Code recreates it when shown again). */
export async function waitInDashboard(page, what, fn, arg, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const frame = await dashboardFrame(page, 5_000);
      last = await frame.evaluate(fn, arg);
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`);
}

export async function openDashboard(page) {
  await page.locator('.activitybar [aria-label^="Perf Insights"]').first().click();
  return dashboardFrame(page);
}

/** Reads every tile: id, status, value text, reason. */
export function readTiles() {
  return [...document.querySelectorAll('[data-kpi]')].map((t) => ({
    id: t.getAttribute('data-kpi'),
    status: t.getAttribute('data-status'),
    value: t.querySelector('[data-role="value"]')?.textContent ?? '',
    reason: t.querySelector('[data-role="reason"]')?.textContent ?? '',
    label: t.getAttribute('aria-label'),
  }));
}

/** Console messages and page errors that concern the dashboard (or CSP anywhere). */
export function watchConsole(page) {
  const problems = [];
  page.on('console', (m) => {
    const text = m.text();
    const url = m.location()?.url ?? '';
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
    else if (m.type() === 'error' && /fake\.html|webview\/app\.js|vscode-resource/.test(url)) problems.push(`console error in the webview: ${text} (${url})`);
  });
  page.on('pageerror', (e) => {
    const where = `${e.stack ?? ''}`;
    if (/app\.js|fake\.html|vscode-resource|vscode-cdn/.test(where)) problems.push(`uncaught error in the webview: ${e.message}`);
  });
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    problems.push(`a dialog opened: ${d.type()} ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
  return { problems, dialogs: () => dialogs };
}
