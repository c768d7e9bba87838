import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { check, workspace } from '../testing';
import { applyEdits } from '../fixes/apply';

const PRISMA = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;

describe('unbounded-select', () => {
  it('Prisma: whole rows for a count, an existence check or two fields; select fix lists the used fields', async () => {
    const ws = await workspace({
      'src/users.service.ts': `${PRISMA}
export class UsersService {
  async stats(orgId: number) {
    const total = (await prisma.user.findMany({ where: { orgId } })).length;
    const existing = await prisma.user.findFirst({ where: { orgId, role: 'owner' } });
    if (!existing) throw new Error('no owner');
    const me = await prisma.user.findUnique({ where: { id: orgId } });
    return { total, name: me?.name, email: me?.email };
  }
  async full(id: number) {
    return prisma.user.findUnique({ where: { id } });
  }
  async picked(id: number) {
    const u = await prisma.user.findUnique({ where: { id }, select: { name: true } });
    return u?.name;
  }
}`,
    });
    const f = ws.findings('src/users.service.ts', 'unbounded-select');
    expect(f.map((x) => [x.line, x.messageId])).toEqual([
      [6, 'countOnly'],
      [7, 'existenceOnly'],
      [9, 'fewFields'],
    ]);
    expect(f[2]!.message).toContain('`name`, `email`');
    const text = readFileSync(`${ws.root}/src/users.service.ts`, 'utf8');
    expect(applyEdits(text, f[2]!.fixes[0]!.edits)).toContain('findUnique({ where: { id: orgId }, select: { name: true, email: true } })');
  });

  it('relations included but never read', async () => {
    const f = await check(
      `${PRISMA}
export async function titles(authorId: number) {
  const posts = await prisma.post.findMany({ where: { authorId }, include: { comments: true, author: true }, take: 20 });
  return posts.map((p) => ({ title: p.title, by: p.author.name, id: p.id }));
}`,
      'unbounded-select',
    );
    expect(f.map((x) => x.messageId)).toEqual(['relationFewFields', 'unusedRelation', 'fewFields']);
    expect(f[0]!.message).toContain('relation `author` but the code reads only `name`');
    expect(f[1]!.message).toContain('`comments`');
  });

  it('SELECT * in raw SQL, with the used columns in the message and fix', async () => {
    const ws = await workspace({
      'src/repo.ts': `import { Pool } from 'pg';
const pool = new Pool();
export async function emailOf(id: number) {
  const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [id]);
  return rows;
}
export async function names(id: number) {
  const res = await pool.query('SELECT id, name FROM users WHERE id = $1', [id]);
  return res.rows;
}`,
    });
    const f = ws.findings('src/repo.ts', 'unbounded-select');
    expect(f.map((x) => [x.line, x.messageId])).toEqual([[4, 'selectStar']]);
    expect(f[0]!.sqlFingerprint).toBeTruthy();
  });

  it('Sequelize attributes, TypeORM select, Drizzle columns: no finding when selected or when rows escape', async () => {
    const f = await check(
      `import { Model } from 'sequelize';
import { getRepository } from 'typeorm';
class Account extends Model {}
class Ticket {}
export async function handler(req: any, res: any) {
  const a = await Account.findOne({ where: { id: req.params.id }, attributes: ['id', 'plan'] });
  const b = await Account.findOne({ where: { id: req.params.id } });
  const t = await getRepository(Ticket).findOne({ where: { id: 1 } });
  res.json({ plan: a?.get('plan'), b, t });
}
export async function planOf(id: number) {
  const acc = await Account.findByPk(id);
  return acc?.plan;
}`,
      'unbounded-select',
    );
    expect(f.map((x) => [x.line, x.messageId])).toEqual([[12, 'fewFields']]);
    expect(f[0]!.message).toContain("attributes: ['plan']");
  });
});
