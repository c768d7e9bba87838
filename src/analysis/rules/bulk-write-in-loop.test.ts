import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { check, workspace } from '../testing';
import { applyEdits } from '../fixes/apply';

const PRISMA = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;

describe('bulk-write-in-loop', () => {
  it('Prisma create per row in an import job; the suggestion rewrites the loop into createMany', async () => {
    const ws = await workspace({
      'src/jobs/import-contacts.ts': `${PRISMA}
type Row = { email: string; name: string };
export async function importContacts(rows: Row[]) {
  for (const row of rows) {
    await prisma.contact.create({ data: { email: row.email, name: row.name } });
  }
  await prisma.contact.createMany({ data: rows });
  for (const row of rows) {
    await prisma.contact.update({ where: { email: row.email }, data: { name: row.name } });
  }
  await prisma.contact.deleteMany({ where: { email: { in: rows.map((r) => r.email) } } });
}`,
    });
    const f = ws.findings('src/jobs/import-contacts.ts', 'bulk-write-in-loop');
    expect(f.map((x) => [x.line, x.messageId])).toEqual([
      [7, 'writeInLoop'],
      [11, 'writeInLoop'],
    ]);
    expect(f[0]!.message).toContain('createMany');
    expect(f[1]!.message).toContain('updateMany');
    const fix = f[0]!.fixes.find((x) => x.title.includes('bulk'))!;
    expect(fix.kind).toBe('suggestion');
    const text = readFileSync(`${ws.root}/src/jobs/import-contacts.ts`, 'utf8');
    const out = applyEdits(text, fix.edits);
    expect(out).toContain('await prisma.contact.createMany({ data: rows.map((row) => ({ email: row.email, name: row.name })) });');
    expect(out).not.toContain('prisma.contact.create({');
  });

  it('Sequelize create / instance save per row, TypeORM save per entity, through a helper function', async () => {
    const ws = await workspace({
      'src/models.ts': `import { Model } from 'sequelize';
export class Tag extends Model { declare name: string; }`,
      'src/tags.ts': `import { Tag } from './models';
import { DataSource } from 'typeorm';
import { Label } from './label';
const ds = new DataSource({ type: 'postgres' });
async function saveOne(label: Label) {
  await ds.getRepository(Label).save(label);
}
export async function sync(names: string[], labels: Label[]) {
  for (const name of names) await Tag.create({ name });
  const tags = await Tag.findAll({ limit: 100 });
  tags.forEach(async (t) => { t.name = t.name.trim(); await t.save(); });
  for (const l of labels) {
    await saveOne(l);
  }
  await Tag.bulkCreate(names.map((name) => ({ name })));
  for (const n of ['a', 'b']) await Tag.create({ name: n });
}`,
    });
    const f = ws.findings('src/tags.ts', 'bulk-write-in-loop');
    expect(f.map((x) => [x.line, x.messageId, x.orm])).toEqual([
      [9, 'writeInLoop', 'sequelize'],
      [11, 'writeInLoop', 'sequelize'],
      [13, 'writeInLoopViaCall', 'typeorm'],
    ]);
    expect(f[0]!.message).toContain('bulkCreate');
    expect(f[0]!.message).toContain('individualHooks');
    const text = readFileSync(`${ws.root}/src/tags.ts`, 'utf8');
    expect(applyEdits(text, f[0]!.fixes[0]!.edits)).toContain('await Tag.bulkCreate(names.map((name) => ({ name })));\n  const tags');
  });

  it('raw INSERT per row is reported; a multi-row VALUES insert and a Map.set loop are not', async () => {
    const f = await check(
      `import { Pool } from 'pg';
const pool = new Pool();
export async function record(events: { id: string; kind: string }[]) {
  const seen = new Map<string, string>();
  for (const e of events) {
    seen.set(e.id, e.kind);
    await pool.query('INSERT INTO events (id, kind) VALUES ($1, $2)', [e.id, e.kind]);
  }
  await pool.query('INSERT INTO events (id, kind) VALUES ($1, $2), ($3, $4)', ['a', 'b', 'c', 'd']);
}`,
      'bulk-write-in-loop',
    );
    expect(f.map((x) => [x.line, x.orm])).toEqual([[7, 'pg']]);
    expect(f[0]!.message).toContain('unnest');
  });

  it('Drizzle insert per row vs values(rows)', async () => {
    const f = await check(
      `import { drizzle } from 'drizzle-orm/node-postgres';
import { audit } from './schema';
const db = drizzle(process.env.DATABASE_URL!);
export async function log(entries: { msg: string }[]) {
  for (const entry of entries) {
    await db.insert(audit).values({ msg: entry.msg });
  }
  await db.insert(audit).values(entries.map((e) => ({ msg: e.msg })));
}`,
      'bulk-write-in-loop',
    );
    expect(f.map((x) => x.line)).toEqual([6]);
    expect(f[0]!.message).toContain('db.insert(audit).values(rows)');
  });
});
