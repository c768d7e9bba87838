// Editor scenario: a project of N files is analysed once, then one file at a time is edited
// (updateFile) and re-analysed, alone and together with the files that import it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runChild } from './harness.mjs';

const engine = createRequire(import.meta.url)(process.env.PI_ENGINE_BUNDLE);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

await runChild(async ({ files, root, edits }) => {
  const project = await engine.AnalysisProject.create({ root, config: engine.loadConfig(root) });
  project.addFiles(files);
  for (const file of files) project.analyzeFile(file);

  // Deterministic pick (LCG) so runs are comparable.
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const alone = [];
  const withDependents = [];
  const aloneCpu = [];
  const depsCpu = [];
  const cpuMs = (c) => (c.user + c.system) / 1000;
  let dependentCount = 0;
  for (let i = 0; i < edits; i++) {
    const file = files[next() % files.length];
    const text = readFileSync(file, 'utf8') + `\nexport const __benchEdit${i} = ${i};\n`;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    project.updateFile(file, text);
    project.analyzeFile(file);
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    const deps = project.dependents(file).filter((d) => d !== file);
    for (const dep of deps) project.analyzeFile(dep);
    const t2 = performance.now();
    const c2 = process.cpuUsage(c0);
    aloneCpu.push(cpuMs(c1));
    depsCpu.push(cpuMs(c2));
    alone.push(t1 - t0);
    withDependents.push(t2 - t0);
    dependentCount += deps.length;
  }
  for (const list of [alone, withDependents, aloneCpu, depsCpu]) list.sort((a, b) => a - b);
  return {
    edits,
    aloneP50: percentile(alone, 50),
    aloneP95: percentile(alone, 95),
    depsP50: percentile(withDependents, 50),
    depsP95: percentile(withDependents, 95),
    aloneCpuP50: percentile(aloneCpu, 50),
    aloneCpuP95: percentile(aloneCpu, 95),
    depsCpuP50: percentile(depsCpu, 50),
    depsCpuP95: percentile(depsCpu, 95),
    meanDependents: dependentCount / edits,
  };
});
