// missing-pagination: a list query whose result grows with the table and has no limit.
// More severe when the rows go straight into an HTTP response.
import type { QueryFacts } from '../orms/types';
import { adapterFor } from '../orms/index';
import { flowsToResponse, handlerOf } from '../http';
import { docsPath, queryLabel, raise, type Rule } from './support/types';
import { queryAnchor } from './support/loops';
import type { Fix } from '../types';

const ID_KEYS = /^(id|_id|uuid|pk)$/i;

/** Bounded by its input (`where: { id: { in: ids } }`, SQL `IN ($1, $2)`): as many rows as ids. */
function boundedByInput(q: QueryFacts): boolean {
  if (!q.batched) return false;
  if (q.sql) return true; // the SQL module only sets boundedIn for literal / few-param lists
  return q.batchedKey === undefined || ID_KEYS.test(q.batchedKey);
}

export function needsLimit(q: QueryFacts): boolean {
  // Lazy relation loads (`user.getPosts()`) are one parent's children: n-plus-one's business.
  return q.op === 'read' && q.list && !q.hasLimit && !q.unique && !q.aggregate && !q.sqlUnknown && !q.lazyRelation && !boundedByInput(q);
}

export const missingPagination: Rule = {
  meta: {
    id: 'missing-pagination',
    description: 'A list query has no limit, so its result (and the response) grows with the table.',
    defaultSeverity: 'warning',
    docsPath: docsPath('missing-pagination'),
  },
  check(ctx) {
    for (const site of ctx.facts.queries) {
      const q = site.q;
      if (!needsLimit(q)) continue;
      const adapter = adapterFor(q.orm);
      const handler = handlerOf(site.fn);
      const toResponse = !!handler && flowsToResponse(q.node, handler);
      const howTo = adapter?.advice.limit(q, ctx.config.pageSize) ?? `Add a LIMIT of ${ctx.config.pageSize} and page with OFFSET or a keyset`;
      const where = toResponse ? ' and all of them are sent in the HTTP response' : '';
      const offset = q.hasOffset ? ' It skips rows but sets no limit, so every page after the offset is still the rest of the table.' : '';
      const fixes: Fix[] = [];
      const edits = adapter?.fixes?.limit?.(q, ctx.config.pageSize, ctx.adapterCtx);
      if (edits?.length) {
        fixes.push({ title: `Limit to ${ctx.config.pageSize} rows`, kind: 'suggestion', isPreferred: true, edits: edits.map((e) => ({ file: ctx.file, ...e })) });
      }
      ctx.report({
        node: queryAnchor(q.call),
        messageId: q.hasOffset ? 'offsetWithoutLimit' : toResponse ? 'unboundedListInResponse' : 'unboundedList',
        message: `\`${queryLabel(q)}\` returns every matching row${where}: time, memory and payload grow with the table.${offset} ${howTo}.`,
        orm: q.orm,
        severity: toResponse ? raise(ctx.setting.severity) : undefined,
        fixes,
        sqlFingerprint: q.sqlFingerprint,
      });
    }
  },
};
