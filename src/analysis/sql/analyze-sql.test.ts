import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql, fingerprintSql, initSql } from './index.js';

beforeAll(async () => {
  await initSql();
});

function one(sql: string) {
  const facts = analyzeSql(sql);
  expect(facts.ok, facts.error).toBe(true);
  expect(facts.statements).toHaveLength(1);
  return facts.statements[0];
}

describe('analyzeSql: statement kind and tables', () => {
  it.each([
    ['SELECT id FROM users', 'select', ['users']],
    ['INSERT INTO audit_log (user_id, action) VALUES ($1, $2)', 'insert', ['audit_log']],
    ['UPDATE orders SET status = $1 WHERE id = $2', 'update', ['orders']],
    ['DELETE FROM sessions WHERE expires_at < now()', 'delete', ['sessions']],
    ['CREATE INDEX ON users (email)', 'other', ['users']],
    ['SELECT o.id FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id', 'select', ['shop.orders', 'shop.customers']],
  ] as const)('%s', (sql, kind, tables) => {
    const s = one(sql);
    expect(s.kind).toBe(kind);
    expect(s.tables).toEqual(tables);
  });

  it('leaves CTE names out of tables but keeps what they read', () => {
    const s = one('WITH recent AS (SELECT * FROM events WHERE at > now() - interval \'1 day\') SELECT r.kind FROM recent r JOIN users u ON u.id = r.user_id LIMIT 50');
    expect([...s.tables].sort()).toEqual(['events', 'users']);
    expect(s.hasLimit).toBe(true);
  });

  it('splits several statements and fingerprints each on its own', () => {
    const facts = analyzeSql('SELECT 1; DELETE FROM carts WHERE id IN (1, 2, 3)');
    expect(facts.statements.map((s) => s.kind)).toEqual(['select', 'delete']);
    expect(facts.statements[1].fingerprint).toBe(fingerprintSql('DELETE FROM carts WHERE id IN (1, 2, 3)'));
    expect(facts.statements[0].fingerprint).not.toBe(facts.statements[1].fingerprint);
  });
});

describe('analyzeSql: columns and limits', () => {
  it('detects SELECT * and t.* but not count(*)', () => {
    expect(one('SELECT * FROM users').selectStar).toBe(true);
    expect(one('SELECT u.*, p.title FROM users u JOIN posts p ON p.user_id = u.id').selectStar).toBe(true);
    expect(one('SELECT count(*) FROM users').selectStar).toBe(false);
    expect(one('SELECT id, email FROM users').selectStar).toBe(false);
    expect(one('SELECT id FROM a UNION ALL SELECT * FROM b').selectStar).toBe(true);
  });

  it('reads LIMIT, FETCH FIRST and OFFSET; LIMIT ALL is no limit', () => {
    expect(one('SELECT id FROM users LIMIT 20')).toMatchObject({ hasLimit: true, limit: 20, hasOffset: false });
    expect(one('SELECT id FROM users LIMIT $1 OFFSET $2')).toMatchObject({ hasLimit: true, limit: undefined, hasOffset: true });
    expect(one('SELECT id FROM users ORDER BY id FETCH FIRST 10 ROWS ONLY')).toMatchObject({ hasLimit: true, limit: 10 });
    expect(one('SELECT id FROM users OFFSET 40')).toMatchObject({ hasLimit: false, hasOffset: true });
    expect(one('SELECT id FROM users LIMIT ALL')).toMatchObject({ hasLimit: false });
    expect(one('SELECT id FROM users LIMIT 0')).toMatchObject({ hasLimit: true, limit: 0 });
  });

  it('a limit inside a subquery is not a limit of the outer query', () => {
    expect(one('SELECT * FROM posts WHERE author_id IN (SELECT id FROM users LIMIT 5)').hasLimit).toBe(false);
  });
});

describe('analyzeSql: aggregates and single rows', () => {
  it.each([
    'SELECT count(*) FROM orders',
    'SELECT count(*)::int AS n FROM orders WHERE status = $1',
    'SELECT coalesce(sum(total), 0) AS revenue, max(created_at) FROM orders',
    'SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)',
    'SELECT avg(duration_ms) FILTER (WHERE ok) FROM runs',
  ])('aggregate: %s', (sql) => {
    const s = one(sql);
    expect(s.isAggregate).toBe(true);
    expect(s.singleRow).toBe(true);
  });

  it.each([
    'SELECT status, count(*) FROM orders GROUP BY status',
    'SELECT id, count(*) OVER () FROM orders',
    'SELECT 1 FROM users',
    'SELECT id FROM orders',
  ])('not aggregate: %s', (sql) => {
    expect(one(sql).isAggregate).toBe(false);
  });

  it('a select without FROM and LIMIT 1 are single rows', () => {
    expect(one('SELECT now()').singleRow).toBe(true);
    expect(one('SELECT * FROM jobs ORDER BY created_at LIMIT 1').singleRow).toBe(true);
    expect(one('SELECT * FROM jobs ORDER BY created_at LIMIT 2').singleRow).toBe(false);
  });
});

describe('analyzeSql: unique lookups', () => {
  it.each([
    'SELECT * FROM users WHERE id = $1',
    'SELECT * FROM users WHERE $1 = id',
    'SELECT * FROM users u WHERE u.id = $1::uuid AND u.deleted_at IS NULL',
    'SELECT name FROM users WHERE user_id = $1',
    'SELECT * FROM categories WHERE category_id = 7',
    'SELECT * FROM accounts WHERE email = $1',
    'SELECT * FROM articles WHERE slug = $1',
    'UPDATE users SET name = $1 WHERE id = $2',
  ])('unique: %s', (sql) => {
    expect(one(sql).uniqueLookup).toBe(true);
  });

  it.each([
    // a foreign key selects a list: the classic unpaginated query
    'SELECT * FROM posts WHERE user_id = $1',
    'SELECT * FROM users WHERE id > $1',
    'SELECT * FROM users WHERE id = $1 OR name = $2',
    'SELECT * FROM users WHERE id = ANY($1)',
    'SELECT * FROM users WHERE status = $1',
  ])('not unique: %s', (sql) => {
    expect(one(sql).uniqueLookup).toBe(false);
  });
});

describe('analyzeSql: bounded IN lists', () => {
  it.each([
    "SELECT * FROM orders WHERE status IN ('new', 'paid')",
    'SELECT * FROM users WHERE id IN ($1, $2, $3)',
    'SELECT * FROM users WHERE id = ANY(ARRAY[1, 2, 3]) AND active',
    'SELECT * FROM users WHERE id IN (?, ?)',
  ])('bounded: %s', (sql) => {
    expect(one(sql).boundedIn).toBe(true);
  });

  it.each([
    'SELECT * FROM users WHERE id = ANY($1)',
    'SELECT * FROM users WHERE id IN (SELECT user_id FROM admins)',
    // mysql2 expands an array bound to a single `?` into the whole list
    'SELECT * FROM users WHERE id IN (?)',
    'SELECT * FROM users WHERE id NOT IN (1, 2)',
  ])('not bounded: %s', (sql) => {
    expect(one(sql).boundedIn).toBe(false);
  });
});

describe('analyzeSql: mysql2 and knex placeholders', () => {
  it('turns ? into $n outside strings and comments', () => {
    const s = one("SELECT id FROM users WHERE name = ? AND note <> 'why?' -- really?\n AND id = ?");
    expect(s.uniqueLookup).toBe(true);
    expect(s.fingerprint).toBe(fingerprintSql("SELECT id FROM users WHERE name = $1 AND note <> 'x' AND id = $2"));
  });

  it('accepts backtick identifiers, ?? identifier bindings and LIMIT offset, count', () => {
    const s = one('SELECT ?? FROM `order items` WHERE `order_id` = ? LIMIT ?, ?');
    expect(s).toMatchObject({ kind: 'select', hasLimit: true, hasOffset: true, tables: ['order items'] });
    expect(one('SELECT id FROM t LIMIT 10, 20')).toMatchObject({ limit: 20, hasOffset: true });
  });

  it('keeps Postgres jsonb ? operators when the query uses $n params', () => {
    const s = one("SELECT id FROM docs WHERE tags ? 'urgent' AND owner_id = $1 AND meta ?| array['a']");
    expect(s.tables).toEqual(['docs']);
  });
});

describe('analyzeSql: bad input', () => {
  it('reports a syntax error instead of throwing', () => {
    const facts = analyzeSql('SELEC * FORM users');
    expect(facts.ok).toBe(false);
    expect(facts.error).toMatch(/syntax error/);
    expect(facts.statements).toEqual([]);
  });

  it.each(['', '   ', ';', "SELECT 'unterminated", 'SELECT $$ open', '\u0000'])('never throws on %j', (sql) => {
    expect(() => analyzeSql(sql)).not.toThrow();
  });

  it('returns the same facts object for a repeated query (cached)', () => {
    expect(analyzeSql('SELECT id FROM cache_probe')).toBe(analyzeSql('SELECT id FROM cache_probe'));
  });
});

describe('analyzeSql: batched forms', () => {
  it.each([
    'SELECT * FROM users WHERE id = ANY($1)',
    'SELECT * FROM users WHERE id = ANY($1::int[]) AND active',
    'DELETE FROM sessions WHERE user_id = ANY($1)',
    'SELECT * FROM users WHERE id IN (SELECT unnest($1::int[]))',
  ])('array parameter: %s', (sql) => {
    expect(one(sql).arrayParam).toBe(true);
  });

  it.each(['SELECT * FROM users WHERE id = $1', "SELECT * FROM users WHERE id = ANY(ARRAY[1, 2])", 'SELECT * FROM users WHERE id IN (SELECT user_id FROM admins)'])(
    'no array parameter: %s',
    (sql) => {
      expect(one(sql).arrayParam).toBe(false);
    },
  );

  it('counts the rows of an INSERT and recognises INSERT … SELECT', () => {
    expect(one('INSERT INTO t (a) VALUES ($1)')).toMatchObject({ insertRows: 1, insertSelect: false });
    expect(one('INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)')).toMatchObject({ insertRows: 3, insertSelect: false });
    expect(one('INSERT INTO archive SELECT * FROM orders WHERE created_at < now()')).toMatchObject({ insertRows: 0, insertSelect: true, tables: ['archive', 'orders'] });
    expect(one('SELECT 1').insertRows).toBeUndefined();
  });
});
