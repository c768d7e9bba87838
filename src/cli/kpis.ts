// `perf-insights kpis`: two samples --interval apart from every configured source, then the
// eight KPIs with statuses, routes, slowest queries and LLM cache stats, as text or as the
// documented JSON (src/metrics/types.ts, version 1). Exit 1 when a KPI reaches --fail-on, so it
// can gate a deploy. Passwords come from the environment only (PGPASSWORD, REDIS_URL).
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { DEFAULT_METRICS_CONFIG, readMetricsConfigFile, type MetricsConfig } from '../metrics/config.js';
import { sampleTwice, type MetricsServiceOptions } from '../metrics/service.js';
import type { KpiReport } from '../metrics/types.js';
import type { CliContext } from './context.js';
import { UsageError } from './context.js';
import { formatKpisText } from '../metrics/report-text.js';

export const KPI_FORMATS = ['text', 'json'] as const;
export const KPI_FAIL_ON = ['critical', 'warning', 'never'] as const;

export interface KpisOptions {
  prometheus?: string[];
  prometheusServer?: string;
  api?: string;
  postgres?: string;
  redis?: string;
  interval: string;
  config?: string;
  format: (typeof KPI_FORMATS)[number];
  failOn: (typeof KPI_FAIL_ON)[number];
}

/** "5s", "500ms", "1m", "5" (seconds) → ms. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) throw new UsageError(`--interval: "${text}" is not a duration (examples: 5s, 500ms, 1m)`);
  const n = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
  if (n < 100 || n > 3_600_000) throw new UsageError(`--interval must be between 100ms and 60m (got ${text})`);
  return n;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

function stripPassword(url: string): { url: string; password?: string } {
  try {
    const u = new URL(url);
    const password = u.password ? decodeURIComponent(u.password) : undefined;
    u.password = '';
    return { url: u.toString(), password };
  } catch {
    return { url };
  }
}

/** Config file, then flags; secrets only from the environment. */
export function kpisServiceOptions(opts: KpisOptions, ctx: Pick<CliContext, 'cwd' | 'env'>): { service: MetricsServiceOptions; problems: string[] } {
  for (const [flag, url] of [['--postgres', opts.postgres], ['--redis', opts.redis], ['--api', opts.api], ['--prometheus-server', opts.prometheusServer]] as const) {
    if (url && hasPassword(url)) {
      const env = flag === '--postgres' ? 'PGPASSWORD' : flag === '--redis' ? 'REDIS_URL' : 'the environment';
      throw new UsageError(`${flag}: do not put a password on the command line (it ends up in shell history and ps); use ${env}`);
    }
  }
  const file = resolve(ctx.cwd, opts.config ?? '.perf-insights.json');
  const { config: base, problems } = readMetricsConfigFile(file);
  if (opts.config && problems.some((p) => p.startsWith('cannot read'))) throw new UsageError(problems[0]);
  const config: MetricsConfig = { ...base };
  if (opts.prometheus?.length) config.prometheusTargets = opts.prometheus.flatMap((p) => p.split(',')).map((s) => s.trim()).filter(Boolean);
  else if (opts.prometheusServer && sameList(config.prometheusTargets, DEFAULT_METRICS_CONFIG.prometheusTargets)) {
    // A fleet behind a Prometheus server: the server already scrapes the instances, so the
    // localhost defaults would only add two failing sources.
    config.prometheusTargets = [];
  }
  if (opts.prometheusServer) config.prometheusServerUrl = opts.prometheusServer;
  if (opts.api) config.apiUrl = opts.api;
  if (opts.postgres) config.postgresUrl = opts.postgres;
  const envRedis = ctx.env.REDIS_URL ? stripPassword(ctx.env.REDIS_URL) : undefined;
  if (opts.redis) config.redisUrl = opts.redis;
  else if (!config.redisUrl && envRedis) config.redisUrl = envRedis.url;
  const postgresPassword = ctx.env.PGPASSWORD || undefined;
  const redisPassword = envRedis?.password ?? (ctx.env.REDISCLI_AUTH || undefined);
  return { service: { config, secrets: { postgresPassword, redisPassword } }, problems };
}

export function kpisExitCode(report: KpiReport, failOn: KpisOptions['failOn']): number {
  if (failOn === 'never') return 0;
  return report.kpis.some((k) => k.status === 'critical' || (failOn === 'warning' && k.status === 'warning')) ? 1 : 0;
}

export async function runKpis(opts: KpisOptions, ctx: Pick<CliContext, 'cwd' | 'env' | 'stdout' | 'stderr' | 'stdoutIsTTY'>): Promise<number> {
  const intervalMs = parseDuration(opts.interval);
  const { service, problems } = kpisServiceOptions(opts, ctx);
  for (const p of problems) ctx.stderr.write(`perf-insights: config: ${p}\n`);
  const report = await sampleTwice(service, intervalMs);
  if (opts.format === 'json') ctx.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else ctx.stdout.write(formatKpisText(report, { color: ctx.stdoutIsTTY && !ctx.env.NO_COLOR && ctx.env.TERM !== 'dumb' }));
  if (report.kpis.every((k) => k.value === null)) {
    ctx.stderr.write('perf-insights: no KPI could be measured; check the sources listed above (is the platform running?)\n');
  }
  return kpisExitCode(report, opts.failOn);
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerKpisCommand(program: Command, ctx?: CliContext, setExitCode?: (code: number) => void): void {
  program
    .command('kpis')
    .description("sample the platform's live KPIs twice --interval apart and print them with statuses")
    .option('--prometheus <url>', 'a /metrics endpoint to scrape (repeatable; URL#name names the service)', collect)
    .option('--prometheus-server <url>', 'a Prometheus server (or Thanos/Mimir/VictoriaMetrics) to query with PromQL')
    .option('--api <url>', 'base URL of the platform JSON API (/api/v1/metrics/...)')
    .option('--postgres <url>', 'postgres://user@host:port/db (password from PGPASSWORD)')
    .option('--redis <url>', 'redis://host:port (password from REDIS_URL)')
    .option('--interval <duration>', 'time between the two samples', '5s')
    .option('--config <file>', 'config file with a "metrics" section (default: .perf-insights.json)')
    .addOption(new Option('--format <format>', 'output format').choices(KPI_FORMATS).default('text'))
    .addOption(new Option('--fail-on <status>', 'exit with 1 when a KPI reaches this status').choices(KPI_FAIL_ON).default('critical'))
    .action(async (raw: KpisOptions) => {
      const c = ctx ?? { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, stdoutIsTTY: !!process.stdout.isTTY };
      const code = await runKpis(raw, c);
      if (setExitCode) setExitCode(code);
      else process.exitCode = code;
    });
}
