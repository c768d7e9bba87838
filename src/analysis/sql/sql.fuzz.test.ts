// analyzeSql, templateToSql and fingerprintSql take whatever string literal a user's code holds:
// they must never throw, whatever the input.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql, fingerprintSql, initSql, templateToSql } from './index.js';

beforeAll(async () => {
  await initSql();
});

const SEEDS = [
  'SELECT * FROM users WHERE id = $1',
  "SELECT id FROM t WHERE name = 'it''s' AND x IN (1, 2) LIMIT 10 OFFSET 5",
  'SELECT `a` FROM `b` WHERE c = ? LIMIT ?, ?',
  'WITH r AS (SELECT * FROM e) SELECT count(*) FROM r -- comment ?',
  "UPDATE t SET a = E'\\\\x' WHERE id = ANY($1) /* nested /* comment */ */",
  'SELECT $tag$ body ? $tag$, $1',
];
const TOKENS = ["'", '"', '`', '?', '??', '$', '$1', '$$', '--', '/*', '*/', '(', ')', ',', ';', ' ', '\n', 'LIMIT', 'IN', 'FROM', 'SELECT', '\\', 'E'];

/** A seed query with random tokens spliced in at random places. */
const mutated = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...TOKENS)), { maxLength: 6 }))
  .map(([seed, edits]) => edits.reduce((s, [at, tok]) => s.slice(0, at % (s.length + 1)) + tok + s.slice(at % (s.length + 1)), seed));

describe('SQL helpers never throw', () => {
  it('analyzeSql and fingerprintSql on random and mutated text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 }), mutated), (text) => {
        const facts = analyzeSql(text);
        expect(typeof facts.ok).toBe('boolean');
        if (!facts.ok) expect(facts.error).toBeTruthy();
        const fp = fingerprintSql(text);
        expect(fp === undefined || /^[0-9a-f]{16}$/.test(fp)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('templateToSql on random part lists returns a string containing every static part', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 40 }), mutated), { minLength: 1, maxLength: 5 }), (parts) => {
        const sql = templateToSql(parts);
        expect(typeof sql).toBe('string');
        let from = 0;
        for (const p of parts) {
          const at = sql.indexOf(p, from);
          expect(at).toBeGreaterThanOrEqual(0);
          from = at + p.length;
        }
        expect(() => analyzeSql(sql)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
