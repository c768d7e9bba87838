// Adapts src/analysis/index.ts to the small Engine interface the worker service uses, so the
// service can be tested with the real engine or a fake one.
import type { Engine } from './analysis-service';

export async function loadEngine(): Promise<Engine> {
  const a = await import('../analysis/index');
  return {
    loadConfig: (root) => a.loadConfig(root),
    defaultConfig: () => a.defaultConfig(),
    discoverFiles: (root, config) => a.discoverFiles(root, config),
    createProject: (root, config) => a.AnalysisProject.create({ root, config }),
  };
}
