// bulk-write-in-loop: one INSERT / UPDATE / DELETE per element where the ORM has a bulk form.
import { ts } from 'ts-morph';
import type { QueryFacts, BulkLoop } from '../orms/types';
import { adapterFor } from '../orms/index';
import { related } from '../location';
import type { LoopInfo } from '../walker';
import { docsPath, queryLabel, type Rule, type RuleContext } from './support/types';
import { dataLoop, loopPhrase, loopRelated, perItem, queryAnchor } from './support/loops';
import type { Fix } from '../types';

function isRowWrite(q: QueryFacts): boolean {
  return q.op === 'write' && !q.bulk;
}

function bulkAdvice(q: QueryFacts): string {
  const a = adapterFor(q.orm)?.advice.bulk(q) ?? 'Write all rows with one multi-row statement';
  return q.hooksNote ? `${a} (${q.hooksNote})` : a;
}

/** `for (const x of xs) { await <write> }` with nothing else in the body: the bulk fix may rewrite it. */
function bulkLoop(loop: LoopInfo, q: QueryFacts): BulkLoop | undefined {
  const s = loop.node;
  if (!ts.isForOfStatement(s) || !loop.itemName || !/^[A-Za-z_$][\w$]*$/.test(loop.itemName)) return undefined;
  const body = ts.isBlock(s.statement) ? s.statement.statements : [s.statement];
  const only = body.length === 1 ? body[0] : undefined;
  const holds = !!only && ts.isExpressionStatement(only) && q.node.getStart() >= only.getStart() && q.node.getEnd() <= only.getEnd();
  return { statement: s, itemName: loop.itemName, items: s.expression, bodyIsOnlyTheWrite: holds };
}

function fixesFor(ctx: RuleContext, q: QueryFacts, loop: LoopInfo): Fix[] {
  const bl = bulkLoop(loop, q);
  const edits = bl && adapterFor(q.orm)?.fixes?.bulk?.(q, bl, ctx.adapterCtx);
  if (!edits?.length) return [];
  return [{ title: 'Write all rows in one bulk call', kind: 'suggestion', edits: edits.map((e) => ({ file: ctx.file, ...e })) }];
}

export const bulkWriteInLoop: Rule = {
  meta: {
    id: 'bulk-write-in-loop',
    description: 'A create / update / delete runs once per element where the ORM has a bulk form.',
    defaultSeverity: 'warning',
    docsPath: docsPath('bulk-write-in-loop'),
  },
  check(ctx) {
    for (const site of ctx.facts.queries) {
      const loop = dataLoop(site.loops);
      const q = site.q;
      if (!loop || !isRowWrite(q)) continue;
      ctx.report({
        node: queryAnchor(q.call),
        messageId: 'writeInLoop',
        message: `\`${queryLabel(q)}\` writes one row per ${perItem(loop)} (${loopPhrase(loop)}): N statements, N round trips${q.orm === 'sql' || q.orm === 'pg' || q.orm === 'mysql2' ? '' : ' and N transactions'}. ${bulkAdvice(q)}.`,
        orm: q.orm,
        related: [loopRelated(loop), related(queryAnchor(q.call), 'the write that runs per item')],
        fixes: fixesFor(ctx, q, loop),
        sqlFingerprint: q.sqlFingerprint,
      });
    }
    for (const call of ctx.facts.calls) {
      const loop = dataLoop(call.loops);
      if (!loop) continue;
      const first = ctx.graph.throughCall(call).find((r) => isRowWrite(r.site.q));
      if (!first) continue;
      const q = first.site.q;
      ctx.report({
        node: call.node.expression,
        messageId: 'writeInLoopViaCall',
        message: `${first.path.map((c) => `\`${c.node.expression.getText().replace(/\s+/g, '')}()\``).join(' → ')} writes with \`${queryLabel(q)}\` once per ${perItem(loop)} (${loopPhrase(loop)}): N statements and round trips. ${bulkAdvice(q)}, taking all items in one call.`,
        orm: q.orm,
        related: [loopRelated(loop), related(queryAnchor(q.call), 'the write that runs per item')],
      });
    }
  },
};
