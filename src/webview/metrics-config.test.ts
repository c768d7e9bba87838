import { describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_CONFIG } from '../metrics/config';
import { readSettings } from '../editor/settings';
import { hasAnySource, metricsConfigFromSettings } from './metrics-config';

const settings = (explicit: Record<string, unknown>) => readSettings((k) => explicit[k]).platform;

describe('metrics config from editor settings', () => {
  it('keeps the defaults and maps the poll interval', () => {
    const c = metricsConfigFromSettings(settings({}), DEFAULT_METRICS_CONFIG);
    expect(c.prometheusTargets).toEqual(['http://localhost:8000/metrics', 'http://localhost:8001/metrics']);
    expect(c.postgresUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.apiUrl).toBeUndefined();
    expect(c.intervalMs).toBe(5000);
    expect(c.names).toBe(DEFAULT_METRICS_CONFIG.names);
  });
  it('builds password-free Postgres and Redis URLs, escaping user and database, bracketing IPv6', () => {
    const c = metricsConfigFromSettings(
      settings({
        'platform.postgres.host': '::1',
        'platform.postgres.port': 55432,
        'platform.postgres.user': 'mon itor',
        'platform.postgres.database': 'app/db',
        'platform.redis.host': '127.0.0.1',
        'platform.redis.port': 16379,
        'platform.apiUrl': 'http://127.0.0.1:8000',
        'platform.pollIntervalSeconds': 30,
      }),
      DEFAULT_METRICS_CONFIG,
    );
    expect(c.postgresUrl).toBe('postgres://mon%20itor@[::1]:55432/app%2Fdb');
    expect(c.redisUrl).toBe('redis://127.0.0.1:16379');
    expect(c.apiUrl).toBe('http://127.0.0.1:8000');
    expect(c.intervalMs).toBe(30_000);
    expect(new URL(c.postgresUrl!).password).toBe('');
  });
  it('knows when nothing at all is configured', () => {
    expect(hasAnySource(settings({}))).toBe(true);
    expect(hasAnySource(settings({ 'platform.prometheusTargets': [] }))).toBe(false);
    expect(hasAnySource(settings({ 'platform.prometheusTargets': [], 'platform.redis.host': 'localhost' }))).toBe(true);
  });
});
