// Postgres source: the slowest statements of the last interval (pg_stat_statements, diffed
// between polls), connection states against max_connections, unused indexes and tables read by
// sequential scans. Read-only, one tiny pool, every call bounded by timeouts.
import pg from 'pg';
import { fingerprintSql, initSql } from '../../analysis/sql/index.js';
import { SourceError, type MetricSource } from '../source.js';
import type { Connections, SlowQuery, UnusedIndex } from '../types.js';
import * as msg from './postgres-messages.js';
import {
  CONNECTIONS_SQL,
  INFO_SQL,
  SEQ_SCAN_SQL,
  STATEMENTS_SQL,
  TEXTS_SQL,
  UNUSED_INDEXES_SQL,
  type ConnRow,
  type IndexRow,
  type InfoRow,
  type SeqRow,
  type StmtRow,
} from './postgres-queries.js';
import {
  diffStatements,
  intervalTotals,
  sumOfSquares,
  type IntervalTotals,
  type StatementCounters,
  type StatementSnapshot,
} from './postgres-statements.js';

export interface PostgresSourceOptions {
  /** postgres://user@host:port/db — the password comes from PGPASSWORD, not from settings. */
  url: string;
  /** Only for callers that read it from a secret store; never from plain settings. */
  password?: string;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** How many slow statements to report (default 10). */
  topN?: number;
  /** Query text is cut to this many characters (default 2000). */
  maxQueryChars?: number;
  /** Statements of every database instead of only the connected one. */
  allDatabases?: boolean;
  /** Tables smaller than this are not reported for sequential scans (default 1000 rows). */
  seqScanMinRows?: number;
}

export interface SeqScanTable {
  table: string;
  seqScans: number;
  seqRowsRead: number;
  idxScans: number | null;
  liveRows: number;
}

export interface PostgresSample {
  at: number;
  /** ms since the previous successful sample; null on the first. */
  intervalMs: number | null;
  serverVersion: number;
  /** Interval's slowest statements by total time; null when not measurable (first poll, no extension). */
  slowQueries: SlowQuery[] | null;
  /** Interval totals over all visible statements, incl. an approximate p95 (see IntervalTotals). */
  statements: IntervalTotals | null;
  connections: Connections & { total: number };
  unusedIndexes: UnusedIndex[];
  seqScanTables: SeqScanTable[];
  /** Non-fatal, actionable problems (missing extension, missing pg_monitor). */
  problems: string[];
}

export const APPLICATION_NAME = 'perf-insights';
/** Marks our own statements so they never show up among the user's slow queries. */
const TAG = '/* perf-insights */';

export function createPostgresSource(opts: PostgresSourceOptions): MetricSource<PostgresSample> & { close(): Promise<void> } {
  const connectMs = opts.connectTimeoutMs ?? 5_000;
  const statementMs = opts.statementTimeoutMs ?? 5_000;
  const topN = opts.topN ?? 10;
  const maxChars = opts.maxQueryChars ?? 2_000;
  const where = describeTarget(opts.url);
  const pool = new pg.Pool({
    connectionString: opts.url,
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    max: 2,
    connectionTimeoutMillis: connectMs,
    idleTimeoutMillis: 30_000,
    application_name: APPLICATION_NAME,
    statement_timeout: statementMs,
    idle_in_transaction_session_timeout: statementMs * 2,
    query_timeout: statementMs + 1_000,
    allowExitOnIdle: true,
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, that would
  // crash the host process. The next collect() reports the outage instead.
  pool.on('error', () => {});

  let prev: StatementSnapshot | null = null;
  let closed = false;

  async function collect(signal: AbortSignal): Promise<PostgresSample> {
    if (closed) throw new SourceError(`Postgres source for ${where} is closed.`);
    signal.throwIfAborted();
    // The parser only links rows to code (fingerprint); without it the rest still works.
    await initSql().catch(() => {});
    const client = await abortable(pool.connect(), signal, (late) => late.release()).catch((e) => {
      throw wrap(e);
    });
    // pg-pool stops listening for a client's 'error' while it is checked out; a server dying
    // mid-poll then emits one that, unheard, would crash the host. The failing query reports it.
    const onClientError = () => {};
    client.on('error', onClientError);
    let broken: Error | undefined;
    const onAbort = () => {
      // Destroying the connection is the only way to stop a query pg has already sent.
      broken = new SourceError(`Postgres poll of ${where} aborted.`);
      client.release(broken);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    let failed = false;
    try {
      const q = <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
        // queryMode 'extended': the protocol that allows exactly one statement per call.
        client.query<R>({ text: `${TAG} ${text}`, values, queryMode: 'extended' } as pg.QueryConfig);
      await q('BEGIN READ ONLY');
      const sample = await sampleIn(q);
      await q('COMMIT');
      return sample;
    } catch (e) {
      failed = true;
      throw signal.aborted ? new SourceError(`Postgres poll of ${where} aborted.`) : wrap(e);
    } finally {
      signal.removeEventListener('abort', onAbort);
      client.off('error', onClientError);
      // After a failure the session may sit in an aborted transaction: never pool it again.
      if (!broken) client.release(failed || hasDeadConnection(client) ? true : undefined);
    }
  }

  type Q = <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<pg.QueryResult<R>>;

  async function sampleIn(q: Q): Promise<PostgresSample> {
    const at = Date.now();
    const info = (await q<InfoRow>(INFO_SQL)).rows[0];
    const problems: string[] = [];
    const privileged = info.privileged;
    const conn = (await q<ConnRow>(CONNECTIONS_SQL)).rows[0];
    // Without pg_read_all_stats, other sessions' state is NULL: counts would silently undercount.
    const connections = {
      active: privileged ? conn.active : null,
      idle: privileged ? conn.idle : null,
      idleInTransaction: privileged ? conn.idle_in_transaction : null,
      waiting: privileged ? conn.waiting : null,
      max: info.max_connections,
      total: conn.total,
    };
    const unusedIndexes = (await q<IndexRow>(UNUSED_INDEXES_SQL)).rows.map((r) => ({ table: r.tbl, index: r.idx, sizeBytes: Number(r.size_bytes) }));
    const seqScanTables = (await q<SeqRow>(SEQ_SCAN_SQL, [opts.seqScanMinRows ?? 1_000])).rows.map((r) => ({
      table: r.tbl,
      seqScans: Number(r.seq_scan),
      seqRowsRead: Number(r.seq_tup_read),
      idxScans: r.idx_scan === null ? null : Number(r.idx_scan),
      liveRows: Number(r.n_live_tup),
    }));

    let slowQueries: SlowQuery[] | null = null;
    let statements: IntervalTotals | null = null;
    const intervalMs = prev ? at - prev.at : null;
    if (info.version < 130000) problems.push(msg.oldServer(info.version));
    else if (!info.ext_version) problems.push(msg.extensionMissing(info.db, info.preload));
    else {
      const stats = await readStatements(q, info);
      if ('problem' in stats) problems.push(stats.problem);
      else {
        if (!privileged) problems.push(msg.lacksMonitor(info.role, stats.hidden));
        const interval = diffStatements(prev, stats.snapshot);
        if (prev) {
          const own = await fetchTexts(q, interval.slice(0, topN * 2 + 10).map((s) => s.queryid));
          const visible = interval.filter((s) => !own.mine.has(s.queryid));
          statements = intervalTotals(visible);
          slowQueries = visible.slice(0, topN).map((s) => {
            const query = own.texts.get(s.queryid) ?? '';
            return { ...s, query, fingerprint: query ? (fingerprintSql(query) ?? null) : null };
          });
        }
        prev = stats.snapshot;
      }
    }
    if (!privileged && !problems.some((p) => p.includes('pg_monitor'))) problems.push(msg.lacksMonitor(info.role, 0));
    return { at, intervalMs, serverVersion: info.version, slowQueries, statements, connections, unusedIndexes, seqScanTables, problems };
  }

  async function readStatements(q: Q, info: InfoRow): Promise<{ snapshot: StatementSnapshot; hidden: number } | { problem: string }> {
    let rows: StmtRow[];
    let statsReset: string | null = null;
    try {
      const filter = opts.allDatabases ? 'true' : 's.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())';
      const top = info.version >= 140000 ? 'AND s.toplevel' : '';
      rows = (await q<StmtRow>(`${STATEMENTS_SQL} WHERE ${filter} ${top}`)).rows;
      if (versionAtLeast(info.ext_version!, 1, 9)) {
        statsReset = (await q<{ stats_reset: string | null }>('SELECT stats_reset::text AS stats_reset FROM pg_stat_statements_info')).rows[0]?.stats_reset ?? null;
      }
    } catch (e) {
      if ((e as { code?: string }).code === '55000' && /shared_preload_libraries/.test((e as Error).message)) {
        // The transaction is aborted now; the caller's COMMIT turns into a ROLLBACK, which is fine.
        return { problem: msg.extensionNotLoaded() };
      }
      throw e;
    }
    const entries: StatementCounters[] = [];
    let hidden = 0;
    for (const r of rows) {
      if (r.queryid === null) {
        hidden++; // "<insufficient privilege>": no queryid to follow it between polls
        continue;
      }
      entries.push({
        key: `${r.userid}:${r.dbid}:${r.queryid}`,
        queryid: r.queryid,
        calls: r.calls,
        totalMs: r.total,
        sumSqMs: sumOfSquares(r.calls, r.mean, r.stddev),
        rows: r.rows,
        sharedBlksHit: r.hit,
        sharedBlksRead: r.read,
      });
    }
    return { snapshot: { at: Date.now(), statsReset, entries }, hidden };
  }

  async function fetchTexts(q: Q, queryids: string[]): Promise<{ texts: Map<string, string>; mine: Set<string> }> {
    const texts = new Map<string, string>();
    const mine = new Set<string>();
    if (!queryids.length) return { texts, mine };
    const rows = (await q<{ queryid: string; query: string }>(TEXTS_SQL, [queryids, maxChars])).rows;
    for (const r of rows) {
      if (r.query.startsWith(TAG)) mine.add(r.queryid);
      else texts.set(r.queryid, r.query);
    }
    return { texts, mine };
  }

  function wrap(e: unknown): SourceError {
    if (e instanceof SourceError) return e;
    return new SourceError(msg.describePgError(e, where, { connectMs, statementMs }), { cause: e });
  }

  return {
    id: `postgres:${where}`,
    kind: 'postgres',
    collect,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => {});
    },
  };
}

/** host:port/db without credentials, for ids and messages. */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || ''}`;
  } catch {
    return 'the configured Postgres URL (unparsable)';
  }
}

function versionAtLeast(v: string, major: number, minor: number): boolean {
  const [a, b] = v.split('.').map(Number);
  return a > major || (a === major && (b ?? 0) >= minor);
}

function hasDeadConnection(client: pg.PoolClient): boolean {
  const c = client as unknown as { _ending?: boolean; _connected?: boolean };
  return Boolean(c._ending) || c._connected === false;
}

function abortable<T>(p: Promise<T>, signal: AbortSignal, onLate: (v: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SourceError('Postgres poll aborted while connecting.'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) onLate(v);
        else resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
