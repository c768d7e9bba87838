// Schema and seed data of the reference platform. No index on pipelines.project_id on purpose
// (the N+1's lookups become sequential scans) and one index nothing uses (unused-index report).
import type { Pool } from 'pg';

export const PROJECTS = 20;
export const PIPELINES_PER_PROJECT = 25;

export async function ensureSchema(db: Pool, schema?: string): Promise<void> {
  const client = await db.connect();
  try {
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    // A lock so several platforms sharing one database do not seed twice.
    await client.query('SELECT pg_advisory_lock(74655)');
    await client.query(`CREATE TABLE IF NOT EXISTS projects (
      id serial PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await client.query(`CREATE TABLE IF NOT EXISTS pipelines (
      id serial PRIMARY KEY, project_id int NOT NULL REFERENCES projects(id), name text NOT NULL,
      status text NOT NULL DEFAULT 'idle', definition jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(), last_run_at timestamptz)`);
    await client.query('CREATE INDEX IF NOT EXISTS ix_pipelines_created_at ON pipelines (created_at)');
    await client.query(`CREATE TABLE IF NOT EXISTS pipeline_runs (
      id bigserial PRIMARY KEY, pipeline_id int NOT NULL, status text NOT NULL, started_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM projects');
    if (rows[0].n === 0) {
      await client.query(`INSERT INTO projects (name) SELECT 'project-' || g FROM generate_series(1, $1::int) g`, [PROJECTS]);
      await client.query(
        `INSERT INTO pipelines (project_id, name, definition)
         SELECT p.id, 'pipeline-' || p.id || '-' || g, jsonb_build_object('steps', g % 7 + 1, 'source', 'postgres')
         FROM projects p, generate_series(1, $1::int) g`,
        [PIPELINES_PER_PROJECT],
      );
      await client.query('ANALYZE projects; ANALYZE pipelines');
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(74655)').catch(() => {});
    client.release();
  }
}
