// unbounded-select: every column loaded where few are used — SELECT *, ORM reads without a
// column selection whose result feeds a count, an existence check or a few fields, and
// relations included but barely used.
import { adapterFor } from '../orms/index';
import { usageOf, type Usage } from '../usage';
import { docsPath, queryLabel, type Rule, type RuleContext } from './support/types';
import { queryAnchor } from './support/loops';
import type { QuerySite } from '../walker';
import type { Fix } from '../types';

const FEW = 4;

function selectionFix(ctx: RuleContext, site: QuerySite, fields: string[]): Fix[] {
  const edits = adapterFor(site.q.orm)?.fixes?.selection?.(site.q, fields, ctx.adapterCtx);
  if (!edits?.length) return [];
  return [{ title: `Select only ${fields.join(', ')}`, kind: 'suggestion', isPreferred: true, edits: edits.map((e) => ({ file: ctx.file, ...e })) }];
}

function reportUnusedRelations(ctx: RuleContext, site: QuerySite, u: Usage): void {
  const q = site.q;
  if (u.escapes || u.unused) return;
  // Used, but only for a few of its fields: `pipeline.owner.email`.
  for (const r of q.relations) {
    const sub = u.nested.get(r);
    if (!sub || sub.escapes || sub.count || sub.fields.size === 0 || sub.fields.size > FEW) continue;
    const fields = [...sub.fields];
    ctx.report({
      node: queryAnchor(q.call),
      messageId: 'relationFewFields',
      message: `\`${queryLabel(q)}\` loads every column of the relation \`${r}\` but the code reads only ${fields.map((f) => `\`${f}\``).join(', ')}: a wider join or extra query for nothing. Select just those: ${adapterFor(q.orm)?.advice.selection(q, fields) ?? fields.join(', ')} inside \`${r}\`.`,
      orm: q.orm,
    });
  }
  const unused = q.relations.filter((r) => !u.fields.has(r));
  if (!unused.length) return;
  ctx.report({
    node: queryAnchor(q.call),
    messageId: 'unusedRelation',
    message: `\`${queryLabel(q)}\` loads the relation${unused.length > 1 ? 's' : ''} ${unused.map((r) => `\`${r}\``).join(', ')} but the code never reads ${unused.length > 1 ? 'them' : 'it'}: an extra join or query and all its columns for nothing. Drop it from the include / with / populate.`,
    orm: q.orm,
  });
}

export const unboundedSelect: Rule = {
  meta: {
    id: 'unbounded-select',
    description: 'All columns are loaded where only a few fields, a count or an existence check are used (SELECT *, reads without a column selection).',
    defaultSeverity: 'info',
    docsPath: docsPath('unbounded-select'),
  },
  check(ctx) {
    for (const site of ctx.facts.queries) {
      const q = site.q;
      if (q.op !== 'read' || q.aggregate || q.lazyRelation) continue;
      const adapter = adapterFor(q.orm);
      if (q.selectStar) {
        const u = usageOf(q.node, q.list);
        const fields = !u.escapes && u.fields.size > 0 ? [...u.fields] : [];
        ctx.report({
          node: queryAnchor(q.call),
          messageId: 'selectStar',
          message: `\`${queryLabel(q)}\` selects every column (*): wide rows cost I/O, memory and network, and the query breaks silently when columns are added. ${fields.length ? `Name the columns the code uses: ${fields.join(', ')}.` : 'Name the columns the code needs.'}`,
          orm: q.orm,
          sqlFingerprint: q.sqlFingerprint,
          fixes: fields.length ? selectionFix(ctx, site, fields) : [],
        });
        continue;
      }
      if (!q.selectionSupported || q.hasSelection) {
        if (q.relations.length) reportUnusedRelations(ctx, site, usageOf(q.node, q.list));
        continue;
      }
      const u = usageOf(q.node, q.list);
      if (u.escapes || u.unused) continue;
      if (q.relations.length) reportUnusedRelations(ctx, site, u);
      const fields = [...u.fields].filter((f) => !q.relations.includes(f));
      if (q.list && u.count && fields.length === 0 && !u.exists) {
        ctx.report({
          node: queryAnchor(q.call),
          messageId: 'countOnly',
          message: `\`${queryLabel(q)}\` loads whole rows only to count them: every row and column travels to the app. Ask the database for the number (\`count\`).`,
          orm: q.orm,
        });
      } else if (u.exists && fields.length === 0 && !u.count) {
        ctx.report({
          node: queryAnchor(q.call),
          messageId: 'existenceOnly',
          message: `\`${queryLabel(q)}\` loads ${q.list ? 'rows' : 'a whole row'} only to check that ${q.list ? 'one exists' : 'it exists'}. Fetch one key (${adapter?.advice.selection(q, ['id']) ?? 'select the id'}${q.list ? ', limit 1' : ''}) or use a count / exists query.`,
          orm: q.orm,
          fixes: selectionFix(ctx, site, ['id']),
        });
      } else if (fields.length > 0 && fields.length <= FEW) {
        ctx.report({
          node: queryAnchor(q.call),
          messageId: 'fewFields',
          message: `\`${queryLabel(q)}\` loads every column but the code uses only ${fields.map((f) => `\`${f}\``).join(', ')}: wider rows mean more I/O, memory and network per call. ${adapter?.advice.selection(q, fields) ?? `Select only ${fields.join(', ')}`}.`,
          orm: q.orm,
          fixes: selectionFix(ctx, site, fields),
        });
      }
    }
  },
};
