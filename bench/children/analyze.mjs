// Our contender: the engine (bundled by the benchmark from src/analysis) analysing every file
// with all rules, as `perf-insights analyze` does minus output formatting.
import { createRequire } from 'node:module';
import { runChild } from './harness.mjs';

const engine = createRequire(import.meta.url)(process.env.PI_ENGINE_BUNDLE);

await runChild(async ({ files, root }) => {
  const project = await engine.AnalysisProject.create({ root, config: engine.loadConfig(root) });
  project.addFiles(files);
  let findings = 0;
  for (const file of files) findings += project.analyzeFile(file).length;
  const errors = typeof project.parseErrors === 'function' ? project.parseErrors() : project.parseErrors;
  return { findings, parseErrors: errors?.length ?? errors?.size ?? 0 };
});
