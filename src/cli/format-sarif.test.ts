// SARIF output checked against the official SARIF 2.1.0 JSON schema (the OASIS rtm.5 schema as
// shipped by Microsoft's @microsoft/jest-sarif package) plus what GitHub code scanning relies on.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSarif } from './format-sarif.js';
import type { AnalysisReport } from './report.js';
import { PACKAGE_ROOT, SHOP, runCli, workspace } from './test-support.js';

const schemaPath = createRequire(__filename).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
// unicodeRegExp off: the schema's `language` pattern has a stray `]` that only /u mode rejects.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function expectValid(log: unknown) {
  const ok = validate(log);
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toEqual([]);
  expect(ok).toBe(true);
}

describe('--format sarif', { timeout: 120_000 }, () => {
  let root: string;
  let log: Log;
  let code: number;

  beforeAll(async () => {
    root = workspace(SHOP);
    const run = await runCli(['analyze', root, '--format', 'sarif']);
    code = run.code;
    log = JSON.parse(run.stdout);
  }, 120_000);

  it('validates against the SARIF 2.1.0 schema', () => {
    expectValid(log);
    expect(log.version).toBe('2.1.0');
    expect(code).toBe(1); // the error-level missing-pagination finding, like the other formats
  });

  it('the schema check is not vacuous: a broken log fails it', () => {
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
    expect(validate({ version: '2.1.0' })).toBe(false);
  });

  it('describes every rule with help, a help URI to its docs page and a default level', () => {
    const rules = log.runs[0].tool.driver.rules!;
    expect(rules.map((r) => r.id).sort()).toEqual(['bulk-write-in-loop', 'missing-pagination', 'n-plus-one', 'unbounded-select']);
    for (const r of rules) {
      expect(r.shortDescription?.text).toBeTruthy();
      expect(r.helpUri).toMatch(new RegExp(`docs/rules/${r.id}\\.md$`));
      expect(r.help?.markdown).toContain(`# \`${r.id}\``);
      expect(['error', 'warning', 'note']).toContain(r.defaultConfiguration?.level);
    }
  });

  it('results reference rules, relative files under %SRCROOT%, regions, related locations and fingerprints', () => {
    const run = log.runs[0];
    expect(run.originalUriBaseIds?.['%SRCROOT%']?.uri).toBe(`file://${root}/`);
    const results = run.results!;
    expect(results.length).toBeGreaterThanOrEqual(2);
    for (const r of results) {
      expect(run.tool.driver.rules![r.ruleIndex!].id).toBe(r.ruleId);
      const loc = r.locations![0].physicalLocation!;
      expect(loc.artifactLocation).toMatchObject({ uri: expect.stringMatching(/^src\//), uriBaseId: '%SRCROOT%' });
      expect(loc.region!.startLine).toBeGreaterThanOrEqual(1);
      expect(Object.keys(r.partialFingerprints!)).toEqual(['perfInsightsFinding/v1']);
    }
    const nPlusOne = results.find((r) => r.ruleId === 'n-plus-one')!;
    expect(nPlusOne.level).toBe('warning');
    expect(nPlusOne.relatedLocations!.map((l) => l.physicalLocation!.region!.startLine)).toContain(5);
    expect(results.find((r) => r.ruleId === 'missing-pagination')!.level).toBe('error');
    const fingerprints = results.map((r) => r.partialFingerprints!['perfInsightsFinding/v1']);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it('lists files that did not parse as tool notifications', () => {
    const notes = log.runs[0].invocations![0].toolExecutionNotifications!;
    expect(notes).toHaveLength(1);
    expect(notes[0].locations![0].physicalLocation!.artifactLocation!.uri).toBe('src/broken.ts');
  });
});

describe('formatSarif', () => {
  const finding = (line: number, text = 'x') => ({
    rule: 'n-plus-one' as const,
    severity: 'info' as const,
    messageId: 'queryInLoop',
    message: text,
    orm: 'pg' as const,
    file: '/repo/src/a.ts',
    line,
    column: 1,
    endLine: line,
    endColumn: 5,
    related: [],
    fixes: [],
    sqlFingerprint: 'a0ead580058af585',
  });
  const report = (lines: string, findings: ReturnType<typeof finding>[]): { r: AnalysisReport; read: (f: string) => string } => ({
    r: {
      root: '/repo',
      files: 1,
      durationMs: 1,
      findings,
      parseErrors: [],
      rules: [{ id: 'n-plus-one', description: 'A query per item', defaultSeverity: 'warning', docsPath: 'docs/rules/n-plus-one.md' }],
      toolVersion: '1.2.3',
    },
    read: () => lines,
  });

  it('keeps fingerprints stable when lines move, distinct for repeated identical lines', () => {
    const a = report('q()\nq()\n', [finding(1), finding(2)]);
    const b = report('// new first line\nq()\nq()\n', [finding(2), finding(3)]);
    const fa = (JSON.parse(formatSarif(a.r, { packageRoot: PACKAGE_ROOT, readSource: a.read })) as Log).runs[0].results!.map((r) => r.partialFingerprints);
    const fb = (JSON.parse(formatSarif(b.r, { packageRoot: PACKAGE_ROOT, readSource: b.read })) as Log).runs[0].results!.map((r) => r.partialFingerprints);
    expect(fa).toEqual(fb);
    expect(fa[0]).not.toEqual(fa[1]);
  });

  it('maps info to note, carries the SQL fingerprint and uses a published docs URL when configured', () => {
    const a = report('q()\n', [finding(1)]);
    const log = JSON.parse(formatSarif(a.r, { packageRoot: PACKAGE_ROOT, readSource: a.read, docsBaseUrl: 'https://github.com/acme/perf-insights/blob/main' })) as Log;
    expectValid(log);
    expect(log.runs[0].results![0]).toMatchObject({ level: 'note', properties: { orm: 'pg', sqlFingerprint: 'a0ead580058af585' } });
    expect(log.runs[0].tool.driver.rules![0].helpUri).toBe('https://github.com/acme/perf-insights/blob/main/docs/rules/n-plus-one.md');
    expect(log.runs[0].tool.driver.version).toBe('1.2.3');
  });

  it('an empty report is still a valid log', () => {
    const a = report('', []);
    expectValid(JSON.parse(formatSarif(a.r, { packageRoot: PACKAGE_ROOT, readSource: a.read })));
  });
});
