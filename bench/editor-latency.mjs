#!/usr/bin/env node
// Edit → updated diagnostics in a 2,000-file workspace, measured on the real analysis worker
// (dist/analysis-worker.js) driven through its message protocol, as the extension does.
// Corpus: generated TypeScript (200 Prisma repositories, 1,800 services that call them in
// loops, so edits have cross-file dependents), written to a temp folder.
// Prints p50/p95 of: edit → findings of the edited file, edit → done (with its dependents);
// the longest stall of this (host-like) main thread meanwhile; and, as the peer measured in the
// same run, a full workspace scan — what every edit would cost without incremental analysis.
// Usage: node esbuild.mjs && node bench/editor-latency.mjs [--edits 40] [--files 2000]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({ options: { edits: { type: 'string', default: '40' }, files: { type: 'string', default: '2000' } } });
const EDITS = Number(opt.edits);
const FILES = Number(opt.files);
const REPOS = Math.max(1, Math.round(FILES / 10));
const SERVICES = FILES - REPOS - 1;

function repoSource(i) {
  return `import { prisma } from '../lib/db';

export async function findOrders${i}(customerId: string) {
  return prisma.order.findMany({ where: { customerId }, select: { id: true, total: true } });
}

export async function findOne${i}(id: string) {
  return prisma.order.findUnique({ where: { id } });
}
`;
}

function serviceSource(j, edit = '') {
  const r = j % REPOS;
  return `import { findOrders${r}, findOne${r} } from '../repos/repo${r}';
import { prisma } from '../lib/db';

export async function totals${j}(customerIds: string[]) {
  const out: number[] = [];
  for (const id of customerIds) {
    const orders = await findOrders${r}(id);
    out.push(orders.reduce((s, o) => s + o.total, 0));
  }${edit}
  return out;
}

export async function first${j}(ids: string[]) {
  return Promise.all(ids.map((id) => findOne${r}(id)));
}

export async function recent${j}() {
  return prisma.order.findMany({ where: { status: 'open' }, select: { id: true }, take: 50 });
}
`;
}

function makeCorpus() {
  const root = mkdtempSync(join(tmpdir(), 'pi-editor-bench-'));
  for (const d of ['src/lib', 'src/repos', 'src/services']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'src/lib/db.ts'), "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n");
  for (let i = 0; i < REPOS; i++) writeFileSync(join(root, `src/repos/repo${i}.ts`), repoSource(i));
  for (let j = 0; j < SERVICES; j++) writeFileSync(join(root, `src/services/svc${j}.ts`), serviceSource(j));
  return root;
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x) => `${x.toFixed(1)} ms`;

const root = makeCorpus();
const worker = new Worker(join(repo, 'dist', 'analysis-worker.js'));
const waiting = new Map();
let ready;
const readyP = new Promise((r) => (ready = r));
let findingsCount = 0;
worker.on('message', (m) => {
  if (m.type === 'ready') ready(m);
  else if (m.type === 'findings') {
    findingsCount += m.findings.length;
    waiting.get(m.id)?.onFindings?.(m);
  } else if (m.type === 'done') waiting.get(m.id)?.onDone(m);
  else if (m.type === 'error') console.error('worker error:', m.message);
});
worker.on('error', (e) => console.error('worker crashed:', e));

let nextId = 1;
function request(msg, onFindings) {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, { onDone: (m) => (waiting.delete(id), resolve(m)), onFindings });
    worker.postMessage({ ...msg, id });
  });
}

try {
  let t = performance.now();
  worker.postMessage({ type: 'init', root, settings: {} });
  const r = await readyP;
  console.log(`corpus: ${r.files} files (${REPOS} repositories, ${SERVICES} services) in ${root}`);
  console.log(`project load (worker start, engine load, file listing): ${ms(performance.now() - t)}`);

  t = performance.now();
  findingsCount = 0;
  const scan = await request({ type: 'scan' });
  const scanMs = performance.now() - t;
  console.log(`peer — full workspace scan: ${ms(scanMs)} for ${scan.files} files, ${findingsCount} findings (${ms(scanMs / scan.files)} per file)`);

  // Edits alternate between a leaf service and a repository that services depend on.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const edited = { leaf: [], leafDone: [], shared: [], sharedDone: [], dependents: 0 };
  for (let k = 0; k < EDITS; k++) {
    const shared = k % 2 === 1;
    const file = shared ? join(root, 'src/repos/repo0.ts') : join(root, `src/services/svc${k % SERVICES}.ts`);
    const text = shared ? repoSource(0) + `\n// edit ${k}\n` : serviceSource(k % SERVICES, `\n    // edit ${k}`);
    const t0 = performance.now();
    let tFindings = 0;
    const done = await request({ type: 'analyze', file, text, version: k + 2, dependents: true }, (m) => {
      if (m.file === file && !tFindings) tFindings = performance.now() - t0;
    });
    const tDone = performance.now() - t0;
    (shared ? edited.shared : edited.leaf).push(tFindings);
    (shared ? edited.sharedDone : edited.leafDone).push(tDone);
    if (shared) edited.dependents = done.files - 1;
  }
  loop.disable();
  const all = [...edited.leaf, ...edited.shared];
  console.log(`\n${EDITS} edits (half to a service, half to a repository with ${edited.dependents} dependent files):`);
  console.log(`  edit -> findings of the edited file   p50 ${ms(pct(all, 50))}  p95 ${ms(pct(all, 95))}`);
  console.log(`  edit -> done, leaf service             p50 ${ms(pct(edited.leafDone, 50))}  p95 ${ms(pct(edited.leafDone, 95))}`);
  console.log(`  edit -> done, repository + dependents  p50 ${ms(pct(edited.sharedDone, 50))}  p95 ${ms(pct(edited.sharedDone, 95))}`);
  console.log(`  with the default 300 ms debounce, the user sees new diagnostics ~${ms(300 + pct(all, 95))} (p95) after the last keystroke`);
  console.log(`  longest stall of this thread (the extension host's role) meanwhile: ${ms(loop.max / 1e6)}`);
  console.log(`\nratio edit->findings p95 / full scan: ${(pct(all, 95) / scanMs).toFixed(4)}`);
} finally {
  await worker.terminate();
  rmSync(root, { recursive: true, force: true });
}
