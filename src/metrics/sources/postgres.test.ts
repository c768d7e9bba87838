// The Postgres source against the shared private Postgres (test/support): real traffic, real
// pg_stat_statements, real roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sharedPostgres } from '../../../test/support/services.js';
import { fingerprintSql, initSql } from '../../analysis/sql/index.js';
import { createPostgresSource, type PostgresSample } from './postgres.js';

const pgi = sharedPostgres();
// Names unique to this file: other test files use the same database in parallel.
const S = `pgsrc_${process.pid}`;
const N1_SQL = `SELECT id, name, status FROM ${S}.pipelines WHERE project_id = $1`;
let app: pg.Client;

const collect = (src: ReturnType<typeof createPostgresSource>) => src.collect(AbortSignal.timeout(10_000));
const n1 = async (times: number) => {
  for (let i = 0; i < times; i++) await app.query(N1_SQL, [(i % 20) + 1]);
  // Backends flush table/index counters at most once a second; a quiet machine would read
  // them before that. Force the flush at the end of this statement (PG15+).
  await app.query('SELECT pg_stat_force_next_flush()');
};
const findN1 = (s: PostgresSample) => s.slowQueries?.find((q) => q.query.includes(`${S}.pipelines WHERE project_id`));

beforeAll(async () => {
  await initSql();
  app = new pg.Client({ connectionString: pgi.url('plain') });
  await app.connect();
  await app.query(`CREATE SCHEMA ${S}`);
  await app.query(`CREATE TABLE ${S}.projects (id int PRIMARY KEY, name text)`);
  await app.query(`CREATE TABLE ${S}.pipelines (id serial PRIMARY KEY, project_id int, name text, status text)`);
  await app.query(`CREATE INDEX ${S}_never_used ON ${S}.pipelines (status)`);
  await app.query(`CREATE UNIQUE INDEX ${S}_unique_unused ON ${S}.pipelines (name)`);
  await app.query(`INSERT INTO ${S}.projects SELECT g, 'p' || g FROM generate_series(1, 20) g`);
  await app.query(`INSERT INTO ${S}.pipelines (project_id, name, status) SELECT g % 20 + 1, 'pl' || g, 'ok' FROM generate_series(1, 2000) g`);
  await app.query(`ANALYZE ${S}.pipelines`);
});

afterAll(async () => {
  await app?.query(`DROP SCHEMA ${S} CASCADE`).catch(() => {});
  await app?.end();
});

describe('Postgres source (pg_monitor role)', () => {
  it('shows real N+1 traffic of the last interval only, linked to code by fingerprint', async () => {
    const src = createPostgresSource({ url: pgi.url('monitor'), topN: 100 });
    try {
      const first = await collect(src);
      expect(first.slowQueries).toBeNull(); // one sample is not an interval
      expect(first.intervalMs).toBeNull();
      expect(first.problems).toEqual([]);

      await n1(50);
      const second = await collect(src);
      const q = findN1(second);
      expect(q, JSON.stringify(second.slowQueries?.map((s) => s.query))).toBeDefined();
      expect(q!.calls).toBe(50);
      expect(q!.query).toBe(N1_SQL); // pg_stat_statements keeps the $1 form the code sent
      expect(q!.meanMs).toBeGreaterThan(0);
      expect(q!.totalMs).toBeCloseTo(q!.meanMs * 50, 6);
      expect(q!.rowsPerCall).toBe(100); // 2000 pipelines over 20 projects
      expect(q!.hitRatioPct).toBeGreaterThan(0);
      expect(q!.fingerprint).toBe(fingerprintSql(`SELECT id, name, status FROM ${S}.pipelines WHERE project_id = ?`));
      expect(second.statements!.calls).toBeGreaterThanOrEqual(50);
      expect(second.statements!.approxP95Ms).toBeGreaterThan(0);
      expect(second.intervalMs).toBeGreaterThan(0);

      await n1(20);
      const third = await collect(src);
      expect(findN1(third)!.calls).toBe(20);
      // Our own monitoring statements never appear among the user's queries.
      expect(third.slowQueries!.some((s) => /pg_stat_statements|pg_stat_activity/.test(s.query))).toBe(false);
    } finally {
      await src.close();
    }
  });

  it('handles a per-statement pg_stat_statements_reset between polls', async () => {
    const src = createPostgresSource({ url: pgi.url('monitor'), topN: 100 });
    const admin = new pg.Client({ connectionString: pgi.url('admin') });
    await admin.connect();
    try {
      await n1(30);
      await collect(src);
      await n1(30);
      await collect(src);
      const { rows } = await admin.query(
        `SELECT userid, dbid, queryid FROM pg_stat_statements WHERE query = $1`,
        [N1_SQL],
      );
      expect(rows.length).toBe(1);
      await admin.query('SELECT pg_stat_statements_reset($1, $2, $3)', [rows[0].userid, rows[0].dbid, rows[0].queryid]);
      await n1(7);
      expect(findN1(await collect(src))!.calls).toBe(7);
    } finally {
      await admin.end();
      await src.close();
    }
  });

  it('reports connection states against max_connections, including lock waits and idle in transaction', async () => {
    const src = createPostgresSource({ url: pgi.url('monitor') });
    const holder = new pg.Client({ connectionString: pgi.url('admin') });
    const waiter = new pg.Client({ connectionString: pgi.url('plain') });
    await holder.connect();
    await waiter.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${S}.projects IN ACCESS EXCLUSIVE MODE`);
      const blocked = waiter.query(`SELECT count(*) FROM ${S}.projects`);
      // Give the waiter time to reach the lock (poll instead of sleeping a fixed time).
      const probe = new pg.Client({ connectionString: pgi.url('admin') });
      await probe.connect();
      for (let i = 0; i < 100; i++) {
        const r = await probe.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`);
        if (r.rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await probe.end();
      const s = await collect(src);
      expect(s.connections.max).toBe(40); // the harness sets max_connections = 40
      expect(s.connections.waiting).toBeGreaterThanOrEqual(1);
      expect(s.connections.idleInTransaction).toBeGreaterThanOrEqual(1);
      expect(s.connections.active).toBeGreaterThanOrEqual(2); // the waiter and our own query
      expect(s.connections.total).toBeGreaterThanOrEqual(4);
      await holder.query('COMMIT');
      await blocked;
    } finally {
      await holder.end();
      await waiter.end();
      await src.close();
    }
  });

  it('lists unused non-unique indexes with their size, and tables read by sequential scans', async () => {
    const src = createPostgresSource({ url: pgi.url('monitor'), seqScanMinRows: 1000 });
    try {
      await n1(5); // no index on project_id: each call is a sequential scan of 2000 rows
      const s = await collect(src);
      const mine = s.unusedIndexes.filter((i) => i.table === `${S}.pipelines`);
      expect(mine.map((i) => i.index)).toEqual([`${S}_never_used`]); // unique and PK excluded
      expect(mine[0].sizeBytes).toBeGreaterThan(0);
      const t = s.seqScanTables.find((x) => x.table === `${S}.pipelines`);
      expect(t).toBeDefined();
      expect(t!.seqScans).toBeGreaterThanOrEqual(5);
      expect(t!.liveRows).toBeGreaterThanOrEqual(1000); // an estimate, refreshed by ANALYZE and stats flushes
      expect(s.seqScanTables.some((x) => x.table === `${S}.projects`)).toBe(false); // 20 rows: below the floor
    } finally {
      await src.close();
    }
  });

  it('runs read-only, with application_name perf-insights, in one pool of at most 2 that close() empties', async () => {
    const probe = new pg.Client({ connectionString: pgi.url('admin') });
    await probe.connect();
    // A role of its own, so connections of other files' sources are not counted.
    const role = `${S}_mon`;
    await probe.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw' IN ROLE pg_monitor`);
    const src = createPostgresSource({ url: pgi.url('admin').replace('perf_admin:admin-secret', `${role}:pw`) });
    try {
      await collect(src);
      const r = await probe.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'perf-insights' AND usename = '${role}'`);
      expect(r.rows[0].n).toBeGreaterThanOrEqual(1); // pooled connection stays open between polls
      const stmts = await probe.query(`SELECT query FROM pg_stat_statements WHERE query LIKE '/* perf-insights */%'`);
      expect(stmts.rows.map((x) => x.query)).toContain('/* perf-insights */ BEGIN READ ONLY');
      // One small pool: never more than 2 connections, all gone after close().
      const mine = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'perf-insights' AND usename = '${role}'`;
      await Promise.all([collect(src), collect(src), collect(src)]);
      expect((await probe.query(mine)).rows[0].n).toBeLessThanOrEqual(2);
      await src.close();
      for (let i = 0; i < 50 && (await probe.query(mine)).rows[0].n > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect((await probe.query(mine)).rows[0].n).toBe(0);
      await expect(collect(src)).rejects.toThrow(/closed/);
    } finally {
      await src.close();
      await probe.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
      await probe.end();
    }
  });
});

describe('Postgres source: what is missing, said exactly', () => {
  it('a database without the extension: says CREATE EXTENSION, still reports connections', async () => {
    const src = createPostgresSource({ url: pgi.url('monitor', pgi.noExtDatabase) });
    try {
      const s = await collect(src);
      expect(s.slowQueries).toBeNull();
      expect(s.problems.join('\n')).toContain('CREATE EXTENSION pg_stat_statements;');
      expect(s.problems.join('\n')).toContain(`database "${pgi.noExtDatabase}"`);
      expect(s.connections.max).toBe(40);
    } finally {
      await src.close();
    }
  });

  it('a role without pg_monitor: says GRANT pg_monitor TO <role>, hides what it cannot know', async () => {
    const src = createPostgresSource({ url: pgi.url('plain'), topN: 100 });
    try {
      await collect(src);
      await n1(3);
      const s = await collect(src);
      const text = s.problems.join('\n');
      expect(text).toContain('GRANT pg_monitor TO perf_plain;');
      expect(text).toMatch(/<insufficient privilege>/);
      expect(s.connections.idle).toBeNull(); // unknown, not 0
      expect(s.connections.max).toBe(40);
      // Its own statements are still visible and diffed.
      expect(findN1(s)?.calls).toBe(3);
    } finally {
      await src.close();
    }
  });

  it('a wrong password: a clear message naming PGPASSWORD, never the password', async () => {
    const src = createPostgresSource({ url: pgi.url('plain').replace('plain-secret', 'wrong-pw'), connectTimeoutMs: 3000 });
    try {
      const err = await collect(src).then(() => null, (e: Error) => e);
      expect(err?.name).toBe('SourceError');
      expect(err!.message).toMatch(/rejected the login.*PGPASSWORD/);
      expect(err!.message).not.toContain('wrong-pw');
      expect(src.id).toBe(`postgres:127.0.0.1:${pgi.port}/perf`);
    } finally {
      await src.close();
    }
  });

  it('nothing listening: a refused connection is a SourceError, not a crash', async () => {
    const src = createPostgresSource({ url: `postgres://x@127.0.0.1:1/db`, connectTimeoutMs: 2000 });
    try {
      await expect(collect(src)).rejects.toThrow(/refused the connection/);
    } finally {
      await src.close();
    }
  });

  it('an aborted poll rejects promptly', async () => {
    const src = createPostgresSource({ url: pgi.url('monitor') });
    try {
      const ac = new AbortController();
      ac.abort();
      await expect(src.collect(ac.signal)).rejects.toThrow();
      // and the source still works afterwards
      expect((await collect(src)).connections.max).toBe(40);
    } finally {
      await src.close();
    }
  });
});
