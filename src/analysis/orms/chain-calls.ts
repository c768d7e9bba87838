// Reading a finished builder chain back for messages: `Invoice.query().where({ customer_id })`
// → the calls by name, the root, and the column a where() filters on — so advice can say
// `whereIn('customer_id', ids)` rather than a generic `whereIn('id', ids)`.
import { ts } from 'ts-morph';
import { asObject, keysOf, stringLiteral, unwrap } from './util';

export interface ChainCall {
  name: string;
  args: readonly ts.Expression[];
  receiver: ts.Expression;
}

/** Calls of a chain from the root outwards (`a.b(1).c(2)` → b, c). */
export function chainCalls(node: ts.Node): ChainCall[] {
  const out: ChainCall[] = [];
  let cur: ts.Node = node;
  for (;;) {
    cur = ts.isAwaitExpression(cur) ? cur.expression : cur;
    const u = unwrap(cur as ts.Expression);
    if (ts.isCallExpression(u) && ts.isPropertyAccessExpression(unwrap(u.expression))) {
      const callee = unwrap(u.expression) as ts.PropertyAccessExpression;
      out.push({ name: callee.name.text, args: u.arguments, receiver: callee.expression });
      cur = callee.expression;
    } else if (ts.isCallExpression(u)) {
      out.push({ name: '', args: u.arguments, receiver: u.expression });
      cur = u.expression;
    } else if (ts.isPropertyAccessExpression(u)) {
      cur = u.expression;
    } else {
      return out.reverse();
    }
  }
}

/** The column of the first equality filter in a `where(…)` / `andWhere(…)`, or of a filter object. */
export function filterKey(calls: readonly ChainCall[], names = ['where', 'andWhere']): string | undefined {
  for (const c of calls) {
    if (!names.includes(c.name)) continue;
    const key = objectKey(c.args[0]) ?? stringLiteral(c.args[0]);
    if (key) return key;
  }
  return undefined;
}

/** First plain key of a filter object literal (`{ author: id }` → `author`), skipping `$and`-style operators. */
export function objectKey(e: ts.Expression | undefined): string | undefined {
  return keysOf(asObject(e)).find((k) => !k.startsWith('$'));
}

/** Text of an identifier root (`Invoice` in `Invoice.query()`), for model names in advice. */
export function identifierText(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  return ts.isIdentifier(u) ? u.text : undefined;
}
