// A private Prometheus server for tests: generated config scraping loopback targets at a short
// interval, temp TSDB directory, free port. Stopped and deleted by destroy().
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary } from './binaries.js';
import { freePort } from './free-port.js';

export interface PrometheusHandle {
  url: string;
  dir: string;
  destroy(): Promise<void>;
}

/** `targets`: job name → host:port (metrics_path /metrics). */
export async function startPrometheus(targets: Record<string, string>, opts: { scrapeInterval?: string } = {}): Promise<PrometheusHandle> {
  const exe = binary('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'pi-prom-'));
  const port = await freePort();
  const interval = opts.scrapeInterval ?? '1s';
  const config = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'scrape_configs:',
    ...Object.entries(targets).flatMap(([job, target]) => [
      `  - job_name: '${job}'`,
      `    metrics_path: '/metrics'`,
      `    scrape_interval: ${interval}`,
      `    static_configs:`,
      `      - targets: ['${target}']`,
    ]),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const proc = spawn(exe, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr?.on('data', (b: Buffer) => (log = (log + b.toString()).slice(-4000)));
  const kill = () => proc.kill('SIGKILL');
  process.once('exit', kill);
  const url = `http://127.0.0.1:${port}`;
  const destroy = async () => {
    process.off('exit', kill);
    if (proc.exitCode === null && proc.signalCode === null) {
      await new Promise<void>((r) => {
        proc.once('exit', () => r());
        proc.kill('SIGTERM');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) {
      await destroy();
      throw new Error(`prometheus exited (${proc.exitCode}) before it was ready:\n${log}`);
    }
    const ok = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await destroy();
      throw new Error(`prometheus did not become ready in 20 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, dir, destroy };
}
