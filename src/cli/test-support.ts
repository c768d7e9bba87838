// Test helpers for the CLI: a small realistic workspace on disk and an in-process CLI run with
// captured output. Used only by the CLI's *.test.ts files.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { main } from './main.js';
import type { CliContext } from './context.js';

export const PACKAGE_ROOT = resolve(__dirname, '../..');

/** Writes `files` (relative path -> text) into a fresh temp folder and returns its path. */
export function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pi-cli-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], opts: { cwd?: string; stderrIsTTY?: boolean; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    cwd: opts.cwd ?? PACKAGE_ROOT,
    env: opts.env ?? {},
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.stderrIsTTY ?? false },
    stdoutIsTTY: false,
    packageRoot: PACKAGE_ROOT,
    version: '9.9.9-test',
  };
  const code = await main(argv, ctx);
  return { code, stdout, stderr };
}

/** A Prisma service with an N+1 (warning), a route returning an unpaginated list (error) and two broken files. */
export const SHOP = {
  'package.json': JSON.stringify({ name: 'shop', dependencies: { '@prisma/client': '5', express: '4' } }),
  'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
  'src/services/report.ts': `import { prisma } from '../db';

export async function ordersPerCustomer(customerIds: string[]) {
  const result: Record<string, number> = {};
  for (const id of customerIds) {
    const orders = await prisma.order.findMany({ where: { customerId: id }, select: { id: true }, take: 50 });
    result[id] = orders.length;
  }
  return result;
}
`,
  'src/routes/posts.ts': `import express from 'express';
import { prisma } from '../db';

export const posts = express.Router();

posts.get('/export', async (_req, res) => {
  const all = await prisma.post.findMany({ orderBy: { id: 'asc' } });
  res.json(all);
});
`,
  'src/broken.ts': `export function broken( {\n  const = ;\n`,
  'node_modules/dep/index.js': `const { PrismaClient } = require('@prisma/client');\nfor (const x of [1]) new PrismaClient().user.findMany();\n`,
};
