// The shipped entry point end to end: bin/perf-insights.js -> dist/cli.js (esbuild bundle) with
// libpg-query.wasm beside it, run as a child process like `npx perf-insights` does. Built by the
// real esbuild.mjs into a temp copy of the package layout (sources symlinked), so it tests
// today's sources and never rewrites the dist/ other suites may be running from.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, SHOP, workspace } from './test-support.js';

const pkg = mkdtempSync(join(tmpdir(), 'pi-bin-'));
const bin = join(pkg, 'bin/perf-insights.js');

function run(args: string[], cwd = PACKAGE_ROOT) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/perf-insights.js (bundled CLI)', { timeout: 180_000 }, () => {
  beforeAll(() => {
    for (const f of ['package.json', 'esbuild.mjs']) copyFileSync(join(PACKAGE_ROOT, f), join(pkg, f));
    mkdirSync(join(pkg, 'bin'));
    copyFileSync(join(PACKAGE_ROOT, 'bin/perf-insights.js'), bin);
    for (const d of ['src', 'node_modules', 'docs']) symlinkSync(join(PACKAGE_ROOT, d), join(pkg, d));
    // No dist/ yet: the bin builds it on first use, as in a fresh checkout.
    const r = run(['--version']);
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);
  afterAll(() => rmSync(pkg, { recursive: true, force: true })); // symlinks are removed, not followed

  it('analyze --format json on a workspace, raw SQL parsed by the bundled WASM parser', () => {
    const root = workspace({
      ...SHOP,
      'src/reports/raw.ts': `import { prisma } from '../db';

export async function postsByAuthor(authorId: string) {
  return prisma.$queryRaw\`SELECT * FROM "Post" WHERE "authorId" = \${authorId} ORDER BY "createdAt" DESC LIMIT 20\`;
}
`,
    });
    const r = run(['analyze', root, '--format', 'json']);
    expect(r.stderr).not.toMatch(/wasm|Could not load the SQL parser/i);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ version: 1, root, files: 5 });
    // The SELECT * is only visible through the SQL parser; its fingerprint comes from it too.
    const raw = out.findings.filter((f: { file: string }) => f.file === 'src/reports/raw.ts');
    expect(raw).toEqual([expect.objectContaining({ rule: 'unbounded-select', line: 4, sqlFingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) })]);
  });

  it('analyzes the sample fixture from another cwd with text output', () => {
    const r = run(['analyze', join(PACKAGE_ROOT, 'test/fixtures/prisma'), '--fail-on', 'never'], workspace({ 'x.txt': '' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/problems? \(\d+ errors?, \d+ warnings?/);
  });

  it('usage errors exit 2 with a message on stderr', () => {
    const r = run(['analyze', '--rules', 'n+1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown rule id 'n\+1'/);
  });

  it('--version prints the package version', () => {
    const r = run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
