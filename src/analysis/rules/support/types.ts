// What a rule is: metadata plus a `check` over the facts of one file (the one traversal).
// (support/ holds what the rules share; every file directly in rules/ is a rule with a docs page.)
import type { ts } from 'ts-morph';
import type { AnalysisConfig, Fix, OrmId, RelatedLocation, RuleId, RuleSetting, Severity } from '../../types';
import type { AdapterContext, QueryFacts } from '../../orms/types';
import type { FileFacts } from '../../walker';
import type { CallGraph } from '../../call-graph';
import type { Evaluator } from '../../evaluator';

export interface RuleMeta {
  id: RuleId;
  description: string;
  defaultSeverity: Severity;
  docsPath: string;
}

export interface Draft {
  node: ts.Node;
  messageId: string;
  message: string;
  orm: OrmId;
  severity?: Severity;
  related?: RelatedLocation[];
  fixes?: Fix[];
  sqlFingerprint?: string;
}

export interface RuleContext {
  file: string;
  sf: ts.SourceFile;
  facts: FileFacts;
  config: AnalysisConfig;
  setting: RuleSetting;
  graph: CallGraph;
  ev: Evaluator;
  adapterCtx: AdapterContext;
  report(d: Draft): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export function docsPath(id: RuleId): string {
  return `docs/rules/${id}.md`;
}

/** A label for messages: `prisma.post.findMany`, `this.userRepository.find`. */
export function queryLabel(q: QueryFacts): string {
  const call = q.call as ts.Node;
  const sf = call.getSourceFile();
  let callee: ts.Node = call;
  const k = (call as ts.CallExpression).expression ?? (call as ts.TaggedTemplateExpression).tag;
  if (k) callee = k;
  const t = callee.getText(sf).replace(/\s+/g, '');
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

/** Severity one step up (for rows flowing into HTTP responses). */
export function raise(s: Severity): Severity {
  return s === 'info' ? 'warning' : 'error';
}
