// Runs the SQL injection grammar's syntax tests (test/grammar/cases) with vscode-tmgrammar-test
// against VS Code's own TypeScript/JavaScript/SQL grammars, and checks the tool really fails on
// a wrong expectation (so a green run means the scopes were checked).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
const cli = join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const config = join(root, 'test', 'grammar', 'grammars.json');

function run(files: string[]) {
  return spawnSync(process.execPath, [cli, '--config', config, ...files], { cwd: root, encoding: 'utf8' });
}

describe('SQL injection grammar', () => {
  it('passes every case in test/grammar/cases', () => {
    const r = run(['test/grammar/cases/*.txt']);
    expect(r.stdout + r.stderr).not.toMatch(/failed/);
    expect(r.stdout.match(/run successfuly/g)?.length).toBeGreaterThanOrEqual(3);
    expect(r.status).toBe(0);
  });

  it('fails a case that expects SQL where there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pi-grammar-'));
    const file = join(dir, 'wrong.txt');
    writeFileSync(file, ['// SYNTAX TEST "source.ts" "wrong on purpose"', "m.get('SELECT');", '//     ^^^^^^ keyword.other.DML.sql', ''].join('\n'));
    const r = run([file]);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('missing required scopes: keyword.other.DML.sql');
  });

  it('is contributed as an injection into TS/JS with SQL as the embedded language', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const g = pkg.contributes.grammars.find((x: { scopeName: string }) => x.scopeName === 'inline.perf-insights.sql');
    expect(g.injectTo).toEqual(expect.arrayContaining(['source.ts', 'source.tsx', 'source.js', 'source.js.jsx']));
    expect(g.embeddedLanguages['meta.embedded.block.sql']).toBe('sql');
    const grammar = JSON.parse(readFileSync(join(root, g.path), 'utf8'));
    expect(grammar.scopeName).toBe(g.scopeName);
  });
});
