// Host side of the analysis worker: starts it lazily, sends typed messages, routes replies,
// cancels superseded work, and restarts a crashed worker (with a log line and a backoff) so the
// extension host never goes down with it. No `vscode` import: the bench drives it too.
import { Worker } from 'node:worker_threads';
import type { Finding } from '../analysis/types';
import { isWorkerMessage, type ExplicitSettings, type HostMessage, type WorkerMessage } from './worker-protocol';

export interface ClientLog {
  info(m: string): void;
  warn(m: string): void;
  error(m: string): void;
}

export interface ClientOptions {
  workerPath: string;
  root: string;
  settings: () => ExplicitSettings;
  log: ClientLog;
  onFindings(file: string, findings: Finding[], version: number | undefined): void;
  /** After a restart the project is empty of editor buffers: the host re-sends open documents. */
  onRestart(): void;
  /** First restart delay; doubles per crash within a minute (default 250 ms). */
  restartBaseMs?: number;
  /** Problems the user should see (bad config, project failed to load). */
  onError?(message: string): void;
}

export interface RunResult {
  cancelled: boolean;
  files: number;
  ms: number;
  error?: string;
}

interface Pending {
  resolve(r: RunResult): void;
  onProgress?: (done: number, total: number) => void;
  error?: string;
}

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

export class AnalysisClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Latest analyze request per file, to cancel it when a newer edit comes. */
  private readonly inFlight = new Map<string, number>();
  private restarts: number[] = [];
  private disposed = false;
  /** Set after too many crashes in a row: requests then fail fast instead of respawning. */
  private gaveUp = false;
  private readyWaiters: (() => void)[] = [];
  private isReady = false;

  constructor(private readonly o: ClientOptions) {}

  /** Analyse one file (editor text when given) and, optionally, its dependents. */
  analyze(file: string, text?: string, version?: number, dependents = true): Promise<RunResult> {
    const prev = this.inFlight.get(file);
    if (prev !== undefined) this.send({ type: 'cancel', id: prev });
    const id = this.nextId++;
    this.inFlight.set(file, id);
    return this.request({ type: 'analyze', id, file, text, version, dependents }).finally(() => {
      if (this.inFlight.get(file) === id) this.inFlight.delete(file);
    });
  }

  /** Analyse the whole workspace; `signal` cancels it. */
  scan(onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<RunResult> {
    const id = this.nextId++;
    signal?.addEventListener('abort', () => this.send({ type: 'cancel', id }), { once: true });
    return this.request({ type: 'scan', id }, onProgress);
  }

  configure(): void {
    if (this.worker) this.send({ type: 'configure', settings: this.o.settings() });
  }

  fileChanged(file: string): void {
    if (this.worker) this.send({ type: 'fileChanged', file });
  }

  fileRemoved(file: string): void {
    if (this.worker) this.send({ type: 'fileRemoved', file });
  }

  closed(file: string): void {
    if (this.worker) this.send({ type: 'closed', file });
  }

  /** Resolves when the project is loaded (starts the worker if needed). */
  whenReady(): Promise<void> {
    this.ensureWorker();
    return this.isReady ? Promise.resolve() : new Promise((r) => this.readyWaiters.push(r));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const w = this.worker;
    this.worker = null;
    this.settleAll('the analysis stopped');
    if (w) await w.terminate();
  }

  private request(m: HostMessage & { id: number }, onProgress?: Pending['onProgress']): Promise<RunResult> {
    if (this.disposed || this.gaveUp) {
      return Promise.resolve({ cancelled: true, files: 0, ms: 0, error: this.disposed ? 'disposed' : 'the analysis worker keeps crashing (see the log)' });
    }
    return new Promise((resolve) => {
      this.pending.set(m.id, { resolve, onProgress });
      this.send(m);
    });
  }

  private send(m: HostMessage): void {
    if (this.disposed || this.gaveUp) return;
    this.ensureWorker();
    this.worker!.postMessage(m);
  }

  private ensureWorker(): void {
    if (this.worker || this.disposed || this.gaveUp) return;
    const w = new Worker(this.o.workerPath, { name: 'perf-insights-analysis' });
    this.worker = w;
    this.isReady = false;
    w.on('message', (m: unknown) => this.receive(m));
    w.on('error', (e) => this.o.log.error(`analysis worker error: ${e.stack ?? e.message}`));
    w.on('exit', (code) => this.onExit(w, code));
    w.postMessage({ type: 'init', root: this.o.root, settings: this.o.settings() } satisfies HostMessage);
  }

  private receive(m: unknown): void {
    if (!isWorkerMessage(m)) return this.o.log.warn(`ignored a malformed message from the worker`);
    const msg = m as WorkerMessage;
    switch (msg.type) {
      case 'ready':
        this.isReady = true;
        this.o.log.info(`analysis project loaded: ${msg.files} files in ${msg.ms} ms`);
        for (const r of this.readyWaiters.splice(0)) r();
        break;
      case 'findings':
        this.o.onFindings(msg.file, msg.findings, msg.version);
        break;
      case 'progress':
        this.pending.get(msg.id)?.onProgress?.(msg.done, msg.total);
        break;
      case 'done': {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve({ cancelled: msg.cancelled, files: msg.files, ms: msg.ms, error: p.error });
        break;
      }
      case 'error': {
        this.o.log.error(msg.message);
        if (msg.id === undefined) this.o.onError?.(msg.message);
        const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
        if (p) p.error = msg.message;
        if (msg.id === undefined) {
          // The project failed to load: release anyone waiting rather than hanging them.
          this.isReady = true;
          for (const r of this.readyWaiters.splice(0)) r();
        }
        break;
      }
      case 'log':
        this.o.log[msg.level](msg.message);
        break;
    }
  }

  private onExit(w: Worker, code: number): void {
    if (this.worker !== w) return; // terminated on purpose (dispose)
    this.worker = null;
    this.settleAll(`the analysis worker stopped (exit code ${code})`);
    if (this.disposed) return;
    const now = Date.now();
    this.restarts = [...this.restarts.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (this.restarts.length > MAX_RESTARTS) {
      this.gaveUp = true;
      this.o.log.error(`analysis worker crashed ${MAX_RESTARTS} times within a minute; not restarting. Reload the window to try again.`);
      return;
    }
    const delay = (this.o.restartBaseMs ?? 250) * 2 ** (this.restarts.length - 1);
    this.o.log.warn(`analysis worker exited with code ${code}; restarting in ${delay} ms`);
    setTimeout(() => {
      if (this.disposed || this.worker) return;
      this.ensureWorker();
      this.o.onRestart();
    }, delay).unref?.();
  }

  private settleAll(reason: string): void {
    for (const [, p] of this.pending) p.resolve({ cancelled: true, files: 0, ms: 0, error: reason });
    this.pending.clear();
    this.inFlight.clear();
    for (const r of this.readyWaiters.splice(0)) r();
  }
}
