// Shared by the adapter tests: write a few files to a temporary workspace, analyse them the way
// the CLI does, and compare the findings with the `// expect: <rule>[, <rule>]` comments in the
// files (same convention as test/fixtures). Returns both sides so a failure shows the diff.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { AnalysisProject, applyEdits } from '../../src/analysis/index';
import type { Finding } from '../../src/analysis/types';

const EXPECT = /\/\/\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;

export interface WorkspaceResult {
  expected: string[];
  actual: string[];
  findings: Finding[];
}

export async function analyzeAnnotated(files: Record<string, string>): Promise<WorkspaceResult> {
  const root = mkdtempSync(join(tmpdir(), 'perf-adapter-'));
  try {
    const paths = Object.entries(files).map(([rel, text]) => {
      const path = join(root, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    });
    const project = await AnalysisProject.create({ root });
    project.addFiles(paths.filter((p) => /\.[cm]?[jt]sx?$/.test(p)));
    const expected: string[] = [];
    for (const [rel, text] of Object.entries(files)) {
      text.split('\n').forEach((line, i) => {
        const m = EXPECT.exec(line);
        if (m) for (const rule of m[1]!.split(',')) expected.push(`${rel}:${i + 1} ${rule.trim()}`);
      });
    }
    const findings = paths.filter((p) => /\.[cm]?[jt]sx?$/.test(p)).flatMap((p) => project.analyzeFile(p));
    const actual = findings.map((f) => `${relative(root, f.file)}:${f.line} ${f.rule}`);
    return { expected: expected.sort(), actual: actual.sort(), findings };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Apply the first non-suppression fix of `rule` in `file` and analyse again: the finding should
 * be gone and the code should read as a person would have written it.
 */
export async function applyFix(files: Record<string, string>, file: string, rule: Finding['rule']): Promise<{ text: string; before: WorkspaceResult; after: WorkspaceResult }> {
  const before = await analyzeAnnotated(files);
  const finding = before.findings.find((f) => f.rule === rule && f.file.endsWith(file));
  const fix = finding?.fixes.find((x) => !x.title.startsWith('Suppress'));
  if (!fix) throw new Error(`no ${rule} fix in ${file}: ${before.actual.join(', ')}`);
  const text = applyEdits(files[file]!, fix.edits);
  const after = await analyzeAnnotated({ ...files, [file]: text });
  return { text, before, after };
}
