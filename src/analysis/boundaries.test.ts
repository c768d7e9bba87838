// House rules that are cheap to check: the engine and metrics never import `vscode`, and every
// registered rule has its documentation page.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from './index';
import { RULE_IDS } from './types';

const repo = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|tsx|js|mjs|cjs)$/.test(name) ? [p] : [];
  });
}

describe('boundaries', () => {
  it('no file under src/analysis or src/metrics imports vscode', () => {
    const files = [...sources(join(repo, 'src/analysis')), ...sources(join(repo, 'src/metrics'))];
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => /(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the registry lists every rule id exactly once', () => {
    expect([...RULES.map((r) => r.id)].sort()).toEqual([...RULE_IDS].sort());
  });

  it.each(RULE_IDS.map((id) => [id]))('docs/rules/%s.md exists and is linked from the rule meta', (id) => {
    const rule = RULES.find((r) => r.id === id)!;
    expect(rule.docsPath).toBe(`docs/rules/${id}.md`);
    expect(existsSync(join(repo, rule.docsPath))).toBe(true);
  });
});
