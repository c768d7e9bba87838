// The editor layer inside a real VS Code: activation, diagnostics of a known N+1 and a known
// unpaginated query, the quick fix, the workspace scan, trust, and every contributed command.
// Runs in both passes of test/integration/run.mjs (trusted and untrusted workspace).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { PerfInsightsApi } from '../../../src/extension';

const EXTENSION_ID = 'perf-insights.perf-insights';
const trusted = () => vscode.workspace.isTrusted;

let api: PerfInsightsApi;
let root: string;

function uri(rel: string): vscode.Uri {
  return vscode.Uri.file(join(root, rel));
}

function ours(u: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(u)
    .filter((d) => d.source === 'perf-insights')
    .sort((a, b) => a.range.start.compareTo(b.range.start));
}

/** Waits (event-driven, with a generous cap) until our diagnostics of `u` satisfy `ok`. */
async function diagnosticsUntil(u: vscode.Uri, ok: (d: vscode.Diagnostic[]) => boolean, what: string, capMs = 30_000) {
  if (ok(ours(u))) return ours(u);
  return new Promise<vscode.Diagnostic[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${what}: still ${JSON.stringify(ours(u).map(brief))} after ${capMs} ms`));
    }, capMs);
    const sub = vscode.languages.onDidChangeDiagnostics(() => {
      if (!ok(ours(u))) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(ours(u));
    });
  });
}

function code(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function brief(d: vscode.Diagnostic) {
  const r = d.range;
  return `${code(d)}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

function rel(l: vscode.Location) {
  const r = l.range;
  return `${l.uri.fsPath.slice(root.length + 1)}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

// Generous per-test timeouts: these drive the whole workbench (VS Code's own TypeScript server
// answers code-action requests too) on a 2-core machine that may be busy.
describe('editor', () => {
  before(async () => {
    const ext = vscode.extensions.getExtension<PerfInsightsApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    api = await ext.activate();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
  });

  it('activates cheaply and reports its activation time', () => {
    assert.equal(typeof api.activationMs, 'number');
    console.log(`perf-insights activation: ${api.activationMs.toFixed(1)} ms (activate() body)`);
    // The engine (ts-morph, ~14 MB bundled) lives in the worker bundle, never in the host's.
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const host = readFileSync(join(ext.extensionPath, 'dist', 'extension.js'), 'utf8');
    assert.ok(host.length < 300_000, `dist/extension.js is ${host.length} bytes`);
    assert.ok(!host.includes('ts-morph'), 'dist/extension.js must not bundle ts-morph');
  });

  it('shows exactly the N+1 and the missing pagination of src/users.ts, with related locations', async function () {
    this.timeout(120_000);
    const u = uri('src/users.ts');
    await vscode.window.showTextDocument(u);
    const diags = await diagnosticsUntil(u, (d) => d.length >= 2, 'users.ts diagnostics');
    assert.deepEqual(diags.map(brief), ['missing-pagination@3:9-3:29', 'n-plus-one@9:24-9:44']);
    const [page, n1] = diags;
    assert.equal(page.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(page.message, /prisma\.user\.findMany.*take: 100/);
    assert.match(n1.message, /prisma\.post\.findMany.*runs once per `id`/);
    const target = typeof n1.code === 'object' ? n1.code.target : undefined;
    assert.ok(target?.path.endsWith('/docs/rules/n-plus-one.md'), `docs target: ${target}`);
    assert.deepEqual(
      n1.relatedInformation?.map((r) => [rel(r.location), r.message]),
      [
        ['src/users.ts@8:2-8:5', 'the for…of loop over `id`'],
        ['src/users.ts@9:24-9:44', 'the query that runs per item'],
      ],
    );
  });

  it('offers the quick fixes; applying "Limit to 100 rows" adds take and clears the diagnostic', async function () {
    this.timeout(120_000);
    const u = uri('src/users.ts');
    const step = ((t) => (what: string) => api.services.log.info(`[test] quick fix: ${what} at ${Date.now() - t} ms`))(Date.now());
    const doc = await vscode.workspace.openTextDocument(u);
    await vscode.window.showTextDocument(doc);
    const [page] = await diagnosticsUntil(u, (d) => d.some((x) => code(x) === 'missing-pagination'), 'pagination diagnostic');
    step('diagnostic present');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', u, page.range);
    step('code actions listed');
    // executeCodeActionProvider does not carry `diagnostics` back: pick ours by title.
    const mine = actions.filter((a) => /missing-pagination|^Limit to/.test(a.title));
    assert.deepEqual(
      mine.map((a) => a.title),
      ['Limit to 100 rows', 'Suppress missing-pagination on this line (with a reason)', 'Open the missing-pagination rule documentation'],
    );
    assert.ok(mine.every((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value));
    const limit = mine[0];
    assert.ok(limit.edit, 'the fix carries a WorkspaceEdit');
    assert.equal(limit.edit.entries().flatMap(([, e]) => e).length, 1, 'one minimal edit');
    assert.ok(await vscode.workspace.applyEdit(limit.edit));
    step('edit applied');
    assert.equal(doc.lineAt(3).text, '  return prisma.user.findMany({ where: { active: true }, select: { id: true, name: true }, take: 100 });');
    const after = await diagnosticsUntil(u, (d) => !d.some((x) => code(x) === 'missing-pagination'), 'pagination diagnostic gone');
    assert.deepEqual(after.map(brief), ['n-plus-one@9:24-9:44']);
    step('diagnostic gone');
    await doc.save();
    step('saved');
  });

  it('"Analyze Workspace" fills diagnostics for files that are not open', async () => {
    const u = uri('src/orders.ts');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === u.fsPath), 'orders.ts must not be open');
    assert.deepEqual(ours(u), []);
    const summary = await vscode.commands.executeCommand<{ cancelled: boolean; files: number }>('perfInsights.analyzeWorkspace');
    assert.equal(summary.cancelled, false);
    assert.equal(summary.files, 4);
    assert.deepEqual(ours(u).map(brief), ['n-plus-one@6:22-6:44']);
    assert.deepEqual(ours(uri('src/clean.ts')), []);
  });

  it('re-analyses on edit: introducing an unpaginated query shows a diagnostic', async function () {
    this.timeout(120_000);
    const u = uri('src/clean.ts');
    const editor = await vscode.window.showTextDocument(u);
    await editor.edit((e) => e.insert(new vscode.Position(5, 0), '\nexport const all = () => prisma.user.findMany({ select: { id: true } });\n'));
    const diags = await diagnosticsUntil(u, (d) => d.some((x) => code(x) === 'missing-pagination'), 'diagnostic after edit');
    assert.deepEqual(diags.map(brief), ['missing-pagination@6:25-6:45']);
  });

  it('takes severity from settings, and "open files only" drops findings of closed files', async function () {
    this.timeout(120_000);
    const cfg = () => vscode.workspace.getConfiguration('perfInsights');
    const users = uri('src/users.ts');
    const orders = uri('src/orders.ts');
    try {
      await cfg().update('rules.n-plus-one', 'error', vscode.ConfigurationTarget.Workspace);
      const d = await diagnosticsUntil(users, (x) => x.some((y) => code(y) === 'n-plus-one' && y.severity === vscode.DiagnosticSeverity.Error), 'n-plus-one as error');
      assert.equal(d.filter((y) => code(y) === 'n-plus-one').length, 1);
      assert.equal(ours(orders).length, 1, 'orders.ts keeps its scan finding in workspace scope');
      await cfg().update('analysisScope', 'openFiles', vscode.ConfigurationTarget.Workspace);
      await diagnosticsUntil(orders, (x) => x.length === 0, 'closed file cleared in openFiles scope');
      assert.ok(ours(users).length > 0, 'the open file keeps its findings');
    } finally {
      await cfg().update('rules.n-plus-one', undefined, vscode.ConfigurationTarget.Workspace);
      await cfg().update('analysisScope', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await diagnosticsUntil(users, (x) => x.some((y) => code(y) === 'n-plus-one' && y.severity === vscode.DiagnosticSeverity.Warning), 'back to warning');
  });

  it('Connect to Platform is refused until the workspace is trusted', async () => {
    const result = await vscode.commands.executeCommand('perfInsights.connectToPlatform', {
      apiUrl: 'http://127.0.0.1:9',
      postgresHost: '127.0.0.1',
      postgresPassword: 'integration-secret',
    });
    const cfg = vscode.workspace.getConfiguration('perfInsights');
    if (trusted()) {
      assert.equal(result, 'saved');
      assert.equal(cfg.get('platform.apiUrl'), 'http://127.0.0.1:9');
      assert.equal(await api.services.secrets.getPostgresPassword(), 'integration-secret');
      const pw = cfg.inspect('platform.postgres.password');
      assert.deepEqual([pw?.globalValue, pw?.workspaceValue, pw?.workspaceFolderValue], [undefined, undefined, undefined], 'passwords never become settings');
    } else {
      assert.equal(result, 'untrusted');
      assert.equal(await api.services.secrets.getPostgresPassword(), undefined);
      assert.notEqual(cfg.inspect('platform.apiUrl')?.workspaceValue, 'http://127.0.0.1:9');
    }
  });

  it('every contributed command runs without failing', async function () {
    this.timeout(120_000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const commands: string[] = ext.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    await vscode.window.showTextDocument(uri('src/users.ts'));
    const args: Record<string, unknown[]> = {
      'perfInsights.toggleRule': ['unbounded-select'],
      'perfInsights.openRuleDocs': ['n-plus-one'],
      'perfInsights.connectToPlatform': [{ redisHost: '127.0.0.1' }],
    };
    const results: Record<string, unknown> = {};
    for (const id of commands) {
      const t = Date.now();
      results[id] = await vscode.commands.executeCommand(id, ...(args[id] ?? []));
      api.services.log.info(`[test] ${id}: ${Date.now() - t} ms`);
    }
    assert.deepEqual(api.services.commandFailures, []);
    assert.equal(results['perfInsights.toggleRule'], 'off');
    assert.equal(await vscode.commands.executeCommand('perfInsights.toggleRule', 'unbounded-select'), 'info');
    assert.equal(typeof results['perfInsights.analyzeCurrentFile'], 'number');
    assert.ok((results['perfInsights.openRuleDocs'] as vscode.Uri).path.endsWith('docs/rules/n-plus-one.md'));
    assert.equal(results['perfInsights.connectToPlatform'], trusted() ? 'saved' : 'untrusted');
  });
});
