#!/usr/bin/env node
// Activation cost of the extension host bundle, outside VS Code: loads dist/extension.js with a
// stand-in `vscode` module (every API is a no-op) and times `require` (code loading) and
// `activate()`. The peer, measured in the same run, is loading the analysis worker bundle
// (ts-morph + rules): what activation would cost if the engine ran on the host.
// Usage: node esbuild.mjs && node bench/activation.mjs [runs=15]
import { execFileSync } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 15);

// Each sample runs in a fresh process, so module caches and JIT state never carry over.
const child = String.raw`
const Module = require('node:module');
const { performance } = require('node:perf_hooks');
const fake = () => new Proxy(function () {}, {
  get: (t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => '' : k === 'isTrusted' ? true : k === 'workspaceFolders' ? [{ uri: { fsPath: process.cwd() } }] : fake()),
  apply: () => fake(),
  construct: () => fake(),
  set: () => true,
  defineProperty: () => true,
});
// A plain object (bundles copy its own keys into an ES namespace), every member a deep no-op.
const names = ['window', 'workspace', 'languages', 'commands', 'env', 'extensions', 'Uri', 'EventEmitter', 'Disposable',
  'DiagnosticSeverity', 'StatusBarAlignment', 'CodeActionKind', 'ProgressLocation', 'ConfigurationTarget', 'Range', 'Position',
  'Location', 'Diagnostic', 'DiagnosticRelatedInformation', 'CodeAction', 'WorkspaceEdit', 'ThemeColor', 'ViewColumn', 'l10n'];
const vscode = Object.fromEntries(names.map((n) => [n, fake()]));
vscode.workspace = new Proxy({}, { get: (t, k) => (k === 'isTrusted' ? true : k === 'workspaceFolders' ? [{ uri: { fsPath: process.cwd() } }] : k === 'then' ? undefined : fake()) });
const orig = Module._load;
Module._load = function (req, ...rest) { return req === 'vscode' ? vscode : orig.call(this, req, ...rest); };
const which = process.argv[1];
const t0 = performance.now();
const mod = require(which);
const t1 = performance.now();
let t2 = t1;
if (typeof mod.activate === 'function') {
  mod.activate({ extensionPath: process.cwd(), extensionUri: fake(), secrets: fake(), subscriptions: [] });
  t2 = performance.now();
}
process.stdout.write(JSON.stringify({ load: t1 - t0, activate: t2 - t1 }));
process.exit(0);
`;

function sample(file) {
  const out = execFileSync(process.execPath, ['-e', child, resolve(root, file)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const host = [];
const worker = [];
const floor = [];
for (let i = 0; i < runs; i++) {
  host.push(sample('dist/extension.js'));
  floor.push(sample('bench/load-builtins.cjs'));
  // The worker bundle expects a parentPort; only its load time is of interest here, and it
  // throws right after loading (caught by require) — so time the module body via a wrapper.
  worker.push(sample('bench/load-worker-bundle.cjs'));
}
const hLoad = median(host.map((s) => s.load));
const hAct = median(host.map((s) => s.activate));
const wLoad = median(worker.map((s) => s.load));
const fLoad = median(floor.map((s) => s.load));
console.log(`runs: ${runs} (median, fresh process each)`);
console.log(`extension host: load dist/extension.js ${hLoad.toFixed(1)} ms + activate() ${hAct.toFixed(1)} ms = ${(hLoad + hAct).toFixed(1)} ms`);
console.log(`floor: the same built-ins alone (node:path, node:worker_threads) ${fLoad.toFixed(1)} ms -> extension's own cost ${(hLoad + hAct - fLoad).toFixed(1)} ms`);
console.log(`peer: load the analysis engine bundle (dist/analysis-worker.js) ${wLoad.toFixed(1)} ms`);
console.log(`ratio activation / engine load: ${((hLoad + hAct) / wLoad).toFixed(3)}`);
