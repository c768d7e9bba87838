// The backend's connection pool, instrumented the way an APM hook would be: every query is
// timed into db_query_duration_seconds, and the pool's state is exported as db_pool_connections
// with the SQLAlchemy-style states the guide monitors (size, checked_in, checked_out, overflow).
import pg from 'pg';
import type { BackendMetrics } from './metrics.js';

/** Base pool size; up to as many again as overflow, like the guide's pool_size/max_overflow. */
export const POOL_SIZE = 5;
export const POOL_MAX = 10;

/** `schema`: tables live there instead of `public` (lets several platforms share one database). */
export function createDbPool(url: string, metrics: BackendMetrics, schema?: string): pg.Pool {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`schema must be a plain lower-case identifier, got "${schema}"`);
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX,
    application_name: 'ai-etl-backend',
    connectionTimeoutMillis: 5000,
    statement_timeout: 10_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => {}); // a dropped idle connection is replaced on next use
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
    const operation = (/^\s*(\w+)/.exec(text)?.[1] ?? 'other').toLowerCase();
    const end = metrics.dbDuration.startTimer({ operation });
    try {
      return await query(...args);
    } finally {
      end();
    }
  };
  return pool;
}

export function poolState(pool: pg.Pool | null, simulatedInFlight: number) {
  const total = pool ? pool.totalCount : Math.min(POOL_MAX, simulatedInFlight + 1);
  const idle = pool ? pool.idleCount : Math.max(0, total - simulatedInFlight);
  const checkedOut = total - idle;
  return { size: POOL_SIZE, checked_in: idle, checked_out: checkedOut, overflow: Math.max(0, total - POOL_SIZE), max: POOL_MAX, waiting: pool ? pool.waitingCount : 0 };
}
