// samples/demo-workspace is what the README's main command analyses and what the editor demo
// opens, so its findings are checked here: each planted mistake is reported on its line, the
// fixed variants next to them are not, and nothing else is.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisProject, discoverFiles, loadConfig } from '../../src/analysis/index';
import type { RuleId } from '../../src/analysis/types';

const root = join(__dirname, '..', '..', 'samples', 'demo-workspace');

/** [file, a snippet that occurs once in it on the reported line, rule] */
const PLANTED: [string, string, RuleId][] = [
  ['src/routes/projects.ts', "const all = await prisma.project.findMany(", 'missing-pagination'],
  ['src/routes/projects.ts', 'pipelines: await pipelinesOfProject(project.id)', 'n-plus-one'],
  ['src/routes/projects.ts', 'pipelines.map((p) => lastRunDuration(p.id))', 'n-plus-one'],
  ['src/services/metrics.ts', "query('SELECT * FROM pipeline_runs", 'unbounded-select'],
  ['src/services/metrics.ts', "query('SELECT avg(duration_ms) AS avg FROM pipeline_runs WHERE pipeline_id = $1'", 'n-plus-one'],
  ['src/services/pipelines.ts', 'include: { owner: true }', 'unbounded-select'],
  ['src/services/audit.ts', "AuditEvent.find({ pipelineId, action: 'deploy' })", 'unbounded-select'],
  ['src/jobs/import-pipelines.ts', 'await prisma.pipeline.create(', 'bulk-write-in-loop'],
  ['src/jobs/import-pipelines.ts', 'await AuditEvent.create(', 'bulk-write-in-loop'],
];

function lineOf(file: string, snippet: string): number {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(snippet) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`${file}: snippet ${JSON.stringify(snippet)} found ${hits.length} times`);
  return hits[0]!;
}

describe('samples/demo-workspace', () => {
  it('reports every planted mistake, and nothing else', async () => {
    const config = loadConfig(root);
    const files = discoverFiles(root, config);
    const project = await AnalysisProject.create({ root, config });
    project.addFiles(files);
    const actual = files
      .flatMap((f) => project.analyzeFile(f))
      .map((f) => `${relative(root, f.file)}:${f.line} ${f.rule}`)
      .sort();
    const expected = PLANTED.map(([file, snippet, rule]) => `${file}:${lineOf(file, snippet)} ${rule}`).sort();
    expect(actual).toEqual(expected);
  });
});
