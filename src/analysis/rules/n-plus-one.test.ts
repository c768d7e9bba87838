import { describe, expect, it } from 'vitest';
import { check, workspace } from '../testing';

const PRISMA = `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`;

describe('n-plus-one: Prisma', () => {
  it('reports findMany per user in a for…of loop, with the loop and the batched form', async () => {
    const f = await check(
      `${PRISMA}
export async function feed() {
  const users = await prisma.user.findMany({ take: 20 });
  const out = [];
  for (const user of users) {
    const posts = await prisma.post.findMany({ where: { authorId: user.id }, take: 5 });
    out.push({ user, posts });
  }
  return out;
}`,
      'n-plus-one',
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(8);
    expect(f[0]!.message).toContain('`prisma.post.findMany` runs once per `user`');
    expect(f[0]!.message).toContain('line 7');
    expect(f[0]!.message).toContain('authorId: { in: ids }');
    expect(f[0]!.orm).toBe('prisma');
    expect(f[0]!.related.map((r) => r.line)).toEqual([7, 8]);
  });

  it('reports queries in forEach / map / flatMap / reduce callbacks and while loops', async () => {
    const f = await check(
      `${PRISMA}
export async function report(ids: number[], orders: { id: number }[]) {
  ids.forEach(async (id) => { await prisma.order.count({ where: { customerId: id } }); });
  const a = await Promise.all(orders.map(async (o) => prisma.item.findMany({ where: { orderId: o.id }, take: 10 })));
  const b = orders.flatMap((o) => [prisma.item.findFirst({ where: { orderId: o.id } })]);
  const c = await orders.reduce(async (acc, o) => (await acc) + (await prisma.item.count({ where: { orderId: o.id } })), Promise.resolve(0));
  let cursor = 0;
  while (cursor < ids.length) {
    await prisma.audit.findFirst({ where: { id: ids[cursor++] } });
  }
  return [a, b, c];
}`,
      'n-plus-one',
    );
    expect(f.map((x) => x.line)).toEqual([5, 6, 7, 8, 11]);
    expect(f[1]!.message).toContain('Promise.all(map)');
  });

  it('does not report findUnique fan-out in the same tick, DataLoader, literal arrays or `in` filters', async () => {
    const f = await check(
      `${PRISMA}
import DataLoader from 'dataloader';
const userLoader = new DataLoader(async (ids: readonly number[]) => {
  const rows = await prisma.user.findMany({ where: { id: { in: [...ids] } } });
  return ids.map((id) => rows.find((r) => r.id === id) ?? null);
});
export async function resolve(posts: { authorId: number }[], ids: number[]) {
  const authors = await Promise.all(posts.map((p) => prisma.user.findUnique({ where: { id: p.authorId } })));
  const viaLoader = await Promise.all(posts.map((p) => userLoader.load(p.authorId)));
  for (const role of ['admin', 'editor', 'viewer']) {
    await prisma.user.count({ where: { role } });
  }
  for (const chunk of [ids]) {
    await prisma.user.findMany({ where: { id: { in: chunk } } });
  }
  const cache = new Map<number, string>();
  for (const id of ids) {
    cache.delete(id);
    cache.get(id);
    [1, 2].find((x) => x === id);
  }
  return { authors, viaLoader };
}`,
      'n-plus-one',
    );
    expect(f).toEqual([]);
  });

  it('still reports findUnique in Promise.all when another await comes first in the callback', async () => {
    const f = await check(
      `${PRISMA}
export async function enrich(posts: { id: number; authorId: number }[]) {
  return Promise.all(posts.map(async (p) => {
    const stats = await fetch('/stats/' + p.id);
    const author = await prisma.user.findUnique({ where: { id: p.authorId } });
    return { p, stats, author };
  }));
}`,
      'n-plus-one',
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('findMany({ where: { id: { in: ids } } })');
  });

  it('follows the loop into project functions across files (call chain as related locations)', async () => {
    const ws = await workspace({
      'src/lib/db.ts': PRISMA,
      'src/repositories/post-repository.ts': `import { prisma } from '../lib/db';
export async function postsOf(authorId: number) {
  return prisma.post.findMany({ where: { authorId }, take: 50 });
}`,
      'src/services/feed-service.ts': `import { postsOf } from '../repositories/post-repository';
export class FeedService {
  async postsFor(userId: number) {
    return this.load(userId);
  }
  private async load(userId: number) {
    return postsOf(userId);
  }
}`,
      'src/routes/feed.ts': `import { FeedService } from '../services/feed-service';
const feed = new FeedService();
export async function buildFeed(userIds: number[]) {
  const result = [];
  for (const id of userIds) {
    result.push(await feed.postsFor(id));
  }
  return result;
}`,
    });
    const f = ws.findings('src/routes/feed.ts', 'n-plus-one');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(6);
    expect(f[0]!.messageId).toBe('queryInLoopViaCall');
    expect(f[0]!.message).toContain('`feed.postsFor()` → `this.load()` → `postsOf()`');
    expect(f[0]!.message).toContain('post-repository.ts:3');
    const files = f[0]!.related.map((r) => r.file.split('/').pop());
    expect(files).toEqual(['feed.ts', 'feed-service.ts', 'feed-service.ts', 'post-repository.ts']);
    // The repository itself has no loop: nothing there.
    expect(ws.findings('src/repositories/post-repository.ts', 'n-plus-one')).toEqual([]);
    // dependents: whoever imports the repository, up the chain.
    expect(ws.project.dependents(`${ws.root}/src/repositories/post-repository.ts`).map((p) => p.split('/').pop()).sort()).toEqual(['feed-service.ts', 'feed.ts']);
  });

  it('reports recursion over query results', async () => {
    const f = await check(
      `${PRISMA}
export async function tree(parentId: number | null): Promise<unknown[]> {
  const children = await prisma.category.findMany({ where: { parentId }, take: 100 });
  return Promise.all(children.map(async (c) => ({ ...c, children: await tree(c.id) })));
}`,
      'n-plus-one',
    );
    expect(f.map((x) => x.messageId)).toContain('queryInRecursion');
  });

  it('honours suppression comments with a reason', async () => {
    const f = await check(
      `${PRISMA}
export async function few(ids: number[]) {
  for (const id of ids) {
    // perf-insights-disable-next-line n-plus-one -- ids are at most 3 (checked by the caller)
    await prisma.user.findFirst({ where: { id } });
    await prisma.user.findFirst({ where: { id } }); // perf-insights-disable-line n-plus-one -- same
    await prisma.user.findFirst({ where: { id } });
  }
}`,
      'n-plus-one',
    );
    expect(f.map((x) => x.line)).toEqual([9]);
  });
});

describe('n-plus-one: TypeORM', () => {
  it('reports repository finds per item in a NestJS service and lazy relations', async () => {
    const ws = await workspace({
      'src/entities/post.entity.ts': `import { Entity, PrimaryGeneratedColumn, ManyToOne } from 'typeorm';
import { User } from './user.entity';
@Entity()
export class Post {
  @PrimaryGeneratedColumn() id!: number;
  @ManyToOne(() => User) author!: Promise<User>;
}`,
      'src/entities/user.entity.ts': `import { Entity, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class User { @PrimaryGeneratedColumn() id!: number; }`,
      'src/posts/posts.service.ts': `import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, In } from 'typeorm';
import { Post } from '../entities/post.entity';
import { User } from '../entities/user.entity';

@Injectable()
export class PostsService {
  constructor(
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  async withAuthors(ids: number[]) {
    const posts = await this.posts.find({ where: { id: In(ids) } });
    const rows = [];
    for (const post of posts) {
      const author = await post.author;
      const again = await this.users.findOneBy({ id: post.id });
      rows.push({ post, author, again });
    }
    const batched = await this.users.findBy({ id: In(ids) });
    return { rows, batched };
  }
}`,
    });
    const f = ws.findings('src/posts/posts.service.ts', 'n-plus-one');
    expect(f.map((x) => [x.line, x.messageId])).toEqual([
      [18, 'lazyRelationInLoop'],
      [19, 'queryInLoop'],
    ]);
    expect(f[0]!.message).toContain('relations');
    expect(f[1]!.message).toContain('In(ids)');
  });

  it('reports a QueryBuilder query per item through getRepository', async () => {
    const f = await check(
      `import { getRepository } from 'typeorm';
import { Order } from './order';
export async function totals(customerIds: string[]) {
  const repo = getRepository(Order);
  const out: Record<string, unknown> = {};
  for (const id of customerIds) {
    out[id] = await repo.createQueryBuilder('o').where('o.customerId = :id', { id }).take(10).getMany();
  }
  return out;
}`,
      'n-plus-one',
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(7);
  });
});

describe('n-plus-one: Sequelize', () => {
  it('reports association getters and finders per row; include and Op.in are fine', async () => {
    const ws = await workspace({
      'src/models/user.ts': `import { Model, DataTypes } from 'sequelize';
export class User extends Model { declare id: number; }`,
      'src/models/post.ts': `import { Model } from 'sequelize';
export default class Post extends Model {}`,
      'src/controllers/users.ts': `import { Op } from 'sequelize';
import { User } from '../models/user';
import Post from '../models/post';
export async function list(req: any, res: any) {
  const users = await User.findAll({ limit: 50 });
  const withPosts = await Promise.all(users.map((u) => u.getPosts()));
  for (const u of users) {
    await Post.findOne({ where: { authorId: u.id } });
  }
  const posts = await Post.findAll({ where: { authorId: { [Op.in]: users.map((u) => u.id) } }, limit: 500 });
  const eager = await User.findAll({ include: [{ model: Post, as: 'posts' }], limit: 50 });
  res.json({ withPosts, posts, eager });
}`,
    });
    const f = ws.findings('src/controllers/users.ts', 'n-plus-one');
    expect(f.map((x) => [x.line, x.messageId])).toEqual([
      [6, 'lazyRelationInLoop'],
      [8, 'queryInLoop'],
    ]);
    expect(f[0]!.message).toContain('include');
    expect(f[1]!.message).toContain('[Op.in]');
  });
});

describe('n-plus-one: Drizzle and raw SQL', () => {
  it('reports drizzle selects per item but not inArray', async () => {
    const ws = await workspace({
      'src/db/index.ts': `import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
export const db = drizzle(new Pool());`,
      'src/db/schema.ts': `export const posts = {} as any; export const users = {} as any;`,
      'src/jobs/digest.ts': `import { eq, inArray } from 'drizzle-orm';
import { db } from '../db';
import { posts, users } from '../db/schema';
export async function digest(userIds: number[]) {
  const all = await db.select().from(posts).where(inArray(posts.authorId, userIds)).limit(1000);
  for (const id of userIds) {
    const mine = await db.select({ id: posts.id }).from(posts).where(eq(posts.authorId, id)).limit(20);
    console.log(mine.length);
  }
  return all;
}`,
    });
    const f = ws.findings('src/jobs/digest.ts', 'n-plus-one');
    expect(f.map((x) => x.line)).toEqual([7]);
    expect(f[0]!.message).toContain('inArray');
  });

  it('reports pg queries per item from a pool exported by another file, not the ANY($1) form', async () => {
    const ws = await workspace({
      'src/db.js': `const { Pool } = require('pg');
const pool = new Pool();
module.exports = { pool };`,
      'src/orders.js': `const { pool } = require('./db');
async function lines(orderIds) {
  const result = [];
  for (const id of orderIds) {
    const { rows } = await pool.query('SELECT id, sku FROM order_lines WHERE order_id = $1 LIMIT 100', [id]);
    result.push(rows);
  }
  const all = await pool.query('SELECT id, sku FROM order_lines WHERE order_id = ANY($1) LIMIT 1000', [orderIds]);
  return [result, all];
}
module.exports = { lines };`,
    });
    const f = ws.findings('src/orders.js', 'n-plus-one');
    expect(f.map((x) => x.line)).toEqual([5]);
    expect(f[0]!.orm).toBe('pg');
    expect(f[0]!.sqlFingerprint).toMatch(/^[0-9a-f]+$/);
  });

  it('does not treat a method named like a query on an unknown receiver as a query', async () => {
    const f = await check(
      `export async function sync(items: { id: string }[], store: { find(id: string): Promise<unknown>; delete(id: string): void }) {
  for (const item of items) {
    await store.find(item.id);
    store.delete(item.id);
  }
}`,
      'n-plus-one',
    );
    expect(f).toEqual([]);
  });
});
