// The contract between the engine and the per-ORM knowledge. One file per ORM implements
// `OrmAdapter`; rules only read `QueryFacts`, so adding Kysely touches only orms/kysely.ts
// (plus one line in orms/index.ts).
//
// How it works: the engine splits every member/call chain into a root and segments
//   prisma.post.findMany({ where })      root `prisma`, segments [prop post, call findMany]
//   knex('users').where(..).limit(10)    root `knex`,   segments [call, call where, call limit]
// resolves the root to a `Value` (through imports, declarations, class fields, parameters'
// type annotations, across project files), and asks the adapter of that value's ORM to
// `step` along each segment. A chain whose value ends as `{ kind: 'query' }` is a query site.
// Adapters never see method names without a resolved receiver: that is what keeps
// `map.delete()` and `cache.get()` out.
import type { ts } from 'ts-morph';
import type { OrmId } from '../types';

/** What one step of a chain looks like. `node` is the AST node that ends with this step. */
export type Segment =
  | { kind: 'prop'; name: string; node: ts.PropertyAccessExpression | ts.ElementAccessExpression }
  /** `.name(args)` when the callee is a property access, or a direct call `(args)` (name undefined). */
  | { kind: 'call'; name: string | undefined; args: readonly ts.Expression[]; node: ts.CallExpression }
  | { kind: 'new'; args: readonly ts.Expression[]; node: ts.NewExpression }
  /** A tagged template: prisma.$queryRaw`...`, sql`...` */
  | { kind: 'tag'; template: ts.TemplateLiteral; node: ts.TaggedTemplateExpression };

export type WriteKind = 'create' | 'update' | 'upsert' | 'delete' | 'save';

/** Everything a rule needs to know about one query, ORM-independent. */
export interface QueryFacts {
  orm: OrmId;
  /** The method as written, e.g. `findMany`, `getMany`, `query`. */
  method: string;
  /** Model / table / entity name when known (`post`, `User`, `users`). */
  entity?: string;
  op: 'read' | 'write' | 'other';
  writeKind?: WriteKind;
  /** Result may hold many rows (findMany, find, select().from(), SELECT without unique key). */
  list: boolean;
  /** Lookup by a unique key (findUnique, findByPk, findById, WHERE id = $1). */
  unique: boolean;
  aggregate: boolean;
  hasLimit: boolean;
  hasOffset: boolean;
  /** A column selection / projection is present (select, attributes, columns, .select('a b')). */
  hasSelection: boolean;
  /** Every column asked for explicitly (`.select('*')`, `.select('t.*')`): unbounded-select reports it like SQL `SELECT *`. */
  selectStar?: boolean;
  /** The ORM can select columns for this call (so unbounded-select may suggest it). */
  selectionSupported: boolean;
  /** Relations loaded with include / with / populate / relations / leftJoinAndSelect. */
  relations: string[];
  /** The filter already takes a whole collection: `in`, `$in`, `inArray`, `whereIn`. */
  batched: boolean;
  /** Key the batched filter is on (`id`, `authorId`) when known. */
  batchedKey?: string;
  /** Bulk write form already (createMany, bulkCreate, insertMany, insert([...]) ...). */
  bulk: boolean;
  /** Prisma's dataloader merges these when issued in the same tick (findUnique). */
  sameTickBatched?: boolean;
  /** A relation loaded by touching a row (`await post.author`, `user.getPosts()`). */
  lazyRelation?: boolean;
  /** Raw SQL text expression (string, template, identifier of a const string). */
  sql?: ts.Expression;
  /** Filled by the engine from the SQL parser for raw SQL. */
  sqlFingerprint?: string;
  /** SQL text could not be read statically or did not parse. */
  sqlUnknown?: boolean;
  /** The main options object literal (`findMany({ ... })`), used by fixes. */
  options?: ts.ObjectLiteralExpression;
  /** The call that made this a query (`prisma.post.findMany(...)`); fixes anchor here. */
  call: ts.CallExpression | ts.TaggedTemplateExpression | ts.Expression;
  /** The outermost node of the chain so far; updated by the engine as the chain grows. */
  node: ts.Expression;
  /** Builder chains (knex, drizzle, mongoose, TypeORM QueryBuilder) can still get `.limit()`. */
  builder: boolean;
  /** Sequelize hooks, Mongoose middleware: a reason a write may need to run row by row. */
  hooksNote?: string;
}

/** The engine's knowledge of a value. Adapters create and consume the ORM kinds. */
export type Value =
  /** A binding imported from an ORM package: `PrismaClient`, `drizzle`, `knex` (default), `Model`. */
  | { kind: 'orm-export'; orm: OrmId; module: string; name: string }
  /** Something queries are issued on; `role` is adapter-defined (`client`, `model`, `repository`, `pool`). */
  | { kind: 'receiver'; orm: OrmId; role: string; entity?: string; data?: unknown }
  | { kind: 'query'; query: QueryFacts }
  /** The awaited result of a query. `list` false for a single row (findUnique, findOne). */
  | { kind: 'rows'; orm: OrmId; entity?: string; list: boolean; query?: QueryFacts }
  /** One row (loop variable over rows, a parameter typed as an entity / model instance). */
  | { kind: 'row'; orm: OrmId; entity?: string }
  /** A class of the project (`class PostService`, `class User extends Model`). */
  | { kind: 'class'; file: string; name: string; decl: ts.ClassLikeDeclaration; static?: Value; instance?: Value }
  /** An instance of a project class (for method resolution) possibly also an ORM receiver. */
  | { kind: 'instance'; file: string; decl: ts.ClassLikeDeclaration; orm?: Value }
  | { kind: 'function'; file: string; decl: ts.FunctionLikeDeclaration }
  | { kind: 'namespace'; file: string }
  | { kind: 'object'; file: string; decl: ts.ObjectLiteralExpression }
  /** Compile-time constant string (for raw SQL held in a const). */
  | { kind: 'string'; text: string; node: ts.Expression };

/** What `step`, `typeValue`, `classValue` may ask the engine. */
export interface AdapterContext {
  readonly file: string;
  readonly sourceFile: ts.SourceFile;
  /** Value of any expression in the current file (identifiers resolved through imports). */
  valueOf(expr: ts.Expression): Value | undefined;
  /** Source text of a node (trimmed). */
  text(node: ts.Node): string;
}

export interface ClassInput {
  decl: ts.ClassLikeDeclaration;
  name: string;
  /** Value of the `extends` expression (e.g. orm-export `Model`), type arguments as text. */
  base?: Value;
  baseTypeArgs: readonly ts.TypeNode[];
  /** Decorators whose callee resolves to an ORM export (`@Entity()`), with their args. */
  decorators: { value: Extract<Value, { kind: 'orm-export' }>; args: readonly ts.Expression[] }[];
}

export interface OrmAdapter {
  readonly id: OrmId;
  readonly displayName: string;
  /** True when an import / require of this module specifier belongs to this ORM. */
  ownsModule(specifier: string): boolean;
  /** The value of a binding imported from one of its modules. Default: an `orm-export`. */
  importValue?(specifier: string, imported: string): Value | undefined;
  /** A type annotation naming one of its exports: `Repository<User>`, `PrismaClient`, `Knex`. */
  typeValue?(type: Extract<Value, { kind: 'orm-export' }>, typeArgs: readonly ts.TypeNode[], ctx: AdapterContext): Value | undefined;
  /** A decorated property / parameter: `@InjectRepository(User) repo`, `@InjectModel(User.name)`. */
  decoratorValue?(decorator: Extract<Value, { kind: 'orm-export' }>, args: readonly ts.Expression[], ctx: AdapterContext): Value | undefined;
  /** A class whose base or decorators belong to this ORM: what its static side and instances are. */
  classValue?(cls: ClassInput, ctx: AdapterContext): { static?: Value; instance?: Value } | undefined;
  /** One step along a chain from a value of this ORM; undefined = not something we know. */
  step(value: Value, seg: Segment, ctx: AdapterContext): Value | undefined;
  /**
   * An untyped callback parameter: `prisma.$transaction(async (tx) => …)`, `knex.transaction(trx => …)`.
   * `callee` is the value the call is made on (before `seg`).
   */
  paramValue?(callee: Value, seg: Extract<Segment, { kind: 'call' }>, argIndex: number, paramIndex: number, ctx: AdapterContext): Value | undefined;
  /** `await row.prop` on a row of this ORM: a lazy relation load? */
  lazyRelation?(row: Extract<Value, { kind: 'row' }>, prop: string, node: ts.Expression, ctx: AdapterContext): QueryFacts | undefined;
  /** Advice texts for messages (STYLE.md: say what to do, in this ORM's words). */
  advice: {
    /** How to load for all items at once, e.g. "one `findMany({ where: { authorId: { in: ids } } })`". */
    batch(q: QueryFacts): string;
    /** The bulk write form, e.g. "`createMany({ data: rows })`". */
    bulk(q: QueryFacts): string;
    /** How to bound a list, e.g. "`take: 100` (and `skip`/cursor for pages)". */
    limit(q: QueryFacts, pageSize: number): string;
    /** How to select columns, e.g. "`select: { id: true, name: true }`". */
    selection(q: QueryFacts, fields: readonly string[]): string;
  };
  /** Minimal edits; undefined when no safe edit exists for this shape. */
  fixes?: {
    limit?(q: QueryFacts, pageSize: number, ctx: AdapterContext): FixEdit[] | undefined;
    selection?(q: QueryFacts, fields: readonly string[], ctx: AdapterContext): FixEdit[] | undefined;
    /** Rewrite `for (x of xs) await <write>(arg(x))` into one bulk call; `loop` is the statement. */
    bulk?(q: QueryFacts, loop: BulkLoop, ctx: AdapterContext): FixEdit[] | undefined;
  };
}

/** An edit within the current file (offsets into `ctx.sourceFile.text`). */
export interface FixEdit {
  start: number;
  end: number;
  newText: string;
}

/** A loop the bulk fix may rewrite: `for (const <item> of <items>) { await <write>; }` */
export interface BulkLoop {
  statement: ts.Statement;
  itemName: string;
  items: ts.Expression;
  /** The single statement that holds the write (the whole body). */
  bodyIsOnlyTheWrite: boolean;
}
