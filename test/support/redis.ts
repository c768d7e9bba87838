// A private, throw-away Redis for tests and the reference platform: a free loopback port, no
// persistence, a temp working dir. The server is a child of the process that started it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary } from './binaries.js';
import { freePort } from './free-port.js';

export interface RedisInfo {
  host: '127.0.0.1';
  port: number;
  url: string;
  dir: string;
}

export interface RedisHandle extends RedisInfo {
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

export interface StartRedisOptions {
  /** e.g. '64mb'; unset = no limit (Redis' default). */
  maxmemory?: string;
  maxmemoryPolicy?: string;
}

export async function startRedis(opts: StartRedisOptions = {}): Promise<RedisHandle> {
  const exe = binary('redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'pi-redis-'));
  const port = await freePort();
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
    '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes',
    ...(opts.maxmemory ? ['--maxmemory', opts.maxmemory] : []),
    ...(opts.maxmemoryPolicy ? ['--maxmemory-policy', opts.maxmemoryPolicy] : []),
  ];
  let child: ChildProcess | null = null;
  const kill = () => child?.kill('SIGKILL');
  process.once('exit', kill);

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      let out = '';
      const timer = setTimeout(() => fail(new Error(`redis-server did not become ready in 10 s:\n${out}`)), 10_000);
      const fail = (e: Error) => {
        clearTimeout(timer);
        proc.kill('SIGKILL');
        reject(e);
      };
      const onData = (b: Buffer) => {
        out += b.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          proc.stdout?.off('data', onData);
          proc.stdout?.resume();
          proc.stderr?.resume();
          resolve();
        }
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', (b: Buffer) => (out += b.toString()));
      proc.once('error', fail);
      proc.once('exit', (code) => fail(new Error(`redis-server exited (${code}) before it was ready:\n${out}`)));
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      const proc = child;
      child = null;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.removeAllListeners('exit');
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });

  await start();
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    start,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    destroy: async () => {
      await stop();
      process.off('exit', kill);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
