// node-postgres: `new Pool()` / `new Client()` from 'pg' (also `pg.Pool`), `pool.connect()`,
// parameters typed `Pool` / `PoolClient`, and `.query(text | { text }, values)`.
import type { OrmAdapter, Value } from './types';
import { rawQuery, sqlAdvice, sqlLimitEdit, sqlSelectionEdit } from './raw-sql';

const ORM = 'pg' as const;
const CLASSES = new Set(['Pool', 'Client', 'PoolClient']);

function conn(): Value {
  return { kind: 'receiver', orm: ORM, role: 'connection' };
}

export const pg: OrmAdapter = {
  id: ORM,
  displayName: 'node-postgres',
  ownsModule: (s) => s === 'pg' || s === 'pg-pool' || s === '@vercel/postgres',
  typeValue: (t) => (CLASSES.has(t.name.replace(/^pg\./, '')) ? conn() : undefined),
  classValue: (cls) => (cls.base?.kind === 'orm-export' && cls.base.orm === ORM && CLASSES.has(cls.base.name) ? { instance: conn() } : undefined),
  step(value, seg) {
    if (value.kind === 'orm-export') {
      if ((value.name === 'default' || value.name === '*') && seg.kind === 'prop') return { ...value, name: seg.name };
      if (seg.kind === 'new' && CLASSES.has(value.name)) return conn();
      if (value.name === 'sql' && seg.kind === 'tag') return rawQuery(ORM, 'sql', seg, seg.template);
      if (value.name !== 'db' && value.name !== 'pool') return undefined;
      // @vercel/postgres exports ready-made `db` / `pool` connections.
      value = conn();
    }
    if (value.kind !== 'receiver') return undefined;
    if (seg.kind === 'call' && (seg.name === 'connect' || seg.name === 'getClient')) return conn();
    if (seg.kind === 'call' && seg.name === 'query') return rawQuery(ORM, 'query', seg, seg.args[0]);
    if (seg.kind === 'tag' || (seg.kind === 'prop' && seg.name === 'sql')) return seg.kind === 'tag' ? rawQuery(ORM, 'sql', seg, seg.template) : conn();
    return undefined;
  },
  advice: sqlAdvice('pg'),
  fixes: {
    limit: (q, n, ctx) => sqlLimitEdit(q, n, ctx.sourceFile.text),
    selection: (q, f, ctx) => sqlSelectionEdit(q, f, ctx.sourceFile.text),
  },
};
