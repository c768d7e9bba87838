// The client against real worker_threads running small stand-in workers (plain JS written to a
// temp dir): crash → log line, pending work settled, restart, re-init, host callback.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AnalysisClient } from './analysis-client';

const dir = mkdtempSync(join(tmpdir(), 'pi-client-'));

/** A worker that answers init with ready, analyze with findings+done, and exits when told. */
const workerFile = join(dir, 'stand-in-worker.cjs');
writeFileSync(
  workerFile,
  `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.type === 'init') parentPort.postMessage({ type: 'ready', files: 1, ms: 0 });
  if (m.type === 'analyze' && m.file.endsWith('crash.ts')) process.exit(3);
  if (m.type === 'analyze') {
    parentPort.postMessage({ type: 'findings', id: m.id, file: m.file, findings: [], version: m.version });
    parentPort.postMessage({ type: 'done', id: m.id, cancelled: false, files: 1, ms: 0 });
  }
  if (m.type === 'cancel') parentPort.postMessage({ type: 'log', level: 'info', message: 'cancel ' + m.id });
});`,
);

const clients: AnalysisClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

function make() {
  const logs: string[] = [];
  const found: string[] = [];
  let restarts = 0;
  const client = new AnalysisClient({
    workerPath: workerFile,
    root: dir,
    settings: () => ({}),
    log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
    onFindings: (file) => found.push(file),
    onRestart: () => restarts++,
    restartBaseMs: 5,
  });
  clients.push(client);
  return { client, logs, found, restarts: () => restarts };
}

const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 10));
};

describe('AnalysisClient', () => {
  it('routes findings and resolves when the worker is done', async () => {
    const { client, found } = make();
    const r = await client.analyze('/w/a.ts', 'text', 1);
    expect(r).toEqual({ cancelled: false, files: 1, ms: 0, error: undefined });
    expect(found).toEqual(['/w/a.ts']);
  });

  it('cancels the in-flight request of a file when a newer edit comes', async () => {
    const { client, logs } = make();
    const first = client.analyze('/w/a.ts', 'v1', 1);
    const second = client.analyze('/w/a.ts', 'v2', 2);
    await Promise.all([first, second]);
    expect(logs).toContain('info cancel 1');
  });

  it('restarts a crashed worker, settles the pending request and tells the host', async () => {
    const { client, logs, found, restarts } = make();
    const r = await client.analyze('/w/crash.ts', 'x', 1);
    expect(r.cancelled).toBe(true);
    expect(r.error).toMatch(/worker stopped \(exit code 3\)/);
    expect(logs.some((l) => /^warn analysis worker exited with code 3; restarting in \d+ ms$/.test(l))).toBe(true);
    await until(() => restarts() === 1);
    // The new worker got its own init and serves requests again.
    expect((await client.analyze('/w/b.ts', 'y', 1)).cancelled).toBe(false);
    expect(found).toContain('/w/b.ts');
  });

  it('gives up after repeated crashes instead of looping, and fails requests fast', async () => {
    const { client, logs, restarts } = make();
    for (let i = 0; i < 6; i++) {
      await client.analyze('/w/crash.ts', 'x', 1);
      if (i < 5) await until(() => restarts() === i + 1);
    }
    expect(logs.some((l) => l.startsWith('error analysis worker crashed 5 times within a minute'))).toBe(true);
    const r = await client.analyze('/w/b.ts', 'y', 1);
    expect(r).toMatchObject({ cancelled: true, error: expect.stringContaining('keeps crashing') });
  });
});
