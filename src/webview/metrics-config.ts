// Translate the editor's `perfInsights.platform.*` settings into the metrics layer's config.
// `.perf-insights.json` (metric names, thresholds, queries) is the base; the settings choose
// the endpoints. Passwords never appear here: the service gets them from the secret storage.
import type { MetricsConfig } from '../metrics/config';
import type { PlatformSettings } from '../editor/settings';

export function metricsConfigFromSettings(p: PlatformSettings, base: MetricsConfig): MetricsConfig {
  return {
    ...base,
    prometheusTargets: p.prometheusTargets,
    prometheusServerUrl: p.prometheusServerUrl || undefined,
    apiUrl: p.apiUrl || undefined,
    postgresUrl: p.postgres.host ? postgresUrl(p.postgres) : undefined,
    redisUrl: p.redis.host ? `redis://${hostPart(p.redis.host)}:${p.redis.port}` : undefined,
    intervalMs: p.pollIntervalSeconds * 1000,
  };
}

/** True when at least one source would be polled. */
export function hasAnySource(p: PlatformSettings): boolean {
  return p.prometheusTargets.length > 0 || !!p.prometheusServerUrl || !!p.apiUrl || !!p.postgres.host || !!p.redis.host;
}

function postgresUrl(pg: PlatformSettings['postgres']): string {
  const user = pg.user ? `${encodeURIComponent(pg.user)}@` : '';
  return `postgres://${user}${hostPart(pg.host)}:${pg.port}/${encodeURIComponent(pg.database || 'postgres')}`;
}

/** IPv6 literals need brackets inside a URL. */
function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
