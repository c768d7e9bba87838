// SQL in strings: parse with the real Postgres parser (libpg_query), fingerprint, and the facts
// the rules need (SELECT *, LIMIT, aggregates, unique lookups, bounded IN lists, tables).
export { initSql, isSqlReady } from './pg-parser.js';
export { analyzeSql, fingerprintSql, type SqlFacts } from './analyze-sql.js';
export { templateToSql } from './template-to-sql.js';
export { toPortableSql } from './placeholders.js';
export type { StatementFacts, StatementKind } from './statement-facts.js';
