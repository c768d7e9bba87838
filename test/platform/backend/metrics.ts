// The backend's Prometheus metrics, named as prom-client users and the guide name them.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const HTTP_DURATION = 'http_request_duration_seconds';
export const HTTP_REQUESTS = 'http_requests_total';
export const DB_DURATION = 'db_query_duration_seconds';
export const DB_POOL = 'db_pool_connections';

export interface BackendMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  httpRequests: Counter<'method' | 'route' | 'status_code'>;
  dbDuration: Histogram<'operation'>;
  dbPool: Gauge<'state'>;
}

export function createBackendMetrics(): BackendMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'ai-etl-backend' });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: HTTP_DURATION,
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status_code'],
      // prom-client's defaults plus steps around the guide's 500 ms / 2 s thresholds and the generator's 8 s p95.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20],
      registers: [registry],
    }),
    httpRequests: new Counter({ name: HTTP_REQUESTS, help: 'HTTP requests', labelNames: ['method', 'route', 'status_code'], registers: [registry] }),
    dbDuration: new Histogram({
      name: DB_DURATION,
      help: 'Database query latency',
      labelNames: ['operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    dbPool: new Gauge({ name: DB_POOL, help: 'Database pool connections by state (size, checked_in, checked_out, overflow)', labelNames: ['state'], registers: [registry] }),
  };
}
