// Whether a write's data argument is one row or many, read from the syntax alone. The rules
// report a write in a loop only when it is the one-row form; `insert(rows)` inside a loop over
// batches is already the bulk form. Unknown shapes count as "many" so we stay silent.
import { ts } from 'ts-morph';
import { resolveName } from '../scope';
import { unwrap } from './util';

const ARRAY_PRODUCERS = new Set(['map', 'filter', 'flatMap', 'slice', 'concat', 'from', 'of', 'splice', 'toSorted', 'flat']);

export function isSingleRowArg(e: ts.Expression | undefined, depth = 0): boolean {
  if (!e || depth > 4) return false;
  const u = unwrap(e);
  if (ts.isObjectLiteralExpression(u)) return true;
  if (ts.isArrayLiteralExpression(u)) return false;
  if (ts.isCallExpression(u)) {
    const callee = unwrap(u.expression);
    if (ts.isPropertyAccessExpression(callee) && ARRAY_PRODUCERS.has(callee.name.text)) return false;
    // `repo.create({...})`, `toRow(item)`: a factory called per item builds one row.
    return true;
  }
  if (ts.isNewExpression(u)) return true;
  if (ts.isPropertyAccessExpression(u) || ts.isElementAccessExpression(u)) {
    // `item.payload`, `rows[i]`: a member of something — one row unless it is `x.rows`/`x.items`.
    const name = ts.isPropertyAccessExpression(u) ? u.name.text : '';
    return !/(s|List|Array|Batch|Rows)$/.test(name);
  }
  if (!ts.isIdentifier(u)) return false;
  const b = resolveName(u.text, u);
  if (!b) return false;
  if (b.kind === 'var') {
    const list = b.decl.parent;
    const holder = list?.parent;
    if (holder && (ts.isForOfStatement(holder) || ts.isForInStatement(holder)) && holder.initializer === list) {
      // `for (const chunk of chunks)` over arrays of rows: each element is already a batch.
      return !/(chunk|batch|page|group|slice)/i.test(u.text) && !iteratesArrays(holder.expression);
    }
    return b.decl.initializer ? isSingleRowArg(b.decl.initializer, depth + 1) : false;
  }
  if (b.kind === 'param') {
    const fn = b.decl.parent;
    if (b.decl.type) return !ts.isArrayTypeNode(b.decl.type) && !/^(ReadonlyArray|Array)\b/.test(b.decl.type.getText());
    // An untyped callback parameter: `items.map((item) => db.insert(item))`.
    return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !!fn.parent && ts.isCallExpression(fn.parent);
  }
  return false;
}

/** `xs` declared as `T[][]` / `Array<T[]>`: its elements are arrays. */
function iteratesArrays(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (!ts.isIdentifier(u)) return false;
  const b = resolveName(u.text, u);
  const type = b && (b.kind === 'param' || b.kind === 'var') ? b.decl.type : undefined;
  if (!type) return false;
  const t = type.getText();
  return /\[\]\s*\[\]$/.test(t) || /^(Readonly)?Array<.*\[\]>$/.test(t);
}
