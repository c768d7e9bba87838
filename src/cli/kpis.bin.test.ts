// `perf-insights kpis` as a real child process from a fresh esbuild bundle of src/cli.ts (in a
// temp dir, so it never races the shared dist/ build): exit codes reach the shell, and the process
// ends on its own (no socket, pool or timer keeps it alive after the report).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promFixture, sequence, startServer, type TestServer } from '../metrics/testing/http-servers';
import { PACKAGE_ROOT } from './test-support';

let cli: string;
const servers: TestServer[] = [];

beforeAll(async () => {
  cli = join(mkdtempSync(join(tmpdir(), 'pi-kpis-bin-')), 'cli.js');
  await esbuild.build({ entryPoints: [join(PACKAGE_ROOT, 'src/cli.ts')], outfile: cli, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], logLevel: 'silent' });
  // As esbuild.mjs does for dist/: the SQL parser's WASM sits beside the bundle.
  copyFileSync(join(PACKAGE_ROOT, 'node_modules/libpg-query/wasm/libpg-query.wasm'), join(cli, '..', 'libpg-query.wasm'));
}, 120_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('perf-insights kpis (child process)', () => {
  it('prints JSON and exits 1 at --fail-on critical, then ends by itself', async () => {
    const s = await startServer(sequence([promFixture('python-a.txt'), promFixture('python-b.txt')]));
    servers.push(s);
    const r = await run(['kpis', '--prometheus', `${s.url}/metrics`, '--interval', '300ms', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // error rate 1.25 % is critical
    const report = JSON.parse(r.stdout);
    expect(report.kpis.find((k: { id: string }) => k.id === 'error_rate_pct').status).toBe('critical');
  });

  it('exits 0 with --fail-on never even when a Postgres/Redis is unreachable, and exits promptly', async () => {
    const s = await startServer(sequence([promFixture('python-a.txt'), promFixture('python-b.txt')]));
    servers.push(s);
    const dead = await startServer(() => undefined);
    await dead.close();
    const r = await run(
      ['kpis', '--prometheus', `${s.url}/metrics`, '--postgres', `postgres://nobody@127.0.0.1:${dead.port}/x`, '--redis', `redis://127.0.0.1:${dead.port}`, '--interval', '300ms', '--fail-on', 'never'],
      { PGPASSWORD: 'unused' },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/failing\s+postgres:127\.0\.0\.1:\d+\/x — .*refused/);
    expect(r.stdout).toMatch(/failing\s+redis:127\.0\.0\.1:\d+ — /);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('refuses a password on the command line (exit 2)', async () => {
    const r = await run(['kpis', '--postgres', 'postgres://u:hunter2@127.0.0.1:5432/db', '--interval', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/do not put a password on the command line .*PGPASSWORD/);
    expect(r.stdout).toBe('');
  });
});
