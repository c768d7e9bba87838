// The kpis command in process against local servers that replay real exporter output
// (python prometheus_client scrapes "a" then "b"), so every number is known in advance.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import schema from '../metrics/kpi-report.schema.json';
import { promFixture, sequence, startServer, type TestServer } from '../metrics/testing/http-servers';
import type { KpiReport } from '../metrics/types';
import { kpisServiceOptions, parseDuration, registerKpisCommand, runKpis, type KpisOptions } from './kpis';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function run(args: Partial<KpisOptions>, env: Record<string, string> = {}, cwd = mkdtempSync(join(tmpdir(), 'pi-kpis-'))) {
  let stdout = '';
  let stderr = '';
  const code = await runKpis(
    { interval: '200ms', format: 'text', failOn: 'critical', ...args },
    { cwd, env, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, stdoutIsTTY: false },
  );
  return { code, stdout, stderr };
}

async function pythonBackend() {
  const s = await startServer(sequence([promFixture('python-a.txt'), promFixture('python-b.txt')]));
  servers.push(s);
  return `${s.url}/metrics#backend`;
}

describe('perf-insights kpis', () => {
  it('prints the JSON report (schema v1) with the interval figures', async () => {
    const target = await pythonBackend();
    const { code, stdout } = await run({ prometheus: [target], format: 'json' });
    const report = JSON.parse(stdout) as KpiReport;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const valid = ajv.validate(schema, report);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const k = Object.fromEntries(report.kpis.map((x) => [x.id, x]));
    expect(k.error_rate_pct.value).toBeCloseTo(1.25, 9);
    expect(k.error_rate_pct.status).toBe('critical');
    expect(k.api_p95_ms.value).toBeCloseTo((0.1 + (0.4 * 80) / 95) * 1000, 6);
    expect(k.llm_p95_ms.value).toBeCloseTo(4550, 6);
    expect(k.cache_hit_rate_pct).toMatchObject({ value: 70, status: 'warning' });
    expect(k.db_p95_ms).toMatchObject({ value: null, status: 'unknown' });
    expect(report.llm.cache).toMatchObject({ exactHits: 30, semanticHits: 40, misses: 30, entries: null, withoutTtlPct: null });
    expect(report.llm.providers.map((p) => p.provider)).toEqual(['gpt-4-turbo', 'local-qwen2']);
    expect(report.routes.every((r) => r.service === 'backend')).toBe(true);
    expect(report.sources.map((s) => s.state)).toEqual(['ok', 'disabled', 'disabled', 'disabled', 'disabled']);
    // Error rate is critical: the default --fail-on critical gates.
    expect(code).toBe(1);
  });

  it('prints the text table with statuses, notes and sources; --fail-on never exits 0', async () => {
    const target = await pythonBackend();
    const { code, stdout } = await run({ prometheus: [target], failOn: 'never' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/API response time \(p95\)\s+437 ms\s+< 500 ms\s+> 2000 ms\s+ok/);
    expect(stdout).toMatch(/Error rate\s+1\.25 %\s+< 0\.10 %\s+> 1\.00 %\s+critical/);
    expect(stdout).toMatch(/Cache hit rate\s+70\.0 %\s+> 70\.0 %\s+< 40\.0 %\s+warning \s+prometheus:/);
    expect(stdout).toMatch(/Database query time \(p95\): .*no db_query_duration_seconds histogram/);
    expect(stdout).toMatch(/LLM cache {2}hit rate 70\.0 % \(exact 30, semantic 40, misses 30\)/);
    expect(stdout).toMatch(/gpt-4-turbo\s+4850 ms\s+4500 ms\s+35\.0/);
    expect(stdout).toMatch(/disabled\s+postgres — not configured/);
  });

  it('--fail-on warning fails on a warning; --fail-on critical does not', async () => {
    // Only the LLM gateway: cache hit rate 70 % (warning), no HTTP metrics.
    const only = (text: string) => text.split('\n').filter((l) => !/http_request|fixture_weird/.test(l)).join('\n');
    const s = await startServer(sequence([only(promFixture('python-a.txt')), only(promFixture('python-b.txt'))]));
    servers.push(s);
    expect((await run({ prometheus: [`${s.url}/metrics`], failOn: 'critical' })).code).toBe(0);
    const s2 = await startServer(sequence([only(promFixture('python-a.txt')), only(promFixture('python-b.txt'))]));
    servers.push(s2);
    expect((await run({ prometheus: [`${s2.url}/metrics`], failOn: 'warning' })).code).toBe(1);
  });

  it('reports every source down clearly and exits 0 (unknown does not fail a gate)', async () => {
    const s = await startServer(() => undefined);
    const port = s.port;
    await s.close();
    const { code, stdout, stderr } = await run({ prometheus: [`http://127.0.0.1:${port}/metrics`] });
    expect(code).toBe(0);
    expect(stdout).toMatch(/failing\s+prometheus:http:\/\/127\.0\.0\.1:\d+\/metrics — cannot connect to .*connection refused/);
    expect(stderr).toMatch(/no KPI could be measured/);
  });

  it('reads thresholds and names from .perf-insights.json and flags from argv', async () => {
    const target = await pythonBackend();
    const cwd = mkdtempSync(join(tmpdir(), 'pi-kpis-'));
    writeFileSync(join(cwd, '.perf-insights.json'), JSON.stringify({ metrics: { thresholds: { error_rate_pct: { target: 2, critical: 5 } }, bogus: 1 } }));
    const { code, stdout, stderr } = await run({ prometheus: [target], format: 'json' }, {}, cwd);
    const k = (JSON.parse(stdout) as KpiReport).kpis.find((x) => x.id === 'error_rate_pct')!;
    expect(k).toMatchObject({ status: 'ok', target: 2, critical: 5 });
    expect(code).toBe(0);
    expect(stderr).toMatch(/metrics\.bogus is not a known setting/);
  });

  it('takes passwords only from the environment', () => {
    const ctx = { cwd: tmpdir(), env: { PGPASSWORD: 'pw1', REDIS_URL: 'redis://:s3cret@127.0.0.1:6390/0' } };
    const { service } = kpisServiceOptions({ interval: '5s', format: 'text', failOn: 'critical', postgres: 'postgres://me@127.0.0.1:5432/app' }, ctx);
    expect(service.secrets).toEqual({ postgresPassword: 'pw1', redisPassword: 's3cret' });
    expect(service.config.redisUrl).toBe('redis://127.0.0.1:6390/0');
    expect(() => kpisServiceOptions({ interval: '5s', format: 'text', failOn: 'critical', postgres: 'postgres://me:pw@h/db' }, ctx)).toThrow(/PGPASSWORD/);
  });

  it('with only a Prometheus server, does not scrape the localhost defaults; explicit targets stay', () => {
    const base = { interval: '5s', format: 'text' as const, failOn: 'critical' as const, prometheusServer: 'http://prom:9090' };
    const ctx = { cwd: mkdtempSync(join(tmpdir(), 'pi-kpis-')), env: {} };
    expect(kpisServiceOptions(base, ctx).service.config.prometheusTargets).toEqual([]);
    expect(kpisServiceOptions({ ...base, prometheus: ['http://a:1/metrics,http://b:2/metrics'] }, ctx).service.config.prometheusTargets).toEqual([
      'http://a:1/metrics',
      'http://b:2/metrics',
    ]);
    expect(kpisServiceOptions({ ...base, prometheusServer: undefined }, ctx).service.config.prometheusTargets).toHaveLength(2);
  });

  it('parses durations', () => {
    expect([parseDuration('5s'), parseDuration('500ms'), parseDuration('1m'), parseDuration('2')]).toEqual([5000, 500, 60000, 2000]);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
    expect(() => parseDuration('10ms')).toThrow(/between/);
  });

  it('registers with commander and sets the exit code through the callback', async () => {
    const target = await pythonBackend();
    let out = '';
    let exit = -1;
    const program = new Command('perf-insights').exitOverride();
    registerKpisCommand(program, { cwd: tmpdir(), env: {}, stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, stdoutIsTTY: false, packageRoot: '.', version: 't' }, (c) => (exit = c));
    await program.parseAsync(['kpis', '--prometheus', target, '--interval', '200ms', '--format', 'json', '--fail-on', 'never'], { from: 'user' });
    expect(exit).toBe(0);
    expect(JSON.parse(out).version).toBe(1);
  });
});
