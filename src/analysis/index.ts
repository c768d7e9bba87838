// Public API of the analysis engine (used by the CLI and the editor worker). No `vscode` here.
import { RULE_LIST } from './rules/index';
import type { RuleId, Severity } from './types';

export { AnalysisProject } from './project';
export { discoverFiles } from './discover';
export { loadConfig, defaultConfig, mergeConfig, ConfigError, CONFIG_FILE } from './config';
export { applyEdits } from './fixes/apply';

export const RULES: ReadonlyArray<{ id: RuleId; description: string; defaultSeverity: Severity; docsPath: string }> = RULE_LIST.map((r) => ({
  id: r.meta.id,
  description: r.meta.description,
  defaultSeverity: r.meta.defaultSeverity,
  docsPath: r.meta.docsPath,
}));

export * from './types';
