// The ❌/✅ examples in docs/rules/<rule>.md are the rule's contract with its readers, so they
// run as tests: every `<!-- invalid -->` block must give exactly one finding of the page's rule,
// every `<!-- valid -->` block none. Each example is written to its own file in a temporary
// workspace, exactly as a user would have it (no node_modules).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisProject } from '../../src/analysis/index';
import { RULE_IDS, type RuleId } from '../../src/analysis/types';

const docsDir = join(__dirname, '..', '..', 'docs', 'rules');

interface DocExample {
  kind: 'valid' | 'invalid';
  code: string;
  /** 1-based line of the opening fence in the markdown, so a failure points at the example. */
  line: number;
}

/** Every fenced ```ts block directly preceded by an `<!-- valid -->` / `<!-- invalid -->` marker. */
function extractExamples(markdown: string): DocExample[] {
  const examples: DocExample[] = [];
  const marker = /<!--\s*(valid|invalid)\s*-->\s*\n```ts\n([\s\S]*?)\n```/g;
  for (const m of markdown.matchAll(marker)) {
    const fenceOffset = m.index! + m[0].indexOf('```ts');
    examples.push({
      kind: m[1] as DocExample['kind'],
      code: m[2] + '\n',
      line: markdown.slice(0, fenceOffset).split('\n').length,
    });
  }
  return examples;
}

const workspaces: string[] = [];
afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

describe.each(RULE_IDS.map((rule) => [rule]))('docs/rules/%s.md', (rule: RuleId) => {
  const markdown = readFileSync(join(docsDir, `${rule}.md`), 'utf8');
  const examples = extractExamples(markdown);

  it('has both ❌ and ✅ examples', () => {
    expect(examples.some((e) => e.kind === 'invalid')).toBe(true);
    expect(examples.some((e) => e.kind === 'valid')).toBe(true);
    // A marker whose block is not ```ts would be silently skipped by the regex above.
    const markers = markdown.match(/<!--\s*(valid|invalid)\s*-->/g) ?? [];
    expect(examples.length).toBe(markers.length);
  });

  let project: Promise<{ project: AnalysisProject; files: string[] }> | undefined;
  const load = () =>
    (project ??= (async () => {
      const root = mkdtempSync(join(tmpdir(), `perf-docs-${rule}-`));
      workspaces.push(root);
      const files = examples.map((e, i) => {
        const file = join(root, `example-${String(i + 1).padStart(2, '0')}-line-${e.line}.ts`);
        writeFileSync(file, e.code);
        return file;
      });
      const p = await AnalysisProject.create({ root });
      p.addFiles(files);
      return { project: p, files };
    })());

  it.each(examples.map((e, i) => [`${e.kind} example at line ${e.line}`, i] as const))('%s', async (_name, i) => {
    const { project: p, files } = await load();
    const example = examples[i];
    const findings = p.analyzeFile(files[i]).filter((f) => f.rule === rule);
    const summary = findings.map((f) => `${f.line}:${f.column} ${f.message}`);
    expect(summary, `docs/rules/${rule}.md:${example.line}\n${example.code}`).toHaveLength(example.kind === 'invalid' ? 1 : 0);
  });
});
