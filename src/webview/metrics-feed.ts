// The production feed: H3's MetricsService (no vscode inside), given the config built from
// settings and the passwords from the secret storage.
import type { MetricsConfig } from '../metrics/config';
import { MetricsService } from '../metrics/service';
import type { FeedSecrets, LogLike, MetricsFeed } from './dashboard-host';

export function createMetricsFeed(config: MetricsConfig, secrets: FeedSecrets, log: LogLike): MetricsFeed {
  return new MetricsService({
    config,
    secrets,
    log: (level, msg) => log[level](`metrics: ${msg}`),
  });
}
