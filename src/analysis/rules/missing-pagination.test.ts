import { describe, expect, it } from 'vitest';
import { check, workspace } from '../testing';
import { applyEdits } from '../fixes/apply';
import { readFileSync } from 'node:fs';

const PRISMA = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;

describe('missing-pagination', () => {
  it('Prisma findMany without take; raised severity when sent by an Express handler; fix adds take', async () => {
    const ws = await workspace({
      'src/routes/users.ts': `import express from 'express';
${PRISMA}
const router = express.Router();
router.get('/users', async (req, res) => {
  const users = await prisma.user.findMany({ where: { active: true } });
  res.json({ data: users });
});
export async function exportAll() {
  const users = await prisma.user.findMany();
  return users.length;
}
export async function page(cursor: number) {
  return prisma.user.findMany({ take: 50, cursor: { id: cursor } });
}
export async function skipOnly(n: number) {
  return prisma.user.findMany({ skip: n });
}
export async function single(id: number) {
  return [await prisma.user.findUnique({ where: { id } }), await prisma.user.findFirst(), await prisma.user.count()];
}`,
    }, { pageSize: 25 });
    const f = ws.findings('src/routes/users.ts', 'missing-pagination');
    expect(f.map((x) => [x.line, x.severity, x.messageId])).toEqual([
      [7, 'error', 'unboundedListInResponse'],
      [11, 'warning', 'unboundedList'],
      [18, 'warning', 'offsetWithoutLimit'],
    ]);
    expect(f[0]!.message).toContain('HTTP response');
    expect(f[0]!.message).toContain('take: 25');
    const text = readFileSync(`${ws.root}/src/routes/users.ts`, 'utf8');
    const fixed = applyEdits(text, f[0]!.fixes[0]!.edits);
    expect(fixed).toContain('findMany({ where: { active: true }, take: 25 })');
    expect(applyEdits(text, f[1]!.fixes[0]!.edits)).toContain('prisma.user.findMany({ take: 25 })');
  });

  it('NestJS controller returning a TypeORM find, Next.js route handler with Drizzle', async () => {
    const ws = await workspace({
      'src/orders.controller.ts': `import { Controller, Get } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Order } from './order.entity';
@Controller('orders')
export class OrdersController {
  constructor(@InjectRepository(Order) private readonly orders: Repository<Order>) {}
  @Get()
  findAll() {
    return this.orders.find({ order: { createdAt: 'DESC' } });
  }
  @Get('recent')
  recent() {
    return this.orders.find({ take: 20 });
  }
  @Get('qb')
  qb() {
    return this.orders.createQueryBuilder('o').where('o.total > 0').getMany();
  }
}`,
      'app/api/posts/route.ts': `import { NextResponse } from 'next/server';
import { drizzle } from 'drizzle-orm/node-postgres';
import { posts } from '../../../db/schema';
const db = drizzle(process.env.DATABASE_URL!);
export async function GET() {
  const rows = await db.select().from(posts);
  return NextResponse.json(rows);
}
export async function POST() {
  const rows = await db.select().from(posts).limit(10);
  return NextResponse.json(rows);
}`,
    });
    const a = ws.findings('src/orders.controller.ts', 'missing-pagination');
    expect(a.map((x) => [x.line, x.severity])).toEqual([
      [10, 'error'],
      [18, 'error'],
    ]);
    const text = readFileSync(`${ws.root}/src/orders.controller.ts`, 'utf8');
    expect(applyEdits(text, a[1]!.fixes[0]!.edits)).toContain(".where('o.total > 0').take(100).getMany()");
    const b = ws.findings('app/api/posts/route.ts', 'missing-pagination');
    expect(b.map((x) => [x.line, x.severity])).toEqual([[6, 'error']]);
    const text2 = readFileSync(`${ws.root}/app/api/posts/route.ts`, 'utf8');
    expect(applyEdits(text2, b[0]!.fixes[0]!.edits)).toContain('db.select().from(posts).limit(100);');
  });

  it('Sequelize findAll without limit in a Fastify handler; with limit or by primary key is fine', async () => {
    const f = await check(
      `import Fastify from 'fastify';
import { Model } from 'sequelize';
class Invoice extends Model {}
const app = Fastify();
app.get('/invoices', async (request, reply) => {
  const invoices = await Invoice.findAll({ where: { paid: false } });
  return invoices;
});
app.get('/invoices/page', async () => Invoice.findAll({ limit: 50, offset: 0 }));
app.get('/invoices/:id', async (req: any) => Invoice.findByPk(req.params.id));`,
      'missing-pagination',
    );
    expect(f.map((x) => [x.line, x.severity])).toEqual([[6, 'error']]);
    expect(f[0]!.message).toContain('limit: 100');
  });

  it('raw SQL: SELECT without LIMIT, not aggregates, unique lookups or bounded IN lists', async () => {
    const f = await check(
      `import { Pool } from 'pg';
const pool = new Pool();
const ALL_USERS = 'SELECT id, email FROM users WHERE deleted_at IS NULL';
export async function q(id: number, tenant: string) {
  await pool.query(ALL_USERS);
  await pool.query(\`SELECT id, email FROM users WHERE tenant = \${tenant} ORDER BY id\`);
  await pool.query('SELECT count(*) FROM users');
  await pool.query('SELECT id, email FROM users WHERE id = $1', [id]);
  await pool.query("SELECT id FROM users WHERE status IN ('a', 'b')");
  await pool.query('SELECT id, email FROM users ORDER BY id LIMIT 50 OFFSET $1', [id]);
  await pool.query('SELECT id FROM users OFFSET 100');
}`,
      'missing-pagination',
    );
    expect(f.map((x) => x.line)).toEqual([5, 6, 11]);
    expect(f[0]!.sqlFingerprint).toBeTruthy();
    expect(f[2]!.messageId).toBe('offsetWithoutLimit');
  });

  it('Prisma $queryRaw template and mysql2 execute', async () => {
    const f = await check(
      `${PRISMA}import mysql from 'mysql2/promise';
export async function run(status: string) {
  const a = await prisma.$queryRaw\`SELECT * FROM "Post" WHERE status = \${status}\`;
  const conn = await mysql.createConnection({ host: 'db' });
  const [rows] = await conn.execute('SELECT id, title FROM posts WHERE status = ?', [status]);
  return [a, rows];
}`,
      'missing-pagination',
    );
    expect(f.map((x) => [x.line, x.orm])).toEqual([
      [5, 'prisma'],
      [7, 'mysql2'],
    ]);
  });

  it('can be switched off or re-levelled by config', async () => {
    const code = `${PRISMA}export const all = () => prisma.user.findMany();`;
    const off = await workspace({ 'a.ts': code }, { rules: { 'missing-pagination': { enabled: false, severity: 'warning' } } as never });
    expect(off.findings('a.ts', 'missing-pagination')).toEqual([]);
    const info = await workspace({ 'a.ts': code }, { rules: { 'missing-pagination': { enabled: true, severity: 'info' } } as never });
    expect(info.findings('a.ts', 'missing-pagination').map((x) => x.severity)).toEqual(['info']);
  });
});
