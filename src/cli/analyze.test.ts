// The analyze command in process, on a real workspace with the real engine.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../analysis/types.js';
import { SHOP, runCli, workspace } from './test-support.js';

interface JsonFinding {
  rule: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  orm: string;
  related: { file: string; line: number; message: string }[];
}

describe('perf-insights analyze --format json', { timeout: 120_000 }, () => {
  it('produces the documented v1 schema with root-relative forward-slash paths', async () => {
    const root = workspace(SHOP);
    const { code, stdout } = await runCli(['analyze', root, '--format', 'json', '--fail-on', 'never']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ version: 1, root, files: expect.any(Number), durationMs: expect.any(Number) });
    // node_modules is skipped; the 4 sources under src/ are analysed (the broken one is reported).
    expect(out.files).toBe(4);
    expect(out.findings.length).toBeGreaterThanOrEqual(2);
    for (const f of out.findings as JsonFinding[]) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['rule', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'orm', 'related']));
      expect(RULE_IDS).toContain(f.rule);
      expect(['error', 'warning', 'info']).toContain(f.severity);
      expect(f.file).not.toMatch(/^\/|\\/);
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.column).toBeGreaterThanOrEqual(1);
      expect(f.endLine * 10_000 + f.endColumn).toBeGreaterThan(f.line * 10_000 + f.column - 1);
      for (const r of f.related) expect(r).toMatchObject({ file: expect.stringMatching(/^[^/\\]/), line: expect.any(Number), message: expect.any(String) });
    }
    const nPlusOne = (out.findings as JsonFinding[]).find((f) => f.rule === 'n-plus-one');
    expect(nPlusOne).toMatchObject({ file: 'src/services/report.ts', line: 6, orm: 'prisma' });
    expect(nPlusOne!.related.map((r) => r.line)).toContain(5); // the loop
    const pagination = (out.findings as JsonFinding[]).find((f) => f.rule === 'missing-pagination');
    expect(pagination).toMatchObject({ file: 'src/routes/posts.ts', line: 7, severity: 'error' });
    expect(out.findings.some((f: JsonFinding) => f.file.includes('node_modules'))).toBe(false);
  });

  it('reports a file that does not parse and still analyses the others', async () => {
    const root = workspace(SHOP);
    const { stdout } = await runCli(['analyze', root, '--format', 'json', '--fail-on', 'never']);
    const out = JSON.parse(stdout);
    expect(out.parseErrors).toEqual([{ file: 'src/broken.ts', message: expect.stringMatching(/line \d+/) }]);
    expect(out.findings.length).toBeGreaterThan(0);
  });

  it('analyses the current folder when no path is given', async () => {
    const root = workspace(SHOP);
    const { stdout } = await runCli(['analyze', '--format', 'json', '--fail-on', 'never'], { cwd: root });
    expect(JSON.parse(stdout)).toMatchObject({ root, files: 4 });
  });

  it('accepts several paths, files and folders, relative to the cwd', async () => {
    const root = workspace(SHOP);
    const { stdout } = await runCli(['analyze', 'src/routes', 'src/services/report.ts', 'src/db.ts', '--format', 'json', '--fail-on', 'never'], { cwd: root });
    const out = JSON.parse(stdout);
    expect(out.root).toBe(root);
    expect(out.files).toBe(3);
    expect(new Set(out.findings.map((f: JsonFinding) => f.file))).toEqual(new Set(['src/routes/posts.ts', 'src/services/report.ts']));
  });

  it('--rules keeps only the listed rules', async () => {
    const root = workspace(SHOP);
    const { stdout } = await runCli(['analyze', root, '--format', 'json', '--rules', 'n-plus-one', '--fail-on', 'never']);
    const rules = new Set(JSON.parse(stdout).findings.map((f: JsonFinding) => f.rule));
    expect(rules).toEqual(new Set(['n-plus-one']));
  });

  it('--config reads rule settings from the given file', async () => {
    const root = workspace(SHOP);
    const config = join(root, 'ci-perf.json');
    writeFileSync(config, JSON.stringify({ rules: { 'missing-pagination': 'off', 'n-plus-one': 'error' } }));
    const { code, stdout } = await runCli(['analyze', root, '--format', 'json', '--config', config]);
    const findings = JSON.parse(stdout).findings as JsonFinding[];
    expect(findings.some((f) => f.rule === 'missing-pagination')).toBe(false);
    expect(findings.find((f) => f.rule === 'n-plus-one')?.severity).toBe('error');
    expect(code).toBe(1);
  });
});

describe('perf-insights analyze exit codes', { timeout: 120_000 }, () => {
  const warningsOnly = () => {
    const { 'src/routes/posts.ts': _route, ...rest } = SHOP;
    return workspace(rest);
  };

  it('--fail-on error (default): 1 with an error finding, 0 with warnings only', async () => {
    expect((await runCli(['analyze', workspace(SHOP), '--format', 'json'])).code).toBe(1);
    expect((await runCli(['analyze', warningsOnly(), '--format', 'json'])).code).toBe(0);
  });

  it('--fail-on warning: 1 with warnings', async () => {
    expect((await runCli(['analyze', warningsOnly(), '--fail-on', 'warning', '--format', 'json'])).code).toBe(1);
  });

  it('--fail-on never: 0 whatever is found', async () => {
    expect((await runCli(['analyze', workspace(SHOP), '--fail-on', 'never', '--format', 'json'])).code).toBe(0);
  });

  it('0 on a clean workspace', async () => {
    const root = workspace({ 'src/math.ts': 'export const add = (a: number, b: number) => a + b;\n' });
    const run = await runCli(['analyze', root, '--fail-on', 'warning']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/No performance problems found in 1 file/);
  });
});

describe('perf-insights analyze usage errors (exit 2)', { timeout: 120_000 }, () => {
  it.each([
    [['analyze', '--rules', 'n-plus-one,no-such-rule'], /unknown rule id 'no-such-rule'; known rules: n-plus-one, missing-pagination/],
    [['analyze', '--rules', ','], /--rules needs at least one rule id/],
    [['analyze', '--format', 'xml'], /argument 'xml' is invalid. Allowed choices are text, json, sarif/],
    [['analyze', '--fail-on', 'sometimes'], /Allowed choices are error, warning, never/],
    [['analyze', 'does/not/exist'], /no such file or folder: does\/not\/exist/],
    [['analyze', '--config', 'missing.json'], /config file not found: .*missing\.json/],
    [['analyse'], /unknown command 'analyse'/],
    [['analyze', '--frobnicate'], /unknown option '--frobnicate'/],
  ])('%j', async (argv, message) => {
    const root = workspace({ 'src/a.ts': 'export {};\n' });
    const run = await runCli(argv, { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('a config file that is not valid JSON is a usage error with the file named', async () => {
    const root = workspace({ 'src/a.ts': 'export {};\n', '.perf-insights.json': '{ "rules": ' });
    const run = await runCli(['analyze'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/invalid configuration: .*\.perf-insights\.json/);
  });
});

describe('perf-insights analyze --format text', { timeout: 120_000 }, () => {
  it('groups by file with a code frame, related locations and a summary', async () => {
    const root = workspace(SHOP);
    const { stdout } = await runCli(['analyze', root, '--fail-on', 'never']);
    const routeAt = stdout.indexOf('src/routes/posts.ts\n');
    const serviceAt = stdout.indexOf('src/services/report.ts\n');
    expect(routeAt).toBeGreaterThanOrEqual(0);
    expect(serviceAt).toBeGreaterThan(routeAt); // files in order, each heading once
    expect(stdout.split('src/services/report.ts\n')).toHaveLength(2);
    expect(stdout).toMatch(/ {2}6:\d+ {2}warning {2}.*n-plus-one \(prisma\)/);
    expect(stdout).toMatch(/> 6 \| {5}const orders = await prisma\.order\.findMany/);
    expect(stdout).toMatch(/\|\s+\^+/);
    expect(stdout).toMatch(/↳ src\/services\/report\.ts:5:\d+ {2}the for…of loop/);
    expect(stdout).toMatch(/src\/broken\.ts\n {2}skipped {2}line \d+/);
    expect(stdout).toMatch(/\d+ problems? \(1 error, \d+ warnings?.*\) in 4 files/);
    expect(stdout).not.toMatch(/\u001b\[/); // no colours when stdout is not a terminal
  });
});

describe('progress on stderr', { timeout: 120_000 }, () => {
  it('draws and clears a progress line when stderr is a terminal', async () => {
    const root = workspace(SHOP);
    const { stderr } = await runCli(['analyze', root, '--format', 'json', '--fail-on', 'never'], { stderrIsTTY: true });
    expect(stderr).toMatch(/analysing 4\/4 files/);
    expect(stderr.endsWith('\r\u001b[K')).toBe(true);
  });

  it('stays silent on a non-terminal for small runs, and with --no-progress', async () => {
    const root = workspace(SHOP);
    expect((await runCli(['analyze', root, '--format', 'json', '--fail-on', 'never'])).stderr).toBe('');
    expect((await runCli(['analyze', root, '--format', 'json', '--fail-on', 'never', '--no-progress'], { stderrIsTTY: true })).stderr).toBe('');
  });
});

describe('perf-insights --help / --version', () => {
  it('prints the version', async () => {
    const run = await runCli(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: '9.9.9-test\n' });
  });

  it('lists the analyze command and its options', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/analyze \[options\] \[paths\.\.\.\]/);
    expect(top.stdout).toMatch(/kpis \[options\]/);
    const sub = await runCli(['analyze', '--help']);
    expect(sub.code).toBe(0);
    for (const flag of ['--format', '--fail-on', '--rules', '--config']) expect(sub.stdout).toContain(flag);
  });

  it('kpis is dispatched with the same usage-error handling', async () => {
    const run = await runCli(['kpis', '--format', 'sarif']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Allowed choices are text, json/);
  });

  it('no command prints help on stderr and exits 2', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Usage: perf-insights/);
  });
});
