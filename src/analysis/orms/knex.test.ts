// Knex adapter through the whole engine: realistic files, findings compared with the
// `// expect:` comments. Objection and Bookshelf models ride on the same adapter.
import { describe, expect, it } from 'vitest';
import { analyzeAnnotated, applyFix } from '../../../test/unit/annotated-workspace';

const db = `import Knex from 'knex';

export const db = Knex({ client: 'pg', connection: process.env.DATABASE_URL });
`;

describe('knex adapter', () => {
  it('query builder: lists, limits, unique lookups, aggregates, whereIn and select(*)', async () => {
    const r = await analyzeAnnotated({
      'src/db.ts': db,
      'src/routes/events.ts': `import Fastify from 'fastify';
import { db } from '../db';

const app = Fastify();

app.get('/events', async () => db('events').select('id', 'kind').orderBy('id', 'desc')); // expect: missing-pagination

app.get('/events/page', async (req) => {
  const { after } = req.query as { after: string };
  return db('events').select('id', 'kind').where('id', '<', after).orderBy('id', 'desc').limit(50);
});

app.get('/events/:id', async (req) => {
  const { id } = req.params as { id: string };
  return db('events').select('id', 'kind', 'payload').where({ id }).first();
});

app.get('/events/:id/raw', async (req) => {
  const { id } = req.params as { id: string };
  return db('events').select('*').where('id', id).first(); // expect: unbounded-select
});

app.get('/stats', async () => {
  const [{ n }] = await db('events').count('id as n');
  return { n };
});

app.get('/by-users', async (req) => {
  const ids = String((req.query as { ids: string }).ids).split(',');
  return db('events').select('id', 'user_id').whereIn('user_id', ids).limit(500);
});
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('N+1 in loops and fan-out, directly and through a repository in another file', async () => {
    const r = await analyzeAnnotated({
      'src/db.ts': db,
      'src/repo.ts': `import type { Knex } from 'knex';

export class OrderRepository {
  constructor(private readonly knex: Knex) {}

  latestFor(customerId: number) {
    return this.knex('orders').select('id', 'total').where({ customer_id: customerId }).orderBy('id', 'desc').first();
  }
}
`,
      'src/service.ts': `import { db } from './db';
import { OrderRepository } from './repo';

const orders = new OrderRepository(db);

export async function summaries(customers: Array<{ id: number }>) {
  const out = [];
  for (const c of customers) {
    out.push(await orders.latestFor(c.id)); // expect: n-plus-one
  }
  return out;
}

export async function itemCounts(orderIds: number[]) {
  return Promise.all(orderIds.map((id) => db('order_items').where('order_id', id).count('id as n').first())); // expect: n-plus-one
}

export async function itemCountsBatched(orderIds: number[]) {
  return db('order_items').select('order_id').whereIn('order_id', orderIds).groupBy('order_id').count('id as n');
}

export async function statusCounts() {
  const counts: Record<string, number> = {};
  for (const status of ['open', 'paid', 'void']) {
    const row = await db('orders').where({ status }).count('id as n').first();
    counts[status] = Number(row?.n ?? 0);
  }
  return counts;
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('writes: one per row in a loop and in a transaction, and the bulk forms', async () => {
    const r = await analyzeAnnotated({
      'src/db.ts': db,
      'src/import.ts': `import { db } from './db';

interface Row { sku: string; qty: number }

export async function importStock(rows: Row[]) {
  await db.transaction(async (trx) => {
    for (const row of rows) {
      await trx('stock').insert({ sku: row.sku, qty: row.qty }).onConflict('sku').merge(); // expect: bulk-write-in-loop
    }
  });
}

export async function importStockBulk(rows: Row[]) {
  await db('stock').insert(rows.map((r) => ({ sku: r.sku, qty: r.qty }))).onConflict('sku').merge();
}

export async function importInChunks(chunks: Row[][]) {
  for (const chunk of chunks) {
    await db('stock').insert(chunk);
  }
}

export async function removeSkus(skus: string[]) {
  for (const sku of skus) await db('stock').where({ sku }).del(); // expect: bulk-write-in-loop
  await db('stock').whereIn('sku', skus).del();
  await db.batchInsert('stock_log', skus.map((sku) => ({ sku, action: 'removed' })), 500);
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('raw SQL through knex.raw', async () => {
    const r = await analyzeAnnotated({
      'src/db.ts': db,
      'src/report.ts': `import { db } from './db';

export async function customer(id: number) {
  const { rows } = await db.raw('SELECT * FROM customers WHERE id = ?', [id]); // expect: unbounded-select
  return rows[0];
}

export async function revenue() {
  const { rows } = await db.raw('SELECT sum(total) AS revenue FROM orders');
  return rows[0].revenue;
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('Objection models: query(), findById, $relatedQuery, withGraphFetched, relatedQuery().for()', async () => {
    const r = await analyzeAnnotated({
      'src/models/Person.ts': `import { Model } from 'objection';

export class Person extends Model {
  static tableName = 'persons';
  id!: number;
  name!: string;
}
`,
      'src/people.ts': `import { Person } from './models/Person';

export async function everyone() {
  return Person.query().select('id', 'name').orderBy('name'); // expect: missing-pagination
}

export async function names(ids: number[]) {
  const out: string[] = [];
  for (const id of ids) {
    const p = await Person.query().findById(id).select('name'); // expect: n-plus-one
    out.push(p?.name ?? '');
  }
  return out;
}

export async function withPets(page: number) {
  return Person.query().select('id', 'name').withGraphFetched('pets').page(page, 20);
}

export async function petsPerPerson() {
  const people = await Person.query().select('id').limit(50);
  const result = [];
  for (const person of people) {
    result.push(await person.$relatedQuery('pets').select('id', 'name').limit(10)); // expect: n-plus-one
  }
  return result;
}

export async function petsOfAll(ids: number[]) {
  return Person.relatedQuery('pets').for(ids).select('id', 'name').limit(1000);
}

export async function rename(changes: Array<{ id: number; name: string }>) {
  for (const c of changes) {
    await Person.query().findById(c.id).patch({ name: c.name }); // expect: bulk-write-in-loop
  }
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('Bookshelf models on the same knex', async () => {
    const r = await analyzeAnnotated({
      'src/db.ts': db,
      'src/models.ts': `import Bookshelf from 'bookshelf';
import { db } from './db';

const bookshelf = Bookshelf(db);

export const Invoice = bookshelf.model('Invoice', { tableName: 'invoices' });
`,
      'src/invoices.ts': `import { Invoice } from './models';

export async function unpaid() {
  return Invoice.where({ status: 'unpaid' }).fetchAll({ columns: ['id', 'total'] }); // expect: missing-pagination
}

export async function page(n: number) {
  return Invoice.where({ status: 'unpaid' }).fetchPage({ pageSize: 25, page: n, columns: ['id', 'total'] });
}

export async function totals(ids: number[]) {
  const out = [];
  for (const id of ids) {
    const invoice = await new Invoice({ id }).fetch({ columns: ['total'] }); // expect: n-plus-one
    out.push(invoice.get('total'));
  }
  return out;
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('is not fooled by names: a Map called knex, cache.get(), array.find()', async () => {
    const r = await analyzeAnnotated({
      'src/cache.ts': `const knex = new Map<string, unknown>();
const cache = { get: (k: string) => knex.get(k), delete: (k: string) => knex.delete(k) };

export function evict(keys: string[], rows: Array<{ id: string }>) {
  for (const key of keys) {
    cache.delete(key);
    knex.delete(key);
    const hit = rows.find((r) => r.id === key);
    if (hit) cache.get(hit.id);
  }
}
`,
    });
    expect(r.actual).toEqual([]);
  });
});

describe('knex adapter messages', () => {
  it('name the filtered column and the way the query was written', async () => {
    const r = await analyzeAnnotated({
      'src/db.ts': db,
      'src/models/Invoice.ts': `import { Model } from 'objection';

export class Invoice extends Model {
  static tableName = 'invoices';
}
`,
      'src/n1.ts': `import { db } from './db';
import { Invoice } from './models/Invoice';

export async function totals(customerIds: number[]) {
  for (const id of customerIds) {
    await db('invoices').where({ customer_id: id }).sum('amount as total').first(); // expect: n-plus-one
  }
  return Promise.all(customerIds.map((id) => Invoice.query().where('customer_id', id).limit(5))); // expect: n-plus-one
}
`,
    });
    expect(r.actual).toEqual(r.expected);
    const messages = r.findings.map((f) => f.message);
    expect(messages[0]).toContain("knex('invoices').whereIn('customer_id', ids)");
    expect(messages[1]).toContain("Invoice.query().whereIn('customer_id', ids)");
    expect(r.findings.every((f) => f.orm === 'knex')).toBe(true);
  });

  it('stream() and knex-paginate are bounded; the same query without them is not', async () => {
    const r = await analyzeAnnotated({
      'src/db.ts': db,
      'src/export.ts': `import { db } from './db';

export function streamEvents() {
  return db('events').select('id', 'kind').orderBy('id').stream();
}

export function pageEvents(page: number) {
  return db('events').select('id', 'kind').paginate({ perPage: 50, currentPage: page });
}

export function allEvents() {
  return db('events').select('id', 'kind').orderBy('id'); // expect: missing-pagination
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });
});

describe('knex fixes', () => {
  it('appends .limit(pageSize) to an unbounded builder chain', async () => {
    const files = {
      'src/db.ts': db,
      'src/list.ts': `import { db } from './db';

export function recent(userId: string) {
  return db('events').select('id', 'kind').where('user_id', userId).orderBy('id', 'desc');
}
`,
    };
    const { text, after } = await applyFix(files, 'src/list.ts', 'missing-pagination');
    expect(text).toContain(".orderBy('id', 'desc').limit(100);");
    expect(after.actual).toEqual([]);
  });

  it('narrows select(*) and a bare first() to the columns used', async () => {
    const files = {
      'src/db.ts': db,
      'src/one.ts': `import { db } from './db';

export async function pdfUrl(id: number) {
  const invoice = await db('invoices').select('*').where({ id }).first();
  return invoice?.pdf_url;
}
`,
    };
    const { text, after } = await applyFix(files, 'src/one.ts', 'unbounded-select');
    expect(text).toContain("db('invoices').select('pdf_url').where({ id }).first();");
    expect(after.actual).toEqual([]);
  });

  it('rewrites one insert per row into one insert of all rows', async () => {
    const files = {
      'src/db.ts': db,
      'src/import.ts': `import { db } from './db';

export async function importTags(names: string[]) {
  for (const name of names) {
    await db('tags').insert({ name, created_at: new Date() }).onConflict('name').ignore();
  }
}
`,
    };
    const { text, after } = await applyFix(files, 'src/import.ts', 'bulk-write-in-loop');
    expect(text).toContain("await db('tags').insert(names.map((name) => ({ name, created_at: new Date() }))).onConflict('name').ignore();");
    expect(after.actual).toEqual([]);
  });

  it('a Knex.Transaction typed parameter is a client', async () => {
    const r = await analyzeAnnotated({
      'src/audit.ts': `import type { Knex } from 'knex';

export async function audit(trx: Knex.Transaction, events: Array<{ kind: string }>) {
  for (const e of events) {
    await trx('audit').insert({ kind: e.kind }); // expect: bulk-write-in-loop
  }
  return trx('audit').select('id', 'kind').orderBy('id', 'desc'); // expect: missing-pagination
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('Objection models extending a project BaseModel keep their own name', async () => {
    const r = await analyzeAnnotated({
      'src/models/BaseModel.ts': `import { Model } from 'objection';

export class BaseModel extends Model {
  createdAt?: string;
  $beforeInsert() {
    this.createdAt = new Date().toISOString();
  }
}
`,
      'src/models/Ticket.ts': `import { BaseModel } from './BaseModel';

export class Ticket extends BaseModel {
  static tableName = 'tickets';
}
`,
      'src/tickets.ts': `import { Ticket } from './models/Ticket';

export async function close(ids: number[]) {
  for (const id of ids) {
    await Ticket.query().patch({ status: 'closed' }).where('id', id); // expect: bulk-write-in-loop
  }
}
`,
    });
    expect(r.actual).toEqual(r.expected);
    expect(r.findings[0]!.message).toContain('Ticket.query()');
  });
});
