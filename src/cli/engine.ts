// The part of the analysis engine the CLI uses, behind a small interface so the CLI's own logic
// (paths, exit codes, formats) is testable and the engine's API can evolve in one place.
import type { AnalysisConfig, Finding } from '../analysis/types.js';
import type { FileProblem, RuleInfo } from './report.js';

export interface CliProject {
  addFiles(files: string[]): unknown;
  analyzeFile(file: string): Finding[];
  /** Files that did not parse so far. */
  parseErrors(): FileProblem[];
}

export interface CliEngine {
  rules: readonly RuleInfo[];
  loadConfig(root: string, file?: string): AnalysisConfig | Promise<AnalysisConfig>;
  discoverFiles(root: string, config: AnalysisConfig): string[] | Promise<string[]>;
  createProject(root: string, config: AnalysisConfig): CliProject | Promise<CliProject>;
}

export async function loadEngine(): Promise<CliEngine> {
  const a = await import('../analysis/index.js');
  return {
    rules: a.RULES.map((r) => ({ id: r.id, description: r.description, defaultSeverity: r.defaultSeverity, docsPath: r.docsPath })),
    loadConfig: (root, file) => a.loadConfig(root, file),
    discoverFiles: (root, config) => a.discoverFiles(root, config),
    createProject: async (root, config) => {
      const project = await a.AnalysisProject.create({ root, config });
      return {
        addFiles: (files) => project.addFiles(files),
        analyzeFile: (file) => project.analyzeFile(file),
        parseErrors: () => project.parseErrors(),
      };
    },
  };
}
