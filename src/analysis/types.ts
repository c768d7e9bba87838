// Shared vocabulary of the analysis engine. Plain TypeScript: no `vscode` imports anywhere
// under src/analysis, so the CLI, the worker and vitest all run the same code.

/** Rule ids are a public contract (CLI flags, config, SARIF, docs URLs): never rename. */
export type RuleId = 'n-plus-one' | 'missing-pagination' | 'unbounded-select' | 'bulk-write-in-loop';
export const RULE_IDS: readonly RuleId[] = ['n-plus-one', 'missing-pagination', 'unbounded-select', 'bulk-write-in-loop'];

export type Severity = 'error' | 'warning' | 'info';

export type OrmId =
  | 'prisma'
  | 'typeorm'
  | 'sequelize'
  | 'drizzle'
  | 'knex'
  | 'mikro-orm'
  | 'mongoose'
  | 'pg'
  | 'mysql2'
  | 'sql';

/** 1-based lines and columns; `file` is absolute inside the engine, made relative by reporters. */
export interface SourceRange {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface RelatedLocation extends SourceRange {
  message: string;
}

/** A minimal text edit: replace [start, end) (0-based character offsets in `file`) with `newText`. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  /** `fix` is safe to apply; `suggestion` changes behaviour and needs a human look. */
  kind: 'fix' | 'suggestion';
  isPreferred?: boolean;
  edits: TextEdit[];
}

export interface Finding extends SourceRange {
  rule: RuleId;
  severity: Severity;
  /** Stable id of the message template (for tests and docs), e.g. `queryInLoop`. */
  messageId: string;
  message: string;
  orm: OrmId;
  related: RelatedLocation[];
  fixes: Fix[];
  /** libpg_query fingerprint of the SQL when the statement is known (links to pg_stat_statements). */
  sqlFingerprint?: string;
}

export interface RuleSetting {
  enabled: boolean;
  severity: Severity;
}

/** `.perf-insights.json` as read and merged with defaults. */
export interface AnalysisConfig {
  rules: Record<RuleId, RuleSetting>;
  pageSize: number;
  include: string[];
  exclude: string[];
}
