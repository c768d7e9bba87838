// The reference platform's data access, written the way the guide's backend is (and the way
// Perf Insights should flag it): an N+1 when listing projects with their pipelines, and an
// unpaginated SELECT * feeding the generator. pg_stat_statements sees exactly these queries,
// so the dashboard can link its slow-query rows to the lines below.
import type { Pool } from 'pg';

export interface Project {
  id: number;
  name: string;
  pipelines: Array<{ id: number; name: string; status: string }>;
}

/** N+1: one query for the projects, then one query per project. */
export async function listProjectsWithPipelines(db: Pool): Promise<Project[]> {
  const projects = await db.query('SELECT id, name FROM projects ORDER BY id');
  const out: Project[] = [];
  for (const project of projects.rows) {
    const pipelines = await db.query('SELECT id, name, status FROM pipelines WHERE project_id = $1', [project.id]);
    out.push({ id: project.id, name: project.name, pipelines: pipelines.rows });
  }
  return out;
}

/** Unpaginated SELECT *: every column of every pipeline, however many there are. */
export async function loadAllPipelines(db: Pool): Promise<Array<Record<string, unknown>>> {
  const result = await db.query('SELECT * FROM pipelines');
  return result.rows;
}

export async function recordRun(db: Pool, pipelineId: number): Promise<boolean> {
  const res = await db.query("UPDATE pipelines SET status = 'running', last_run_at = now() WHERE id = $1", [pipelineId]);
  if (!res.rowCount) return false;
  await db.query("INSERT INTO pipeline_runs (pipeline_id, status) VALUES ($1, 'queued')", [pipelineId]);
  return true;
}

export async function countPipelines(db: Pool): Promise<number> {
  const res = await db.query('SELECT count(*)::int AS n FROM pipelines');
  return res.rows[0].n;
}
