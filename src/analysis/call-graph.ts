// "Does calling this project function run a query, maybe through other calls?" — the summary
// that lets n-plus-one see `for (…) await loadPosts(u)` when the query sits 2–3 calls deeper.
import { ts } from 'ts-morph';
import type { Evaluator } from './evaluator';
import type { CallSite, FileFacts, QuerySite } from './walker';

export interface Reached {
  site: QuerySite;
  /** Calls from the caller's function down to the query's function (first = the call in the loop). */
  path: CallSite[];
}

export const MAX_CALL_DEPTH = 4;

export class CallGraph {
  private memo = new Map<ts.Node, Reached[]>();
  private inProgress = new Set<ts.Node>();

  constructor(
    private readonly ev: Evaluator,
    private readonly factsOf: (file: string) => FileFacts | undefined,
  ) {}

  reset(): void {
    this.memo.clear();
  }

  /** The project function a call goes to, if we can tell without the type checker. */
  target(call: ts.CallExpression): { file: string; decl: ts.FunctionLikeDeclaration } | undefined {
    const v = this.ev.valueOf(call.expression);
    if (v?.kind === 'function' && v.decl.body) return { file: v.file, decl: v.decl };
    return undefined;
  }

  /** Queries that run when `call` runs (not counting queries in the call expression itself). */
  throughCall(call: CallSite, depth = MAX_CALL_DEPTH): Reached[] {
    const t = this.target(call.node);
    if (!t) return [];
    return this.ofFunction(t.file, t.decl, depth - 1).map((r) => ({ site: r.site, path: [call, ...r.path] }));
  }

  /** Queries a function runs directly or through calls (bounded depth, cycles cut). */
  ofFunction(file: string, decl: ts.Node, depth: number): Reached[] {
    const cached = this.memo.get(decl);
    if (cached) return cached;
    if (this.inProgress.has(decl)) return [];
    const facts = this.factsOf(file);
    const info = facts?.fns.get(decl);
    if (!info) return [];
    this.inProgress.add(decl);
    const out: Reached[] = info.queries.map((site) => ({ site, path: [] }));
    if (depth > 0) {
      for (const c of info.calls) {
        if (out.length > 20) break;
        for (const r of this.throughCall(c, depth)) out.push(r);
      }
    }
    this.inProgress.delete(decl);
    // Only memoise full-depth answers so a shallow probe never hides deeper queries.
    if (depth >= MAX_CALL_DEPTH - 1) this.memo.set(decl, out);
    return out;
  }
}
