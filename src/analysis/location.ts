// 1-based ranges for findings from 0-based offsets.
import { ts } from 'ts-morph';
import type { RelatedLocation, SourceRange } from './types';

export function rangeOf(sf: ts.SourceFile, node: ts.Node, file = sf.fileName): SourceRange {
  const start = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(node.getEnd());
  return { file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

export function lineOf(node: ts.Node): number {
  const sf = node.getSourceFile();
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

export function related(node: ts.Node, message: string): RelatedLocation {
  const sf = node.getSourceFile();
  return { ...rangeOf(sf, node), message };
}

/** Source text with whitespace collapsed and shortened, for messages. */
export function snippet(node: ts.Node, max = 60): string {
  const t = node.getText(node.getSourceFile()).replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
