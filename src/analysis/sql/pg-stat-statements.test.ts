// The link the dashboard relies on: a query written in code (template literal, `?` or `$n`
// params, literals) and the row a real Postgres 15 records for it in pg_stat_statements have
// the same fingerprintSql(). Runs the queries against the shared test Postgres.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPostgres } from '../../../test/support/services.js';
import { fingerprintSql, initSql, templateToSql } from './index.js';

const table = `fp_orders_${process.pid}_${Date.now().toString(36)}`;
let client: pg.Client;

beforeAll(async () => {
  await initSql();
  client = new pg.Client({ connectionString: sharedPostgres().url('admin'), application_name: 'perf-insights-sql-test' });
  await client.connect();
  await client.query(`CREATE TABLE ${table} (id serial PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric NOT NULL DEFAULT 0)`);
  await client.query(`INSERT INTO ${table} (customer_id, status, total) SELECT g % 7, CASE WHEN g % 2 = 0 THEN 'paid' ELSE 'open' END, g FROM generate_series(1, 50) g`);
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  await client?.end();
});

/** The normalised text pg_stat_statements recorded for a statement touching our table and matching `marker`. */
async function recorded(marker: RegExp): Promise<string> {
  const { rows } = await client.query<{ query: string }>(`SELECT query FROM pg_stat_statements WHERE query LIKE '%' || $1 || '%'`, [table]);
  const hit = rows.map((r) => r.query).find((q) => marker.test(q));
  if (!hit) throw new Error(`no pg_stat_statements row matching ${marker} among:\n${rows.map((r) => r.query).join('\n')}`);
  return hit;
}

describe('fingerprintSql(code) === fingerprintSql(pg_stat_statements.query)', () => {
  it('a template literal with value holes, run with bind parameters', async () => {
    const parts = [`SELECT id, status FROM ${table} WHERE customer_id = `, ` AND status = `, ` ORDER BY id`];
    await client.query(`SELECT id, status FROM ${table} WHERE customer_id = $1 AND status = $2 ORDER BY id`, [3, 'paid']);
    const stat = await recorded(/customer_id = \$1 AND status = \$2 ORDER BY id/);
    expect(fingerprintSql(templateToSql(parts))).toBe(fingerprintSql(stat));
  });

  it('a query with literals, which Postgres normalises to $n', async () => {
    const code = `SELECT count(*) FROM ${table} WHERE status = 'open' AND total > 10`;
    await client.query(code);
    const stat = await recorded(/count\(\*\).*status = \$1 AND total > \$2/);
    expect(stat).not.toContain("'open'");
    expect(fingerprintSql(code)).toBe(fingerprintSql(stat));
  });

  it('a mysql2-style query with ? placeholders', async () => {
    const code = `SELECT * FROM ${table} WHERE status = ? ORDER BY total DESC LIMIT ?`;
    await client.query(`SELECT * FROM ${table} WHERE status = $1 ORDER BY total DESC LIMIT $2`, ['paid', 5]);
    const stat = await recorded(/ORDER BY total DESC LIMIT \$2/);
    expect(fingerprintSql(code)).toBe(fingerprintSql(stat));
  });

  it('an IN list written as one hole, run with three values', async () => {
    const parts = [`SELECT id FROM ${table} WHERE customer_id IN (`, `)`];
    await client.query(`SELECT id FROM ${table} WHERE customer_id IN ($1, $2, $3)`, [1, 2, 3]);
    const stat = await recorded(/customer_id IN \(\$1, \$2, \$3\)/);
    expect(fingerprintSql(templateToSql(parts))).toBe(fingerprintSql(stat));
  });

  it('an UPDATE and an INSERT', async () => {
    await client.query(`UPDATE ${table} SET status = $1 WHERE id = $2`, ['paid', 1]);
    await client.query(`INSERT INTO ${table} (customer_id, status, total) VALUES ($1, $2, $3)`, [9, 'open', 1]);
    expect(fingerprintSql(templateToSql([`UPDATE ${table} SET status = `, ` WHERE id = `, ``]))).toBe(fingerprintSql(await recorded(/^UPDATE/)));
    expect(fingerprintSql(`INSERT INTO ${table} (customer_id, status, total) VALUES (?, ?, ?)`)).toBe(fingerprintSql(await recorded(/^INSERT INTO .* VALUES/)));
  });

  it('different statements on the same table get different fingerprints', async () => {
    const a = fingerprintSql(await recorded(/customer_id IN/));
    const b = fingerprintSql(await recorded(/^UPDATE/));
    expect(a).toBeDefined();
    expect(a).not.toBe(b);
  });
});
