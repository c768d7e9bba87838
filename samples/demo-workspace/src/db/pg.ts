import { Pool } from 'pg';

// Metrics live in the platform's Postgres next to pg_stat_statements; read them with raw SQL.
export const metricsPool = new Pool({ connectionString: process.env.METRICS_DATABASE_URL, max: 5 });
