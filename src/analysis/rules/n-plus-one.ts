// n-plus-one: a read query that runs once per element of a collection — in a loop, an array
// callback, a Promise.all fan-out, through project functions 2–3 calls deep, or by recursion.
import { ts } from 'ts-morph';
import type { QueryFacts } from '../orms/types';
import { adapterFor } from '../orms/index';
import { related } from '../location';
import type { LoopInfo, QuerySite } from '../walker';
import { docsPath, queryLabel, type Rule, type RuleContext } from './support/types';
import { dataLoop, isFirstAwait, loopPhrase, loopRelated, perItem, queryAnchor } from './support/loops';
import type { Reached } from '../call-graph';

function isRead(q: QueryFacts): boolean {
  return (q.op === 'read' || (q.op === 'other' && !!q.sqlUnknown)) && !q.batched;
}

/** Prisma merges findUnique calls issued in the same tick into one query. */
function batchedByOrm(q: QueryFacts, loop: LoopInfo, node: ts.Node): boolean {
  return !!q.sameTickBatched && loop.promiseAll && isFirstAwait(loop.node, node);
}

function advice(q: QueryFacts): string {
  return adapterFor(q.orm)?.advice.batch(q) ?? 'Load the rows for all items with one query';
}

function what(q: QueryFacts): string {
  return q.lazyRelation ? `the lazy relation \`${queryLabel(q)}\` loads` : `\`${queryLabel(q)}\` runs`;
}

/**
 * `while (true) { page = findMany({ take: 500, cursor }) … }`: a loop over pages, not items —
 * the recommended way to walk a big table, one query per page.
 */
function isPagingLoop(q: QueryFacts, loop: LoopInfo): boolean {
  return !loop.iterable && q.list && q.hasLimit;
}

function checkDirect(ctx: RuleContext, site: QuerySite): boolean {
  const loop = dataLoop(site.loops);
  if (!loop || !isRead(site.q) || batchedByOrm(site.q, loop, site.q.node) || isPagingLoop(site.q, loop)) return false;
  const q = site.q;
  ctx.report({
    node: queryAnchor(q.call),
    messageId: q.lazyRelation ? 'lazyRelationInLoop' : 'queryInLoop',
    message: `${what(q)} once per ${perItem(loop)} (${loopPhrase(loop)}): 1 + N queries, one round trip each. ${advice(q)}.`,
    orm: q.orm,
    related: [loopRelated(loop), related(queryAnchor(q.call), 'the query that runs per item')],
    sqlFingerprint: q.sqlFingerprint,
  });
  return true;
}

function chainText(r: Reached): string {
  return r.path.map((c) => `\`${calleeName(c.node)}()\``).join(' → ');
}

function calleeName(call: ts.CallExpression): string {
  const t = call.expression.getText(call.getSourceFile()).replace(/\s+/g, '');
  return t.length > 40 ? `…${t.slice(-39)}` : t;
}

function checkThroughCalls(ctx: RuleContext): void {
  for (const call of ctx.facts.calls) {
    const loop = dataLoop(call.loops);
    if (!loop) continue;
    // A function calling itself is reported once, at its query, by checkRecursion.
    if (ctx.graph.target(call.node)?.decl === call.fn.owner.node) continue;
    const reached = ctx.graph.throughCall(call).filter((r) => isRead(r.site.q) && !batchedByOrm(r.site.q, loop, call.node));
    const first = reached[0];
    if (!first) continue;
    const q = first.site.q;
    const file = q.call.getSourceFile().fileName.split(/[\\/]/).pop();
    ctx.report({
      node: call.node.expression,
      messageId: 'queryInLoopViaCall',
      message: `${chainText(first)} ${q.lazyRelation ? 'loads the lazy relation' : 'runs'} \`${queryLabel(q)}\` (${file}:${first.site.q.call.getSourceFile().getLineAndCharacterOfPosition(q.call.getStart()).line + 1}) once per ${perItem(loop)} (${loopPhrase(loop)}): 1 + N queries. ${advice(q)}, and pass all items to \`${calleeName(call.node)}\` at once.`,
      orm: q.orm,
      related: [
        loopRelated(loop),
        ...first.path.slice(1).map((c) => related(c.node.expression, `calls \`${calleeName(c.node)}()\``)),
        related(queryAnchor(q.call), 'the query that runs per item'),
      ],
      sqlFingerprint: q.sqlFingerprint,
    });
  }
}

/** A function that reads and calls itself: one query per node of the tree / chain it walks. */
function checkRecursion(ctx: RuleContext, reported: Set<QuerySite>): void {
  for (const call of ctx.facts.calls) {
    const owner = call.fn.owner;
    if (owner.node.kind === ts.SyntaxKind.SourceFile) continue;
    const t = ctx.graph.target(call.node);
    if (!t || t.decl !== owner.node) continue;
    const site = owner.queries.find((s) => isRead(s.q) && !reported.has(s) && !s.q.unique);
    if (!site) continue;
    reported.add(site);
    ctx.report({
      node: queryAnchor(site.q.call),
      messageId: 'queryInRecursion',
      message: `\`${queryLabel(site.q)}\` runs once per level of the recursion in \`${owner.name}\` (recursive call at line ${call.node.getSourceFile().getLineAndCharacterOfPosition(call.node.getStart()).line + 1}): one query per node. ${advice(site.q)} level by level, or with a recursive CTE.`,
      orm: site.q.orm,
      related: [related(call.node.expression, 'the recursive call')],
      sqlFingerprint: site.q.sqlFingerprint,
    });
  }
}

export const nPlusOne: Rule = {
  meta: {
    id: 'n-plus-one',
    description: 'A read query runs once per element of a collection (loops, array callbacks, Promise.all fan-out, calls, recursion).',
    defaultSeverity: 'warning',
    docsPath: docsPath('n-plus-one'),
  },
  check(ctx) {
    const reported = new Set<QuerySite>();
    for (const site of ctx.facts.queries) if (checkDirect(ctx, site)) reported.add(site);
    checkThroughCalls(ctx);
    checkRecursion(ctx, reported);
  },
};
