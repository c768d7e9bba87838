import { describe, expect, it } from 'vitest';
import type { AnalysisConfig, Finding } from '../analysis/types';
import { AnalysisService, type Engine, type EngineProject } from './analysis-service';
import type { HostMessage, WorkerMessage } from './worker-protocol';

/** A fake project: a file's findings are one per line containing "QUERY"; b.ts depends on a.ts. */
class FakeProject implements EngineProject {
  texts = new Map<string, string>();
  analyzed: string[] = [];
  constructor(readonly config: AnalysisConfig) {}
  addFiles(files: string[]) {
    for (const f of files) if (!this.texts.has(f)) this.texts.set(f, `QUERY in ${f}`);
  }
  updateFile(f: string, t: string) {
    this.texts.set(f, t);
  }
  removeFile(f: string) {
    this.texts.delete(f);
  }
  files() {
    return [...this.texts.keys()];
  }
  dependents(f: string) {
    return f === '/w/a.ts' ? ['/w/b.ts', '/w/c.ts'] : [];
  }
  analyzeFile(f: string): Finding[] {
    this.analyzed.push(f);
    if (f === '/w/broken.ts') throw new Error('boom');
    const text = this.texts.get(f) ?? '';
    return text
      .split('\n')
      .flatMap((l, i) => (l.includes('QUERY') ? [finding(f, i + 1, this.config.pageSize)] : []));
  }
}

function finding(file: string, line: number, pageSize: number): Finding {
  return { rule: 'n-plus-one', severity: 'warning', messageId: 'm', message: `page ${pageSize}`, orm: 'prisma', file, line, column: 1, endLine: line, endColumn: 2, related: [], fixes: [] };
}

function setup(files = ['/w/a.ts', '/w/b.ts', '/w/c.ts'], fileConfig?: () => AnalysisConfig) {
  const defaults: AnalysisConfig = {
    rules: {
      'n-plus-one': { enabled: true, severity: 'warning' },
      'missing-pagination': { enabled: true, severity: 'warning' },
      'unbounded-select': { enabled: true, severity: 'info' },
      'bulk-write-in-loop': { enabled: true, severity: 'warning' },
    },
    pageSize: 100,
    include: [],
    exclude: [],
  };
  let project!: FakeProject;
  const engine: Engine = {
    loadConfig: () => (fileConfig ? fileConfig() : defaults),
    defaultConfig: () => defaults,
    discoverFiles: () => files,
    createProject: (_root, config) => (project = new FakeProject(config)),
  };
  const out: WorkerMessage[] = [];
  const hooks: ((m: WorkerMessage) => void)[] = [];
  const svc = new AnalysisService(async () => engine, (m) => {
    out.push(m);
    for (const h of hooks) h(m);
  }, (f) => (f.endsWith('disk.ts') ? 'QUERY\nQUERY' : null));
  const send = (m: HostMessage) => svc.handle(m);
  const done = (id: number) =>
    new Promise<WorkerMessage & { type: 'done' }>((resolve) => {
      const t = setInterval(() => {
        const d = out.find((m): m is WorkerMessage & { type: 'done' } => m.type === 'done' && m.id === id);
        if (d) {
          clearInterval(t);
          resolve(d);
        }
      }, 1);
    });
  return { send, out, done, hooks, project: () => project };
}

describe('AnalysisService', () => {
  it('loads the project, then analyses an edited file and its dependents', async () => {
    const { send, out, done } = setup();
    send({ type: 'init', root: '/w', settings: {} });
    send({ type: 'analyze', id: 1, file: '/w/a.ts', text: 'x\nQUERY', version: 7, dependents: true });
    const d = await done(1);
    expect(d).toMatchObject({ cancelled: false, files: 3 });
    expect(out[0]).toMatchObject({ type: 'ready', files: 3 });
    const findings = out.filter((m) => m.type === 'findings');
    expect(findings.map((m) => m.type === 'findings' && [m.file, m.findings.map((f) => f.line), m.version])).toEqual([
      ['/w/a.ts', [2], 7],
      ['/w/b.ts', [1], undefined],
      ['/w/c.ts', [1], undefined],
    ]);
  });

  it('drops a queued edit that a newer edit of the same file supersedes', async () => {
    const { send, out, done, project } = setup();
    send({ type: 'init', root: '/w', settings: {} });
    send({ type: 'analyze', id: 1, file: '/w/a.ts', text: 'old QUERY', version: 1, dependents: false });
    send({ type: 'analyze', id: 2, file: '/w/a.ts', text: 'new\nQUERY', version: 2, dependents: false });
    expect((await done(1)).cancelled).toBe(true);
    expect((await done(2)).cancelled).toBe(false);
    expect(project().analyzed).toEqual(['/w/a.ts']);
    const f = out.filter((m) => m.type === 'findings');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ version: 2, findings: [{ line: 2 }] });
  });

  it('streams scan progress, lets edits jump ahead, and stops on cancel', async () => {
    const files = Array.from({ length: 50 }, (_, i) => `/w/f${i}.ts`);
    const { send, out, done, hooks, project } = setup(files);
    // Driven by the messages, not by timers: edit after the first progress, cancel after the edit.
    hooks.push((m) => {
      if (m.type === 'progress' && m.done === 1) send({ type: 'analyze', id: 2, file: '/w/f49.ts', text: 'QUERY', dependents: false });
      if (m.type === 'done' && m.id === 2) send({ type: 'cancel', id: 1 });
    });
    send({ type: 'init', root: '/w', settings: {} });
    send({ type: 'scan', id: 1 });
    const d = await done(1);
    expect(d.cancelled).toBe(true);
    expect(d.files).toBeLessThan(5);
    const progress = out.filter((m) => m.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((m) => m.type === 'progress' && m.total === 50)).toBe(true);
    // the edit was served before the scan reached the end of the list
    expect(project().analyzed.indexOf('/w/f49.ts')).toBeLessThan(49);
  });

  it('keeps going when one file throws, and reports it', async () => {
    const { send, out, done } = setup(['/w/a.ts', '/w/broken.ts', '/w/c.ts']);
    send({ type: 'init', root: '/w', settings: {} });
    send({ type: 'scan', id: 1 });
    expect(await done(1)).toMatchObject({ cancelled: false, files: 3 });
    expect(out.some((m) => m.type === 'log' && m.message.includes('/w/broken.ts') && m.message.includes('boom'))).toBe(true);
    expect(out.filter((m) => m.type === 'findings').map((m) => m.type === 'findings' && m.file)).toEqual(['/w/a.ts', '/w/broken.ts', '/w/c.ts']);
  });

  it('applies settings over the file config, and falls back to defaults on a broken config', async () => {
    const { send, out, done } = setup(['/w/a.ts'], () => {
      throw new Error('.perf-insights.json: unknown key "rulez"');
    });
    send({ type: 'init', root: '/w', settings: { pageSize: 25 } });
    send({ type: 'analyze', id: 1, file: '/w/a.ts', text: 'QUERY', dependents: false });
    await done(1);
    expect(out.find((m) => m.type === 'error')).toMatchObject({ message: expect.stringContaining('unknown key "rulez"') });
    expect(out.find((m) => m.type === 'findings')).toMatchObject({ findings: [{ message: 'page 25' }] });
  });

  it('reads a file from disk when no editor text is given', async () => {
    const { send, out, done } = setup(['/w/disk.ts']);
    send({ type: 'init', root: '/w', settings: {} });
    send({ type: 'analyze', id: 1, file: '/w/disk.ts', dependents: false });
    await done(1);
    expect(out.find((m) => m.type === 'findings')).toMatchObject({ findings: [{ line: 1 }, { line: 2 }] });
  });
});
