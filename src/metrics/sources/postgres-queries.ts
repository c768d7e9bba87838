// The SQL the Postgres source runs, with the row shapes it expects. Every statement is a single
// read-only SELECT (the source runs them inside BEGIN READ ONLY over the extended protocol).

export interface InfoRow {
  db: string;
  role: string;
  version: number;
  max_connections: number;
  preload: string | null;
  ext_version: string | null;
  privileged: boolean;
}
export const INFO_SQL = `SELECT current_database() AS db, current_user AS role,
  current_setting('server_version_num')::int AS version,
  current_setting('max_connections')::int AS max_connections,
  (SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries') AS preload,
  (SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements') AS ext_version,
  pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') AS privileged`;

export interface ConnRow {
  active: number;
  idle: number;
  idle_in_transaction: number;
  waiting: number;
  total: number;
}
export const CONNECTIONS_SQL = `SELECT
  count(*) FILTER (WHERE state = 'active')::int AS active,
  count(*) FILTER (WHERE state = 'idle')::int AS idle,
  count(*) FILTER (WHERE state LIKE 'idle in transaction%')::int AS idle_in_transaction,
  count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS waiting,
  count(*)::int AS total
  FROM pg_stat_activity WHERE backend_type = 'client backend'`;

export interface IndexRow {
  tbl: string;
  idx: string;
  size_bytes: string;
}
export const UNUSED_INDEXES_SQL = `SELECT s.schemaname || '.' || s.relname AS tbl, s.indexrelname AS idx,
  pg_relation_size(s.indexrelid)::bigint AS size_bytes
  FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
  WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary
  ORDER BY pg_relation_size(s.indexrelid) DESC, 1, 2 LIMIT 50`;

export interface SeqRow {
  tbl: string;
  seq_scan: string;
  seq_tup_read: string;
  idx_scan: string | null;
  n_live_tup: string;
}
export const SEQ_SCAN_SQL = `SELECT schemaname || '.' || relname AS tbl, seq_scan, seq_tup_read, idx_scan, n_live_tup
  FROM pg_stat_user_tables WHERE seq_scan > 0 AND n_live_tup >= $1
  ORDER BY seq_tup_read DESC LIMIT 20`;

export interface StmtRow {
  userid: string;
  dbid: string;
  queryid: string | null;
  calls: number;
  total: number;
  mean: number;
  stddev: number;
  rows: number;
  hit: number;
  read: number;
}
// pg_stat_statements(false): counters without texts, so a poll never reads the whole text file.
export const STATEMENTS_SQL = `SELECT s.userid::text AS userid, s.dbid::text AS dbid, s.queryid::text AS queryid,
  s.calls::float8 AS calls, s.total_exec_time AS total, s.mean_exec_time AS mean, s.stddev_exec_time AS stddev,
  s.rows::float8 AS rows, s.shared_blks_hit::float8 AS hit, s.shared_blks_read::float8 AS read
  FROM pg_stat_statements(false) s`;

export const TEXTS_SQL = `SELECT DISTINCT ON (queryid) queryid::text AS queryid, left(query, $2) AS query
  FROM pg_stat_statements WHERE queryid = ANY($1::bigint[])`;
