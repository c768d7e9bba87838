// `npm run platform` as users run it: plain node, esbuild-bundled TypeScript, private services,
// a banner saying what runs where, and a clean stop on SIGTERM/SIGINT.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

function run(args: string[], signal: NodeJS.Signals): Promise<{ out: string; code: number | null; checks: Record<string, unknown> }> {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(process.execPath, ['scripts/platform.mjs', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const checks: Record<string, unknown> = {};
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`platform did not start/stop in time:\n${out}`));
    }, 60_000);
    const onData = async (b: Buffer) => {
      out += b.toString();
      if (out.includes('Ctrl+C stops it.') && !checks.started) {
        checks.started = true;
        const backend = /backend\s+(http:\/\/\S+)/.exec(out)![1];
        const r = await fetch(`${backend}/api/v1/health`).catch(() => null);
        checks.health = r?.status ?? null;
        checks.xResponseTime = r?.headers.get('x-response-time') ?? null;
        p.kill(signal);
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', (b: Buffer) => (out += b.toString()));
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ out, code, checks });
    });
  });
}

describe('npm run platform', () => {
  it('--help explains the flags', async () => {
    const p = spawn(process.execPath, ['scripts/platform.mjs', '--help'], { cwd: root });
    let out = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise((r) => p.on('exit', r));
    expect(code).toBe(0);
    for (const flag of ['--backend-port', '--llm-port', '--postgres', '--redis', '--slow', '--errors', '--no-load']) expect(out).toContain(flag);
  });

  it('without services: starts on the given ports, answers, stops cleanly on SIGTERM', async () => {
    const { out, code, checks } = await run(['--backend-port', '0', '--llm-port', '0', '--no-services', '--no-load'], 'SIGTERM');
    expect(checks.health).toBe(200);
    expect(checks.xResponseTime).toMatch(/s$/);
    expect(out).toContain('postgres     none (simulated)');
    expect(out).toContain('[platform] stopped');
    expect(code).toBe(0);
  });

  it('with private Postgres and Redis: prints how to connect, and removes them on SIGINT', async () => {
    const { out, code, checks } = await run(['--backend-port', '0', '--llm-port', '0', '--rps', '5'], 'SIGINT');
    expect(checks.health).toBe(200);
    expect(out).toMatch(/postgres\s+postgres:\/\/perf_monitor@127\.0\.0\.1:\d+\/perf {2}\(private; PGPASSWORD=/);
    expect(out).toMatch(/redis\s+redis:\/\/127\.0\.0\.1:\d+ {2}\(private\)/);
    expect(out).toMatch(/try: npx perf-insights kpis --prometheus http:\/\/127\.0\.0\.1:\d+\/metrics/);
    expect(code).toBe(0);
    // No private server of ours is left listening.
    const net = await import('node:net');
    const listening = (port: string) =>
      new Promise<boolean>((r) => {
        const s = net.connect(Number(port), '127.0.0.1', () => (s.destroy(), r(true)));
        s.on('error', () => r(false));
      });
    expect(await listening(/postgres:\/\/perf_monitor@127\.0\.0\.1:(\d+)/.exec(out)![1])).toBe(false);
    expect(await listening(/redis:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1])).toBe(false);
  });
});
