// Shared helpers for the per-item rules: which loop counts, how to name it in a message.
import { ts } from 'ts-morph';
import type { LoopInfo } from '../../walker';
import { lineOf, related } from '../../location';
import type { RelatedLocation } from '../../types';

/** The innermost loop that grows with data; loops over a few constants do not count. */
export function dataLoop(loops: readonly LoopInfo[]): LoopInfo | undefined {
  for (let i = loops.length - 1; i >= 0; i--) if (!loops[i]!.small) return loops[i];
  return undefined;
}

export function perItem(loop: LoopInfo): string {
  if (loop.itemName) return `\`${loop.itemName}\``;
  return 'iteration';
}

export function loopPhrase(loop: LoopInfo): string {
  return `${loop.kind} at line ${lineOf(loopAnchor(loop))}`;
}

/** For callbacks point at the `.map(` call, for statements at the keyword. */
export function loopAnchor(loop: LoopInfo): ts.Node {
  if (ts.isArrowFunction(loop.node) || ts.isFunctionExpression(loop.node)) {
    const call = loop.node.parent;
    if (call && ts.isCallExpression(call)) {
      const c = call.expression;
      return ts.isPropertyAccessExpression(c) ? c.name : c;
    }
  }
  return loop.node.getFirstToken(loop.node.getSourceFile()) ?? loop.node;
}

export function loopRelated(loop: LoopInfo): RelatedLocation {
  return related(loopAnchor(loop), `the ${loop.kind} loop${loop.itemName ? ` over \`${loop.itemName}\`` : ''}`);
}

/** True when nothing is awaited in the callback before `node` (all iterations start in one tick). */
export function isFirstAwait(callback: ts.Node, node: ts.Node): boolean {
  const start = node.getStart();
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.getStart() >= start) return;
    if (ts.isAwaitExpression(n) && n.getEnd() <= start) {
      found = true;
      return;
    }
    if (n !== callback && ts.isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(callback, visit);
  return !found;
}

/** Where a finding about a query points: the callee (`prisma.post.findMany`), not the whole call. */
export function queryAnchor(call: ts.Node): ts.Node {
  if (ts.isCallExpression(call)) return call.expression;
  if (ts.isTaggedTemplateExpression(call)) return call.tag;
  return call;
}
