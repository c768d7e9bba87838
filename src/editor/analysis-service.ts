// The worker side of the analysis: one long-lived AnalysisProject, updated incrementally.
// Work is a queue drained one step at a time with a yield between steps, so a cancel or a newer
// edit that arrives mid-scan is seen before the next file: edits jump ahead of a running scan,
// and a queued edit of a file is replaced by a newer one (stale work is dropped, never run).
import type { AnalysisConfig, Finding } from '../analysis/types';
import { mergeAnalysisConfig } from './settings';
import type { ExplicitSettings, HostMessage, WorkerMessage } from './worker-protocol';

/** The part of the engine (src/analysis/index.ts) the editor uses. */
export interface Engine {
  loadConfig(root: string): AnalysisConfig | Promise<AnalysisConfig>;
  defaultConfig(): AnalysisConfig;
  discoverFiles(root: string, config: AnalysisConfig): string[] | Promise<string[]>;
  createProject(root: string, config: AnalysisConfig): EngineProject | Promise<EngineProject>;
}

export interface EngineProject {
  addFiles(files: string[]): unknown;
  updateFile(file: string, text: string): unknown;
  removeFile(file: string): unknown;
  analyzeFile(file: string): Finding[];
  dependents(file: string): string[];
  files(): string[];
}

interface AnalyzeJob {
  kind: 'analyze';
  id: number;
  file: string;
  dependents: boolean;
}
interface ScanJob {
  kind: 'scan';
  id: number;
  files: string[] | null;
  done: number;
  started: number;
}

const yieldToMessages = () => new Promise<void>((r) => setImmediate(r));

export class AnalysisService {
  private project: EngineProject | null = null;
  private root = '';
  private settings: ExplicitSettings = {};
  private ready: Promise<void> | null = null;
  private readonly edits: AnalyzeJob[] = [];
  private readonly scans: ScanJob[] = [];
  private readonly cancelled = new Set<number>();
  /** Editor version of the text the project holds for a file (absent: the file on disk). */
  private readonly versions = new Map<string, number>();
  private pumping = false;

  constructor(
    private readonly engine: () => Promise<Engine>,
    private readonly post: (m: WorkerMessage) => void,
    private readonly readText: (file: string) => string | null,
  ) {}

  handle(m: HostMessage): void {
    switch (m.type) {
      case 'init':
        this.root = m.root;
        this.settings = m.settings;
        this.ready = this.build();
        break;
      case 'configure':
        this.settings = m.settings;
        this.ready = (this.ready ?? Promise.resolve()).then(() => this.build());
        break;
      case 'analyze':
        this.whenReady(() => this.project?.updateFile(m.file, m.text ?? this.readText(m.file) ?? ''));
        if (m.version !== undefined) this.versions.set(m.file, m.version);
        else this.versions.delete(m.file);
        for (const stale of this.edits.filter((j) => j.file === m.file)) {
          this.cancelled.delete(stale.id);
          this.finish(stale.id, true, 0, Date.now());
        }
        this.edits.splice(0, this.edits.length, ...this.edits.filter((j) => j.file !== m.file));
        this.edits.push({ kind: 'analyze', id: m.id, file: m.file, dependents: m.dependents });
        break;
      case 'scan':
        this.scans.push({ kind: 'scan', id: m.id, files: null, done: 0, started: Date.now() });
        break;
      case 'cancel':
        this.cancelled.add(m.id);
        break;
      case 'fileChanged':
      case 'closed': {
        this.versions.delete(m.file);
        const text = this.readText(m.file);
        this.whenReady(() => (text === null ? this.project?.removeFile(m.file) : this.project?.updateFile(m.file, text)));
        break;
      }
      case 'fileRemoved':
        this.versions.delete(m.file);
        this.whenReady(() => this.project?.removeFile(m.file));
        break;
    }
    void this.pump();
  }

  /** Applies a project mutation in order, after (re)building. */
  private whenReady(f: () => unknown): void {
    this.ready = (this.ready ?? Promise.resolve()).then(() => {
      try {
        f();
      } catch (e) {
        this.post({ type: 'log', level: 'warn', message: `update failed: ${msg(e)}` });
      }
    });
  }

  private async build(): Promise<void> {
    const t0 = Date.now();
    try {
      const engine = await this.engine();
      let fileConfig: AnalysisConfig;
      try {
        fileConfig = await engine.loadConfig(this.root);
      } catch (e) {
        // A broken .perf-insights.json must not stop the analysis: say what is wrong, use defaults.
        this.post({ type: 'error', message: `${msg(e)} — using the default configuration until it is fixed` });
        fileConfig = engine.defaultConfig();
      }
      const config = mergeAnalysisConfig(fileConfig, (k) => this.settings[k]);
      const project = await engine.createProject(this.root, config);
      const files = await engine.discoverFiles(this.root, config);
      project.addFiles(files);
      this.project = project;
      this.post({ type: 'ready', files: files.length, ms: Date.now() - t0 });
    } catch (e) {
      this.project = null;
      this.post({ type: 'error', message: `could not load the project at ${this.root}: ${msg(e)}` });
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      await this.ready;
      for (;;) {
        await yieldToMessages();
        await this.ready;
        const edit = this.edits.shift();
        if (edit) await this.runAnalyze(edit);
        else if (this.scans.length) this.stepScan(this.scans[0]);
        else break;
      }
    } finally {
      this.pumping = false;
    }
  }

  private async runAnalyze(job: AnalyzeJob): Promise<void> {
    const t0 = Date.now();
    if (this.cancelled.delete(job.id) || !this.project) return this.finish(job.id, true, 0, t0, !this.project);
    this.analyzeOne(job.id, job.file);
    let n = 1;
    if (job.dependents) {
      for (const dep of this.safeDependents(job.file)) {
        await yieldToMessages();
        // A newer edit of the same file supersedes this one: its dependents are redone there.
        if (this.cancelled.delete(job.id) || this.edits.some((e) => e.file === job.file)) return this.finish(job.id, true, n, t0);
        if (dep === job.file) continue;
        this.analyzeOne(job.id, dep);
        n++;
      }
    }
    this.finish(job.id, false, n, t0);
  }

  private stepScan(job: ScanJob): void {
    if (this.cancelled.delete(job.id) || !this.project) {
      this.scans.shift();
      return this.finish(job.id, true, job.done, job.started, !this.project);
    }
    job.files ??= this.project.files();
    const file = job.files[job.done];
    if (file !== undefined) {
      this.analyzeOne(job.id, file);
      job.done++;
      this.post({ type: 'progress', id: job.id, done: job.done, total: job.files.length });
    }
    if (job.done >= job.files.length) {
      this.scans.shift();
      this.finish(job.id, false, job.done, job.started);
    }
  }

  private analyzeOne(id: number, file: string): void {
    let findings: Finding[] = [];
    try {
      findings = this.project!.analyzeFile(file);
    } catch (e) {
      // One bad file must not stop the others (nor kill the worker).
      this.post({ type: 'log', level: 'warn', message: `analysis of ${file} failed: ${msg(e)}` });
    }
    this.post({ type: 'findings', id, file, findings, version: this.versions.get(file) });
  }

  private safeDependents(file: string): string[] {
    try {
      return this.project!.dependents(file);
    } catch (e) {
      this.post({ type: 'log', level: 'warn', message: `dependents of ${file} failed: ${msg(e)}` });
      return [];
    }
  }

  private finish(id: number, cancelled: boolean, files: number, t0: number, notReady = false): void {
    if (notReady) this.post({ type: 'error', id, message: 'the analysis project is not loaded (see the log above)' });
    this.post({ type: 'done', id, cancelled, files, ms: Date.now() - t0 });
  }
}

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
