// mysql2 (and mysql): `mysql.createPool()` / `createConnection()` (promise or callback API),
// `pool.getConnection()`, `.promise()`, and `.query()` / `.execute()` with SQL text.
import type { OrmAdapter, Value } from './types';
import { rawQuery, sqlAdvice, sqlLimitEdit, sqlSelectionEdit } from './raw-sql';

const ORM = 'mysql2' as const;
const FACTORIES = new Set(['createPool', 'createConnection', 'createPoolCluster']);
const TYPES = new Set(['Pool', 'Connection', 'PoolConnection']);

function conn(): Value {
  return { kind: 'receiver', orm: ORM, role: 'connection' };
}

export const mysql2: OrmAdapter = {
  id: ORM,
  displayName: 'mysql2',
  ownsModule: (s) => s === 'mysql2' || s === 'mysql2/promise' || s === 'mysql',
  typeValue: (t) => (TYPES.has(t.name.split('.').pop()!) ? conn() : undefined),
  step(value, seg) {
    if (value.kind === 'orm-export') {
      if ((value.name === 'default' || value.name === '*') && seg.kind === 'prop') return { ...value, name: seg.name };
      if (seg.kind === 'call' && FACTORIES.has(value.name)) return conn();
      // mysql.createPool(...): a method call on the default / namespace import.
      if ((value.name === 'default' || value.name === '*') && seg.kind === 'call' && seg.name && FACTORIES.has(seg.name)) return conn();
      return undefined;
    }
    if (value.kind !== 'receiver') return undefined;
    if (seg.kind === 'call' && (seg.name === 'getConnection' || seg.name === 'promise' || seg.name === 'of')) return conn();
    if (seg.kind === 'call' && (seg.name === 'query' || seg.name === 'execute')) return rawQuery(ORM, seg.name, seg, seg.args[0]);
    return undefined;
  },
  advice: sqlAdvice('mysql'),
  fixes: {
    limit: (q, n, ctx) => sqlLimitEdit(q, n, ctx.sourceFile.text),
    selection: (q, f, ctx) => sqlSelectionEdit(q, f, ctx.sourceFile.text),
  },
};
