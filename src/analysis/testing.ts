// Test helper: a temporary workspace on disk (the engine reads real files) and its findings.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AnalysisProject } from './project';
import type { AnalysisConfig, Finding, RuleId } from './types';

export interface Workspace {
  root: string;
  project: AnalysisProject;
  /** Findings of one file (relative path), optionally only one rule. */
  findings(file: string, rule?: RuleId): Finding[];
}

export async function workspace(files: Record<string, string>, config?: Partial<AnalysisConfig>): Promise<Workspace> {
  const root = mkdtempSync(join(tmpdir(), 'pi-analysis-'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  const project = await AnalysisProject.create({ root, config: config ?? {} });
  project.addFiles(Object.keys(files).map((f) => join(root, f)));
  return {
    root,
    project,
    findings: (file, rule) => project.analyzeFile(join(root, file)).filter((f) => !rule || f.rule === rule),
  };
}

/** Findings of a single-file workspace. */
export async function check(code: string, rule?: RuleId, file = 'src/service.ts', extra: Record<string, string> = {}): Promise<Finding[]> {
  const ws = await workspace({ [file]: code, ...extra });
  return ws.findings(file, rule);
}
