// Mongoose adapter through the whole engine: realistic files, findings compared with the
// `// expect:` comments.
import { describe, expect, it } from 'vitest';
import { analyzeAnnotated, applyFix } from '../../../test/unit/annotated-workspace';

const models = `import mongoose, { Schema, model, models } from 'mongoose';

const postSchema = new Schema({ title: String, body: String, author: { type: Schema.Types.ObjectId, ref: 'User' }, tags: [String] });
export const Post = mongoose.model('Post', postSchema);

const userSchema = new Schema({ email: String, name: String, avatar: Buffer });
export const User = models.User || model('User', userSchema);
`;

describe('mongoose adapter', () => {
  it('reads: find without limit, skip without limit, projections, counts, exists, cursor', async () => {
    const r = await analyzeAnnotated({
      'src/models.ts': models,
      'src/routes.ts': `import express from 'express';
import { Post, User } from './models';

const app = express();

app.get('/posts', async (_req, res) => {
  res.json(await Post.find({}, 'title author').sort({ _id: -1 }).lean()); // expect: missing-pagination
});

app.get('/posts/page', async (req, res) => {
  const page = Number(req.query.page ?? 0);
  res.json(await Post.find().select('title').skip(page * 20).limit(20).lean());
});

app.get('/posts/skip-only', async (req, res) => {
  res.json(await Post.find().select('title').skip(Number(req.query.skip)).lean()); // expect: missing-pagination
});

app.get('/users/:id', async (req, res) => {
  res.json(await User.findById(req.params.id).select('name').lean());
});

app.get('/stats', async (_req, res) => {
  res.json({ posts: await Post.countDocuments(), hasUsers: (await User.exists({})) !== null });
});

app.post('/reindex', async (_req, res) => {
  for await (const post of Post.find().select('title').cursor()) {
    console.log(post.title);
  }
  res.sendStatus(204);
});

export async function emailTaken(email: string) {
  const user = await User.findOne({ email }); // expect: unbounded-select
  return Boolean(user);
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('N+1: findById per item, document.populate per item, through a service; $in and populate are fine', async () => {
    const r = await analyzeAnnotated({
      'src/models.ts': models,
      'src/authors.ts': `import { User } from './models';

export async function authorName(id: string) {
  const user = await User.findById(id).select('name').lean();
  return user?.name;
}
`,
      'src/feed.ts': `import { Post, User } from './models';
import { authorName } from './authors';

export async function feed() {
  const posts = await Post.find().select('title author').limit(20).lean();
  return Promise.all(posts.map(async (p) => ({ title: p.title, author: await User.findById(p.author).select('name').lean() }))); // expect: n-plus-one
}

export async function feedViaService() {
  const posts = await Post.find().select('title author').limit(20).lean();
  const names = [];
  for (const p of posts) names.push(await authorName(String(p.author))); // expect: n-plus-one
  return names;
}

export async function hydrate(ids: string[]) {
  const posts = await Post.find({ _id: { $in: ids } }).limit(100);
  for (const post of posts) {
    await post.populate('author'); // expect: n-plus-one
  }
  return posts;
}

export async function feedBatched() {
  const posts = await Post.find().select('title author').populate('author', 'name').limit(20).lean();
  const authors = await User.find({ _id: { $in: posts.map((p) => p.author) } }).select('name').limit(20).lean();
  return { posts, authors };
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('writes: create / save / updateOne per item vs insertMany, bulkWrite, updateMany', async () => {
    const r = await analyzeAnnotated({
      'src/models.ts': models,
      'src/import.ts': `import { Post } from './models';

export async function importPosts(rows: Array<{ title: string; body: string }>) {
  for (const row of rows) {
    await Post.create(row); // expect: bulk-write-in-loop
  }
}

export async function importPostsViaSave(rows: Array<{ title: string; body: string }>) {
  await Promise.all(rows.map((row) => new Post(row).save())); // expect: bulk-write-in-loop
}

export async function importPostsBulk(rows: Array<{ title: string; body: string }>) {
  await Post.insertMany(rows);
  await Post.create(rows);
}

export async function tag(ids: string[], tagName: string) {
  for (const id of ids) {
    await Post.updateOne({ _id: id }, { $addToSet: { tags: tagName } }); // expect: bulk-write-in-loop
  }
  await Post.updateMany({ _id: { $in: ids } }, { $addToSet: { tags: tagName } });
  await Post.bulkWrite(ids.map((id) => ({ updateOne: { filter: { _id: id }, update: { $addToSet: { tags: tagName } } } })));
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('NestJS: @InjectModel and Model<T>', async () => {
    const r = await analyzeAnnotated({
      'src/cats.service.ts': `import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

interface CatDocument { name: string; age: number; owner: string }

@Injectable()
export class CatsService {
  constructor(@InjectModel('Cat') private readonly cats: Model<CatDocument>) {}

  findAll() {
    return this.cats.find().exec(); // expect: missing-pagination
  }

  async ownersOf(names: string[]) {
    const owners = [];
    for (const name of names) {
      owners.push(await this.cats.findOne({ name }).select('owner').lean()); // expect: n-plus-one
    }
    return owners;
  }
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });

  it('mongoose-paginate-v2 pages by itself', async () => {
    const r = await analyzeAnnotated({
      'src/models.ts': models,
      'src/list.ts': `import { Post } from './models';

export async function page(n: number) {
  return (Post as any).paginate({}, { page: n, limit: 20, select: 'title' });
}

export async function all() {
  return Post.find({}, 'title').lean(); // expect: missing-pagination
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });
});

describe('mongoose fixes', () => {
  it('appends .limit(pageSize) to a find() chain', async () => {
    const files = {
      'src/models.ts': models,
      'src/list.ts': `import { Post } from './models';

export function titles() {
  return Post.find({}, 'title').sort({ _id: -1 }).lean();
}
`,
    };
    const { text, after } = await applyFix(files, 'src/list.ts', 'missing-pagination');
    expect(text).toContain('.sort({ _id: -1 }).lean().limit(100);');
    expect(after.actual).toEqual([]);
  });

  it('rewrites one create per document into insertMany', async () => {
    const files = {
      'src/models.ts': models,
      'src/import.ts': `import { Post } from './models';

export async function importTitles(titles: string[]) {
  for (const title of titles) {
    await Post.create({ title, body: '' });
  }
}
`,
    };
    const { text, after } = await applyFix(files, 'src/import.ts', 'bulk-write-in-loop');
    expect(text).toContain("await Post.insertMany(titles.map((title) => ({ title, body: '' })));");
    expect(after.actual).toEqual([]);
  });

  it('Typegoose models', async () => {
    const r = await analyzeAnnotated({
      'src/user.ts': `import { getModelForClass, prop } from '@typegoose/typegoose';

class User {
  @prop() public name?: string;
  @prop() public email?: string;
}

export const UserModel = getModelForClass(User);
`,
      'src/users.ts': `import { UserModel } from './user';

export async function everyone() {
  return UserModel.find().select('name').lean(); // expect: missing-pagination
}

export async function rename(ids: string[]) {
  for (const id of ids) await UserModel.updateOne({ _id: id }, { name: 'anonymous' }); // expect: bulk-write-in-loop
}
`,
    });
    expect(r.actual).toEqual(r.expected);
  });
});
