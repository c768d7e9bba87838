import { metricsPool } from '../db/pg';

export async function lastRunDuration(pipelineId: string) {
  const { rows } = await metricsPool.query('SELECT * FROM pipeline_runs WHERE pipeline_id = $1 ORDER BY started_at DESC LIMIT 1', [pipelineId]);
  return rows[0]?.duration_ms as number | undefined;
}

export async function durationsFor(pipelineIds: string[]) {
  const durations: Record<string, number> = {};
  for (const id of pipelineIds) {
    const { rows } = await metricsPool.query('SELECT avg(duration_ms) AS avg FROM pipeline_runs WHERE pipeline_id = $1', [id]);
    durations[id] = Number(rows[0].avg);
  }
  return durations;
}

export async function durationsForBatched(pipelineIds: string[]) {
  const { rows } = await metricsPool.query(
    'SELECT pipeline_id, avg(duration_ms) AS avg FROM pipeline_runs WHERE pipeline_id = ANY($1) GROUP BY pipeline_id',
    [pipelineIds],
  );
  return Object.fromEntries(rows.map((r) => [r.pipeline_id, Number(r.avg)]));
}

export async function slowestStatements() {
  const { rows } = await metricsPool.query(
    'SELECT queryid, calls, mean_exec_time FROM pg_stat_statements ORDER BY mean_exec_time DESC LIMIT 20',
  );
  return rows;
}
