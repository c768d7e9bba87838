// updateFile / removeFile keep the caches of files the change cannot reach: these cases check
// that whatever the change *can* reach is recomputed (analyse first, so the caches are warm).
import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { workspace } from './testing';

const PRISMA = `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`;
const LOOP_CALLER = `import { load } from './repo';\nexport async function run(ids: number[]) {\n  for (const id of ids) await load(id);\n}\n`;
const LOAD = `export async function load(id: number) {\n  return prisma.user.findFirst({ where: { id } });\n}\n`;

describe('incremental invalidation', () => {
  it('an edit that adds an export used by another file brings the N+1 into that file, and removing it takes it away', async () => {
    const ws = await workspace({
      'src/db.ts': PRISMA,
      'src/repo.ts': `import { prisma } from './db';\nexport const unrelated = 1;\n`,
      'src/svc.ts': LOOP_CALLER,
      'src/other.ts': `import { prisma } from './db';\nexport const all = () => prisma.user.findMany();\n`,
    });
    const repo = join(ws.root, 'src/repo.ts');
    expect(ws.findings('src/svc.ts', 'n-plus-one')).toHaveLength(0);
    expect(ws.findings('src/other.ts', 'missing-pagination')).toHaveLength(1);

    ws.project.updateFile(repo, `import { prisma } from './db';\n${LOAD}`);
    expect(ws.findings('src/svc.ts', 'n-plus-one').map((f) => f.line)).toEqual([3]);
    // A file the edit cannot reach keeps its (cached) findings.
    expect(ws.findings('src/other.ts', 'missing-pagination')).toHaveLength(1);

    ws.project.updateFile(repo, `import { prisma } from './db';\nexport const unrelated = 1;\n`);
    expect(ws.findings('src/svc.ts', 'n-plus-one')).toHaveLength(0);
    expect(ws.findings('src/other.ts', 'missing-pagination')).toHaveLength(1);
  });

  it('a change at the start of a re-export chain longer than the dependents depth reaches the file at its end', async () => {
    const files: Record<string, string> = { 'src/db.ts': PRISMA };
    let from = './db';
    for (let i = 1; i <= 5; i++) {
      files[`src/r${i}.ts`] = `export { prisma } from '${from}';\n`;
      from = `./r${i}`;
    }
    files['src/list.ts'] = `import { prisma } from '${from}';\nexport const all = () => prisma.user.findMany();\n`;
    const ws = await workspace(files);
    const db = join(ws.root, 'src/db.ts');
    expect(ws.findings('src/list.ts', 'missing-pagination')).toHaveLength(1);
    // dependents() stops at the call-chain depth; the cached values must not.
    expect(ws.project.dependents(db)).not.toContain(join(ws.root, 'src/list.ts'));

    // Same imports (ORM reachability unchanged): only the exported value changes.
    ws.project.updateFile(db, `import { PrismaClient } from '@prisma/client';\nexport const prisma = new Map();\n`);
    expect(ws.findings('src/list.ts', 'missing-pagination')).toHaveLength(0);
    ws.project.updateFile(db, PRISMA);
    expect(ws.findings('src/list.ts', 'missing-pagination')).toHaveLength(1);
  });

  it('removing a callee file clears the N+1 in its caller', async () => {
    const ws = await workspace({
      'src/db.ts': PRISMA,
      'src/repo.ts': `import { prisma } from './db';\n${LOAD}`,
      'src/svc.ts': LOOP_CALLER,
    });
    const repo = join(ws.root, 'src/repo.ts');
    expect(ws.findings('src/svc.ts', 'n-plus-one')).toHaveLength(1);
    rmSync(repo);
    ws.project.removeFile(repo);
    expect(ws.findings('src/svc.ts', 'n-plus-one')).toHaveLength(0);
  });

  it('an edit to the ORM module itself re-derives the receivers of every file that imports it', async () => {
    const ws = await workspace({
      'src/db.ts': PRISMA,
      'src/repo.ts': `import { prisma } from './db';\n${LOAD}`,
      'src/svc.ts': LOOP_CALLER,
    });
    const db = join(ws.root, 'src/db.ts');
    expect(ws.findings('src/svc.ts', 'n-plus-one')).toHaveLength(1);
    // Imports change too (no ORM import left): ORM reachability must be recomputed as well.
    ws.project.updateFile(db, `export const prisma = { user: { findFirst: async (q: unknown) => q } };\n`);
    expect(ws.findings('src/svc.ts', 'n-plus-one')).toHaveLength(0);
    ws.project.updateFile(db, PRISMA);
    expect(ws.findings('src/svc.ts', 'n-plus-one')).toHaveLength(1);
  });
});
