import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql, fingerprintSql, initSql, templateToSql } from './index.js';

beforeAll(async () => {
  await initSql();
});

/** The static parts of a tagged template, the way the engine reads them from the AST. */
function parts(strings: TemplateStringsArray, ..._holes: unknown[]): string[] {
  return [...strings.raw];
}

function parses(sql: string) {
  const facts = analyzeSql(sql);
  expect(facts.ok, `${sql}\n${facts.error}`).toBe(true);
  return facts.statements[0];
}

describe('templateToSql', () => {
  it('turns value holes into numbered params', () => {
    const sql = templateToSql(parts`SELECT * FROM users WHERE id = ${0} AND org_id = ${0}`);
    expect(sql).toBe('SELECT * FROM users WHERE id = $1 AND org_id = $2');
  });

  it('continues numbering after $n already written in the text', () => {
    const sql = templateToSql(parts`SELECT * FROM users WHERE org_id = $1 AND id = ${0}`);
    expect(sql).toBe('SELECT * FROM users WHERE org_id = $1 AND id = $2');
  });

  it('returns a text without holes unchanged', () => {
    expect(templateToSql(['SELECT 1'])).toBe('SELECT 1');
    expect(templateToSql([])).toBe('');
  });

  it('puts identifiers where a table or alias goes', () => {
    const s = parses(templateToSql(parts`SELECT ${0}.name FROM ${0} ${0} WHERE ${0}.id = ${0}`));
    expect(s.kind).toBe('select');
    expect(parses(templateToSql(parts`SELECT id FROM ${0}.users`)).tables[0]).toMatch(/^pi_hole_\d+\.users$/);
    expect(parses(templateToSql(parts`INSERT INTO ${0} (a) VALUES (${0})`)).kind).toBe('insert');
    expect(parses(templateToSql(parts`UPDATE ${0} SET a = ${0} WHERE id = ${0}`)).uniqueLookup).toBe(true);
  });

  it('keeps IN lists parseable with or without parentheses', () => {
    expect(parses(templateToSql(parts`SELECT * FROM t WHERE id IN (${0})`)).kind).toBe('select');
    expect(templateToSql(parts`SELECT * FROM t WHERE id IN ${0}`)).toBe('SELECT * FROM t WHERE id IN ($1)');
    expect(parses(templateToSql(parts`SELECT * FROM t WHERE id = ANY(${0})`)).boundedIn).toBe(false);
  });

  it('drops holes inside string literals, quoted identifiers keep a name', () => {
    expect(templateToSql(parts`SELECT * FROM t WHERE name ILIKE '%${0}%' AND x = ${0}`)).toBe("SELECT * FROM t WHERE name ILIKE '%%' AND x = $1");
    expect(parses(templateToSql(parts`SELECT "${0}" FROM t LIMIT 5`)).hasLimit).toBe(true);
  });

  it('drops clause fragments: where, order direction, joined fragments', () => {
    const a = parses(templateToSql(parts`SELECT * FROM users ${0} LIMIT 10`));
    expect(a.hasLimit).toBe(true);
    expect(a.tables).toEqual(['users']);
    expect(parses(templateToSql(parts`SELECT * FROM users ORDER BY ${0} ${0}`)).kind).toBe('select');
    expect(parses(templateToSql(parts`SELECT * FROM users ORDER BY name ${0} LIMIT ${0}`)).hasLimit).toBe(true);
    expect(parses(templateToSql(parts`SELECT id FROM users WHERE active ${0} ${0}`)).kind).toBe('select');
    expect(parses(templateToSql(parts`SELECT id FROM users ${0}${0}`)).kind).toBe('select');
  });

  it('recovers from a hole the heuristics misjudge, using the parser error position', () => {
    // `${filters}` holds `AND x = 1`: a param there is a syntax error, dropping it parses.
    const s = parses(templateToSql(parts`SELECT id FROM users WHERE org_id = ${0} ${0} ORDER BY id`));
    expect(s.kind).toBe('select');
  });

  it('keeps holes in comments harmless', () => {
    expect(parses(templateToSql(parts`SELECT id /* ${0} */ FROM users -- ${0}
      WHERE id = ${0}`)).uniqueLookup).toBe(true);
  });

  it('handles multi-line realistic queries', () => {
    const sql = templateToSql(parts`
      SELECT p.id, p.title, u.name AS author
      FROM posts p
      JOIN users u ON u.id = p.author_id
      WHERE p.published = true
        AND p.created_at > ${0}
      ORDER BY p.created_at DESC
    `);
    const s = parses(sql);
    expect(s).toMatchObject({ kind: 'select', hasLimit: false, selectStar: false, tables: ['posts', 'users'] });
  });
});

describe('fingerprintSql links code to pg_stat_statements', () => {
  // pg_stat_statements stores queries with constants replaced by $n (PG 13+ normalisation).
  it.each([
    [parts`SELECT * FROM users WHERE id = ${0}`, 'SELECT * FROM users WHERE id = $1'],
    [parts`select id, email from users where org_id = ${0} and active = ${0} limit 50`, 'select id, email from users where org_id = $1 and active = $2 limit $3'],
    [parts`SELECT * FROM posts WHERE author_id IN (${0})`, 'SELECT * FROM posts WHERE author_id IN ($1, $2, $3, $4)'],
    [parts`INSERT INTO audit (user_id, action) VALUES (${0}, ${0})`, 'INSERT INTO audit (user_id, action) VALUES ($1, $2)'],
  ])('template %j matches %s', (tpl, statText) => {
    const code = fingerprintSql(templateToSql(tpl));
    expect(code).toMatch(/^[0-9a-f]{16}$/);
    expect(code).toBe(fingerprintSql(statText));
  });

  it('matches mysql ? placeholders and literal values to the normalised text', () => {
    expect(fingerprintSql('SELECT * FROM users WHERE id = ?')).toBe(fingerprintSql('SELECT * FROM users WHERE id = $1'));
    expect(fingerprintSql("SELECT * FROM users WHERE email = 'a@b.c'")).toBe(fingerprintSql('SELECT * FROM users WHERE email = $1'));
  });

  it('differs for different query shapes', () => {
    expect(fingerprintSql('SELECT * FROM users WHERE id = $1')).not.toBe(fingerprintSql('SELECT * FROM users WHERE email = $1'));
    expect(fingerprintSql('SELECT id FROM users')).not.toBe(fingerprintSql('SELECT id FROM users LIMIT $1'));
  });

  it('is undefined for SQL that does not parse', () => {
    expect(fingerprintSql('SELEC nope')).toBeUndefined();
  });
});

describe('fingerprintSql on text without a statement', () => {
  it.each(['', '   ', ';', '-- just a comment'])('%j has no fingerprint', (text) => {
    expect(fingerprintSql(text)).toBeUndefined();
  });
});
