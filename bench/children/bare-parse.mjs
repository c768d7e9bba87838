// Peer 2: a bare TypeScript parse of every file (ts.createSourceFile with parent pointers, as
// ts-morph builds them), using the TypeScript that ts-morph bundles — the engine's parser.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runChild } from './harness.mjs';

const { ts } = createRequire(import.meta.url)('ts-morph');

await runChild(({ files }) => {
  let nodes = 0;
  for (const file of files) {
    const kind = /\.[cm]?tsx?$/.test(file) ? (file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS) : file.endsWith('x') ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, kind);
    nodes += sf.statements.length;
  }
  return { topLevelStatements: nodes };
});
