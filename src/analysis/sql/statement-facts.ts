// Reads the few facts the rules need from one libpg_query statement tree (the JSON form of
// Postgres' own parse nodes): what kind of statement, `SELECT *`, LIMIT/OFFSET, aggregate-only,
// unique lookup, bounded IN list, and the tables it touches.

/* The parse tree is untyped JSON here: @pgsql/types describes it, but walking it generically
   (find every RangeVar, unwrap every { NodeName: {...} }) is simpler on plain records. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'other';

export interface StatementFacts {
  kind: StatementKind;
  selectStar: boolean;
  /** LIMIT n or FETCH FIRST n ROWS (not `LIMIT ALL`). */
  hasLimit: boolean;
  hasOffset: boolean;
  /** The constant LIMIT when there is one (`LIMIT 1` means a single row). */
  limit?: number;
  /** Aggregate-only target list without GROUP BY (`count(*)`, `coalesce(sum(x), 0)`, `exists(…)`). */
  isAggregate: boolean;
  /** `WHERE id = $1`-style lookup of at most one row (id/uuid/pk, `<table>_id` on its own table, email/slug/username). */
  uniqueLookup: boolean;
  /** `WHERE col IN (…)` over literals or a few separate params, or `= ANY(ARRAY[…literals])`. */
  boundedIn: boolean;
  /** `WHERE col = ANY($1)` (or `IN (SELECT unnest($1))`): the batched form over an array parameter. */
  arrayParam: boolean;
  /** INSERT only: rows in its VALUES list (1 for a single-row insert; 0 for INSERT … SELECT). */
  insertRows?: number;
  /** INSERT … SELECT: a set-based write. */
  insertSelect?: boolean;
  /** Returns at most one row: aggregate, unique lookup, `LIMIT 1`, or no FROM at all. */
  singleRow: boolean;
  /** Relations read or written (schema-qualified when written so), CTE names excluded. */
  tables: string[];
  /** libpg_query fingerprint of this statement (same as pg_stat_statements' text of it). */
  fingerprint: string;
}

const AGGREGATES = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every', 'bit_and', 'bit_or',
  'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp',
  'percentile_cont', 'percentile_disc', 'mode', 'corr', 'covar_pop', 'covar_samp',
]);

/** Column names that identify one row whatever the table. */
const UNIQUE_COLUMNS = new Set(['id', 'uuid', 'guid', 'pk', 'email', 'slug', 'username']);

/** More separate params than this in `IN (…)` is a generated list, not a bounded one. */
const MAX_BOUNDED_IN = 100;

export interface FactOptions {
  /** mysql2 expands an array bound to a single `IN (?)`: then one param is not a bounded list. */
  questionMarks: boolean;
}

export function statementFacts(stmt: Json, fingerprint: string, opts: FactOptions): StatementFacts {
  const [nodeName, node] = unwrap(stmt);
  const kind: StatementKind =
    nodeName === 'SelectStmt' ? 'select' : nodeName === 'InsertStmt' ? 'insert' : nodeName === 'UpdateStmt' ? 'update' : nodeName === 'DeleteStmt' ? 'delete' : 'other';
  const tables = collectTables(stmt);
  const facts: StatementFacts = {
    kind,
    selectStar: false,
    hasLimit: false,
    hasOffset: false,
    isAggregate: false,
    uniqueLookup: false,
    boundedIn: false,
    arrayParam: false,
    singleRow: false,
    tables,
    fingerprint,
  };
  if (kind === 'select') {
    facts.selectStar = selectBranches(node).some((b) => (b.targetList ?? []).some(isStarTarget));
    const limitCount = node.limitCount as Json | undefined;
    facts.hasLimit = limitCount !== undefined && !isNullConst(limitCount);
    facts.limit = facts.hasLimit ? constInt(limitCount!) : undefined;
    facts.hasOffset = node.limitOffset !== undefined;
    const simple = !node.larg && !node.rarg;
    facts.isAggregate =
      simple && !node.groupClause && (node.targetList ?? []).length > 0 && (node.targetList as Json[]).every((t) => aggregateOnly(t.ResTarget?.val)) &&
      (node.targetList as Json[]).some((t) => containsAggregate(t.ResTarget?.val));
  }
  if (kind === 'select' || kind === 'update' || kind === 'delete') {
    const where = node.whereClause as Json | undefined;
    const conjuncts = where ? andConjuncts(where) : [];
    facts.uniqueLookup = conjuncts.some((c) => isUniqueEquality(c, tables));
    facts.boundedIn = conjuncts.some((c) => isBoundedIn(c, opts));
    facts.arrayParam = conjuncts.some(isArrayParam);
  }
  if (kind === 'insert') {
    const source = node.selectStmt?.SelectStmt as Json | undefined;
    const values = source?.valuesLists as Json[] | undefined;
    facts.insertRows = values ? values.length : 0;
    facts.insertSelect = !!source && !values;
  }
  if (kind === 'select') {
    const noFrom = !node.fromClause && !node.larg;
    facts.singleRow = facts.isAggregate || facts.uniqueLookup || facts.limit === 1 || noFrom;
  }
  return facts;
}

function unwrap(node: Json): [string, Json] {
  const key = Object.keys(node)[0];
  return [key, node[key] as Json];
}

function selectBranches(select: Json): Json[] {
  if (select.larg || select.rarg) return [...(select.larg ? selectBranches(select.larg) : []), ...(select.rarg ? selectBranches(select.rarg) : [])];
  return [select];
}

function isStarTarget(target: Json): boolean {
  const fields = target.ResTarget?.val?.ColumnRef?.fields as Json[] | undefined;
  return !!fields?.some((f) => 'A_Star' in f);
}

function isNullConst(node: Json): boolean {
  return node.A_Const?.isnull === true;
}

function constInt(node: Json): number | undefined {
  const c = node.A_Const ?? node.TypeCast?.arg?.A_Const;
  if (!c) return undefined;
  return c.ival ? (c.ival.ival ?? 0) : undefined; // libpg_query omits zero values
}

function funcName(call: Json): string {
  const parts = (call.funcname ?? []) as Json[];
  return String(parts[parts.length - 1]?.String?.sval ?? '').toLowerCase();
}

/** True when the expression yields one value per query, not per row. */
function aggregateOnly(expr: Json | undefined): boolean {
  if (!expr) return false;
  if (expr.FuncCall) {
    const call = expr.FuncCall as Json;
    if (call.over) return false; // window function: one value per row
    if (AGGREGATES.has(funcName(call)) || call.agg_star) return true;
    const args = (call.args ?? []) as Json[];
    return args.length > 0 && args.every(aggregateOnly);
  }
  if (expr.A_Const || expr.ParamRef) return true;
  if (expr.SubLink) return true; // EXISTS (…) / (SELECT …): a single value
  if (expr.TypeCast) return aggregateOnly(expr.TypeCast.arg);
  if (expr.CoalesceExpr) return (expr.CoalesceExpr.args as Json[]).every(aggregateOnly);
  if (expr.A_Expr) return aggregateOnly(expr.A_Expr.lexpr ?? { A_Const: {} }) && aggregateOnly(expr.A_Expr.rexpr);
  return false;
}

/** `SELECT 1 FROM t` is one row per row of t; it takes an aggregate or subquery to fold them. */
function containsAggregate(expr: unknown): boolean {
  if (Array.isArray(expr)) return expr.some(containsAggregate);
  if (!expr || typeof expr !== 'object') return false;
  const obj = expr as Json;
  if (obj.SubLink) return true;
  if (obj.FuncCall && !obj.FuncCall.over && (AGGREGATES.has(funcName(obj.FuncCall)) || obj.FuncCall.agg_star)) return true;
  return Object.values(obj).some(containsAggregate);
}

function andConjuncts(expr: Json): Json[] {
  const bool = expr.BoolExpr as Json | undefined;
  if (bool?.boolop === 'AND_EXPR') return (bool.args as Json[]).flatMap(andConjuncts);
  return [expr];
}

function isValue(expr: Json | undefined): boolean {
  if (!expr) return false;
  if (expr.ParamRef || expr.A_Const) return true;
  if (expr.TypeCast) return isValue(expr.TypeCast.arg);
  return false;
}

function columnName(expr: Json | undefined): string | undefined {
  const fields = expr?.ColumnRef?.fields as Json[] | undefined;
  const last = fields?.[fields.length - 1]?.String?.sval;
  return typeof last === 'string' ? last.toLowerCase() : undefined;
}

function singular(name: string): string {
  if (name.endsWith('ies')) return name.slice(0, -3) + 'y';
  if (name.endsWith('ses') || name.endsWith('xes')) return name.slice(0, -2);
  if (name.endsWith('s')) return name.slice(0, -1);
  return name;
}

function isUniqueEquality(expr: Json, tables: string[]): boolean {
  const e = expr.A_Expr as Json | undefined;
  if (!e || e.kind !== 'AEXPR_OP' || e.name?.[0]?.String?.sval !== '=') return false;
  const col = isValue(e.rexpr) ? columnName(e.lexpr) : isValue(e.lexpr) ? columnName(e.rexpr) : undefined;
  if (!col) return false;
  if (UNIQUE_COLUMNS.has(col)) return true;
  // `user_id` identifies a row of `users`, but on `posts` it is a foreign key: a list.
  return tables.some((t) => {
    const base = t.split('.').pop()!.toLowerCase();
    return col === `${base}_id` || col === `${singular(base)}_id` || col === `${singular(base)}id`;
  });
}

function isBoundedIn(expr: Json, opts: FactOptions): boolean {
  const e = expr.A_Expr as Json | undefined;
  if (!e) return false;
  if (e.kind === 'AEXPR_IN' && e.name?.[0]?.String?.sval === '=') {
    const items = (e.rexpr?.List?.items ?? []) as Json[];
    if (items.length === 0 || !items.every(isValue)) return false;
    const params = items.filter((i) => i.ParamRef || i.TypeCast?.arg?.ParamRef).length;
    if (opts.questionMarks && items.length === 1 && params === 1) return false;
    return params <= MAX_BOUNDED_IN;
  }
  // `= ANY(ARRAY[1, 2, 3])` over literals; `= ANY($1)` is an array of any size.
  if (e.kind === 'AEXPR_OP_ANY') {
    const elements = (e.rexpr?.A_ArrayExpr?.elements ?? undefined) as Json[] | undefined;
    return !!elements && elements.length > 0 && elements.every((x) => x.A_Const || x.TypeCast?.arg?.A_Const);
  }
  return false;
}

function isArrayParam(expr: Json): boolean {
  const e = expr.A_Expr as Json | undefined;
  if (e?.kind === 'AEXPR_OP_ANY') {
    const r = e.rexpr as Json | undefined;
    return !!(r?.ParamRef || r?.TypeCast?.arg?.ParamRef);
  }
  // `IN (SELECT unnest($1))`
  const sub = expr.SubLink as Json | undefined;
  if (sub?.subLinkType === 'ANY_SUBLINK') {
    const target = sub.subselect?.SelectStmt?.targetList?.[0]?.ResTarget?.val?.FuncCall as Json | undefined;
    const arg = target?.args?.[0] as Json | undefined;
    return !!target && funcName(target) === 'unnest' && !!(arg?.ParamRef || arg?.TypeCast?.arg?.ParamRef);
  }
  return false;
}

function collectTables(stmt: Json): string[] {
  const ctes = new Set<string>();
  const tables: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const obj = value as Json;
    if (obj.CommonTableExpr?.ctename) ctes.add(String(obj.CommonTableExpr.ctename));
    const rv = (obj.RangeVar ?? (typeof obj.relname === 'string' ? obj : undefined)) as Json | undefined;
    if (rv?.relname) {
      const name = rv.schemaname ? `${rv.schemaname}.${rv.relname}` : String(rv.relname);
      if (!tables.includes(name)) tables.push(name);
    }
    for (const key of Object.keys(obj)) visit(obj[key]);
  };
  visit(stmt);
  return tables.filter((t) => !ctes.has(t));
}
