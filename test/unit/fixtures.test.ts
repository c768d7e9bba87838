// The fixture workspaces under test/fixtures/<orm>/ are the engine's spec: every line that must
// be reported carries `// expect: <rule>[, <rule>…]`, and every other line must stay silent.
// Each workspace is analysed as the CLI does it (discoverFiles + addFiles + analyzeFile), and
// the set of (file, line, rule) must equal the annotations exactly — a missed finding and a
// false positive fail alike, and the failure lists both.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisProject, discoverFiles, loadConfig } from '../../src/analysis/index';
import { RULE_IDS, type RuleId } from '../../src/analysis/types';

const fixturesDir = join(__dirname, '..', 'fixtures');
/** One workspace per supported ORM; listed so a missing one fails instead of being skipped. */
const workspaces = ['prisma', 'typeorm', 'sequelize', 'drizzle', 'knex', 'mikro-orm', 'mongoose', 'pg', 'mysql2'];

const EXPECT = /\/\/\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;

/** `file:line rule` keys from the `// expect:` comments of one file. */
function expectationsOf(root: string, file: string): string[] {
  const keys: string[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = EXPECT.exec(text);
      if (!m) return;
      for (const rule of m[1].split(',').map((r) => r.trim())) {
        if (!RULE_IDS.includes(rule as RuleId)) throw new Error(`${relative(root, file)}:${i + 1}: unknown rule id "${rule}"`);
        keys.push(`${relative(root, file)}:${i + 1} ${rule}`);
      }
    });
  return keys;
}

describe.each(workspaces.map((w) => [w]))('fixture workspace %s', (workspace: string) => {
  it('reports exactly the annotated (file, line, rule) triples', async () => {
    const root = join(fixturesDir, workspace);
    const config = loadConfig(root);
    const files = discoverFiles(root, config);
    expect(files.length, `no files discovered in ${root}`).toBeGreaterThan(1);

    const project = await AnalysisProject.create({ root, config });
    project.addFiles(files);

    const expected = new Set(files.flatMap((f) => expectationsOf(root, f)));
    const actual = new Map<string, string>();
    for (const file of files) {
      for (const f of project.analyzeFile(file)) {
        actual.set(`${relative(root, f.file)}:${f.line} ${f.rule}`, f.message);
      }
    }

    const missed = [...expected].filter((k) => !actual.has(k)).sort();
    const unexpected = [...actual.keys()].filter((k) => !expected.has(k)).sort();
    const report = [
      `${workspace}: ${expected.size - missed.length}/${expected.size} expectations met`,
      ...missed.map((k) => `  missed      ${k}`),
      ...unexpected.map((k) => `  unexpected  ${k} — ${actual.get(k)}`),
    ].join('\n');
    expect({ missed, unexpected }, report).toEqual({ missed: [], unexpected: [] });
  });
});

describe('fixture workspaces after an edit', () => {
  it('a callee that stops querying clears the N+1 in the file that loops over it (knex)', async () => {
    const root = join(fixturesDir, 'knex');
    const config = loadConfig(root);
    const project = await AnalysisProject.create({ root, config });
    project.addFiles(discoverFiles(root, config));
    const billing = join(root, 'src/routes/billing.ts');
    const customers = join(root, 'src/repositories/customers.ts');
    const nPlusOne = () => project.analyzeFile(billing).filter((f) => f.rule === 'n-plus-one').map((f) => f.line);
    expect(nPlusOne()).toEqual([18]);

    // customerById() now answers from an in-memory map: the loop in billing.ts no longer queries.
    const edited = readFileSync(customers, 'utf8').replace(
      "return Customer.query().findById(id).select('id', 'name', 'email');",
      'return Promise.resolve(directory.get(id));',
    ).replace("import { Customer } from '../models/Customer';", "import { Customer } from '../models/Customer';\nconst directory = new Map<number, { name: string; email: string }>();");
    expect(edited).toContain('directory.get(id)');
    project.updateFile(customers, edited);
    expect(project.dependents(customers).map((f) => relative(root, f))).toContain('src/routes/billing.ts');
    expect(nPlusOne()).toEqual([]);

    // And back: the finding returns.
    project.updateFile(customers, readFileSync(customers, 'utf8'));
    expect(nPlusOne()).toEqual([18]);
  });
});
