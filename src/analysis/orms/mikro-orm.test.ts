// MikroORM adapter through the whole engine: realistic files, findings compared with the
// `// expect:` comments.
import { describe, expect, it } from 'vitest';
import { analyzeAnnotated, applyFix } from '../../../test/unit/annotated-workspace';

const entities = `import { Collection, Entity, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/core';

@Entity()
export class Author {
  @PrimaryKey() id!: number;
  @Property() name!: string;
  @Property() email!: string;
  @OneToMany(() => Book, (b) => b.author) books = new Collection<Book>(this);
}

@Entity()
export class Book {
  @PrimaryKey() id!: number;
  @Property() title!: string;
  @ManyToOne(() => Author) author!: Author;
}
`;

describe('mikro-orm adapter', () => {
  it('EntityManager reads: lists, limits, unique lookups, counts, $in, populate', async () => {
    const r = await analyzeAnnotated({
      'src/entities.ts': entities,
      'src/authors.service.ts': `import { EntityManager } from '@mikro-orm/postgresql';
import { Author, Book } from './entities';

export class AuthorsService {
  constructor(private readonly em: EntityManager) {}

  all() {
    return this.em.find(Author, {}, { fields: ['id', 'name'], orderBy: { name: 'asc' } }); // expect: missing-pagination
  }

  page(offset: number) {
    return this.em.findAndCount(Author, {}, { fields: ['id', 'name'], limit: 20, offset });
  }

  byId(id: number) {
    return this.em.findOneOrFail(Author, id);
  }

  async nameOf(id: number) {
    const author = await this.em.findOne(Author, { id }); // expect: unbounded-select
    return author?.name;
  }

  booksOf(authorIds: number[]) {
    return this.em.find(Book, { author: { $in: authorIds } }, { limit: 1000 });
  }

  withBooks() {
    return this.em.find(Author, {}, { populate: ['books'], limit: 10 });
  }

  total() {
    return this.em.count(Book, {});
  }
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('N+1: em.find per item, lazy collections per item, and a repository call per item', async () => {
    const r = await analyzeAnnotated({
      'src/entities.ts': entities,
      'src/book.repository.ts': `import { EntityRepository } from '@mikro-orm/postgresql';
import { Book } from './entities';

export class BookRepository extends EntityRepository<Book> {
  async firstTitle(authorId: number) {
    const book = await this.findOne({ author: authorId }, { fields: ['title'], orderBy: { id: 'asc' } });
    return book?.title;
  }
}
`,
      'src/report.ts': `import { EntityManager } from '@mikro-orm/postgresql';
import { Author, Book } from './entities';
import { BookRepository } from './book.repository';

export async function titles(em: EntityManager, authorIds: number[]) {
  return Promise.all(authorIds.map((id) => em.find(Book, { author: id }, { fields: ['title'], limit: 5 }))); // expect: n-plus-one
}

export async function bookCounts(em: EntityManager) {
  const authors = await em.find(Author, {}, { fields: ['id', 'name'], limit: 50 });
  const counts: Record<string, number> = {};
  for (const author of authors) {
    counts[author.name] = (await author.books.loadItems()).length; // expect: n-plus-one
  }
  return counts;
}

export async function firstTitles(books: BookRepository, authorIds: number[]) {
  const out = [];
  for (const id of authorIds) out.push(await books.firstTitle(id)); // expect: n-plus-one
  return out;
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('writes: persistAndFlush / flush / nativeUpdate per item vs persist + one flush', async () => {
    const r = await analyzeAnnotated({
      'src/entities.ts': entities,
      'src/import.ts': `import { EntityManager } from '@mikro-orm/postgresql';
import { Book } from './entities';

export async function importSlow(em: EntityManager, titles: string[], authorId: number) {
  for (const title of titles) {
    await em.persistAndFlush(em.create(Book, { title, author: authorId })); // expect: bulk-write-in-loop
  }
}

export async function importFast(em: EntityManager, titles: string[], authorId: number) {
  for (const title of titles) em.persist(em.create(Book, { title, author: authorId }));
  await em.flush();
}

export async function retitle(em: EntityManager, changes: Array<{ id: number; title: string }>) {
  await em.transactional(async (tx) => {
    for (const c of changes) {
      await tx.nativeUpdate(Book, { id: c.id }, { title: c.title }); // expect: bulk-write-in-loop
    }
  });
}

export async function removeAll(em: EntityManager, ids: number[]) {
  await em.nativeDelete(Book, { id: { $in: ids } });
  await em.insertMany(Book, ids.map((id) => ({ title: 'copy of ' + id, author: 1 })));
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('raw SQL through em.execute and the QueryBuilder', async () => {
    const r = await analyzeAnnotated({
      'src/entities.ts': entities,
      'src/raw.ts': `import { EntityManager } from '@mikro-orm/postgresql';
import { Book } from './entities';

export async function row(em: EntityManager, id: number) {
  return em.execute('SELECT * FROM book WHERE id = ?', [id]); // expect: unbounded-select
}

export async function search(em: EntityManager, q: string) {
  return em.createQueryBuilder(Book, 'b').select(['b.id', 'b.title']).where({ title: { $ilike: '%' + q + '%' } }); // expect: missing-pagination
}

export async function searchPage(em: EntityManager, q: string) {
  return em.createQueryBuilder(Book, 'b').select(['b.id', 'b.title']).where({ title: { $ilike: '%' + q + '%' } }).limit(20);
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('RequestContext.getEntityManager() and a chained persist().flush() per item', async () => {
    const r = await analyzeAnnotated({
      'src/entities.ts': entities,
      'src/handlers.ts': `import { RequestContext } from '@mikro-orm/core';
import { Book } from './entities';

export async function listBooks() {
  const em = RequestContext.getEntityManager()!;
  return em.find(Book, {}, { fields: ['id', 'title'] }); // expect: missing-pagination
}

export async function saveEach(books: Book[]) {
  const em = RequestContext.getEntityManager()!;
  for (const book of books) {
    await em.persist(book).flush(); // expect: bulk-write-in-loop
  }
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });
});

describe('mikro-orm fixes', () => {
  it('adds limit to the find() options', async () => {
    const files = {
      'src/entities.ts': entities,
      'src/list.ts': `import { EntityManager } from '@mikro-orm/postgresql';
import { Book } from './entities';

export function titles(em: EntityManager) {
  return em.find(Book, {}, { fields: ['id', 'title'], orderBy: { id: 'desc' } });
}
`,
    };
    const { text, after } = await applyFix(files, 'src/list.ts', 'missing-pagination');
    expect(text).toContain("orderBy: { id: 'desc' }, limit: 100 }");
    expect(after.actual).toEqual([]);
  });

  it('adds an options object when the call has none', async () => {
    const files = {
      'src/entities.ts': entities,
      'src/list.ts': `import { EntityManager } from '@mikro-orm/postgresql';
import { Book } from './entities';

export function byAuthor(em: EntityManager, author: number) {
  return em.find(Book, { author });
}
`,
    };
    const { text, after } = await applyFix(files, 'src/list.ts', 'missing-pagination');
    expect(text).toContain('em.find(Book, { author }, { limit: 100 });');
    expect(after.actual.filter((a) => a.endsWith('missing-pagination'))).toEqual([]);
  });

  it('loads only the used fields of an entity', async () => {
    const files = {
      'src/entities.ts': entities,
      'src/one.ts': `import { EntityManager } from '@mikro-orm/postgresql';
import { Author } from './entities';

export async function authorName(em: EntityManager, email: string) {
  const author = await em.findOne(Author, { email });
  return author?.name;
}
`,
    };
    const { text, after } = await applyFix(files, 'src/one.ts', 'unbounded-select');
    expect(text).toContain("em.findOne(Author, { email }, { fields: ['name'] });");
    expect(after.actual).toEqual([]);
  });

  it('turns persistAndFlush per item into persist per item and one flush', async () => {
    const files = {
      'src/entities.ts': entities,
      'src/import.ts': `import { EntityManager } from '@mikro-orm/postgresql';
import { Book } from './entities';

export async function importBooks(em: EntityManager, titles: string[]) {
  for (const title of titles) {
    await em.persistAndFlush(em.create(Book, { title, author: 1 }));
  }
}
`,
    };
    const { text, after } = await applyFix(files, 'src/import.ts', 'bulk-write-in-loop');
    expect(text).toContain('await em.persist(em.create(Book, { title, author: 1 }));\n  }\n  await em.flush();');
    expect(after.actual).toEqual([]);
  });
});
