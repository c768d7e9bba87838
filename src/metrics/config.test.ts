import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_CONFIG, readMetricsConfigFile, resolveMetricsConfig } from './config';

describe('metrics config', () => {
  it('defaults: the guide\'s two /metrics targets, 5 s polls, 10 MB cap', () => {
    const { config, problems } = resolveMetricsConfig(undefined);
    expect(problems).toEqual([]);
    expect(config.prometheusTargets).toEqual(['http://localhost:8000/metrics', 'http://localhost:8001/metrics']);
    expect(config.intervalMs).toBe(5000);
    expect(config.maxResponseBytes).toBe(10 * 1024 * 1024);
    expect(config.names.statusLabels).toEqual(['status_code', 'status', 'code']);
  });

  it('merges overrides without touching the defaults and reports what it ignores', () => {
    const { config, problems } = resolveMetricsConfig({
      prometheusTargets: ['http://a:9/metrics#api'],
      apiUrl: '',
      names: { httpDuration: 'http_server_duration_milliseconds', routeLabels: 'http_route', nope: 'x' },
      queries: { apiP95Seconds: 'my_p95' },
      thresholds: { api_p95_ms: { target: 300 }, cpu_pct: 5 },
      intervalMs: 10,
      postgresUrl: 'postgres://u:secret@h/db',
      unknownKey: true,
    });
    expect(config.prometheusTargets).toEqual(['http://a:9/metrics#api']);
    expect(config.apiUrl).toBeUndefined();
    expect(config.names.httpDuration).toBe('http_server_duration_milliseconds');
    expect(config.names.routeLabels).toEqual(['http_route']);
    expect(config.queries.apiP95Seconds).toBe('my_p95');
    expect(config.thresholds.api_p95_ms).toEqual({ target: 300 });
    expect(config.intervalMs).toBe(5000);
    expect(DEFAULT_METRICS_CONFIG.names.httpDuration).toBe('http_request_duration_seconds');
    expect(problems).toEqual([
      expect.stringMatching(/^metrics\.names\.nope is not a known name \(known: httpDuration, /),
      'metrics.thresholds.cpu_pct must be { "target": n, "critical": n }',
      'metrics.intervalMs must be a number ≥ 100',
      'metrics.postgresUrl contains a password; put it in PGPASSWORD instead',
      'metrics.unknownKey is not a known setting',
    ]);
  });

  it('reads the metrics section of .perf-insights.json; missing file = defaults; bad JSON is reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pi-mcfg-'));
    expect(readMetricsConfigFile(join(dir, 'none.json'))).toEqual({ config: resolveMetricsConfig(undefined).config, problems: [] });
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ rules: {}, metrics: { cpuCores: 4 } }));
    expect(readMetricsConfigFile(join(dir, 'a.json')).config.cpuCores).toBe(4);
    writeFileSync(join(dir, 'b.json'), '{ metrics: ');
    expect(readMetricsConfigFile(join(dir, 'b.json')).problems[0]).toMatch(/b\.json is not valid JSON/);
    expect(resolveMetricsConfig([1]).problems).toEqual(['"metrics" must be an object']);
  });
});
