// Messages between the extension host and the analysis worker, declared once and imported by
// both sides. Plain data (structured clone), no `vscode`.
import type { Finding } from '../analysis/types';

/** Explicit `perfInsights.*` settings (key below the section → value), see settings.ts. */
export type ExplicitSettings = Record<string, unknown>;

export type HostMessage =
  | { type: 'init'; root: string; settings: ExplicitSettings }
  /** Settings or `.perf-insights.json` changed: reload the config and rediscover files. */
  | { type: 'configure'; settings: ExplicitSettings }
  /**
   * Analyse `file` (with the editor's unsaved `text` when given, else from disk) and, when
   * `dependents`, the files whose findings depend on it. Supersedes queued work for the file.
   */
  | { type: 'analyze'; id: number; file: string; text?: string; version?: number; dependents: boolean }
  /** Analyse every file of the workspace, streaming findings and progress. */
  | { type: 'scan'; id: number }
  | { type: 'cancel'; id: number }
  /** A file changed on disk (not open in an editor). */
  | { type: 'fileChanged'; file: string }
  | { type: 'fileRemoved'; file: string }
  /** Editor closed the document: the project goes back to the text on disk. */
  | { type: 'closed'; file: string };

export type WorkerMessage =
  | { type: 'ready'; files: number; ms: number }
  /** Findings of one file; `version` is the editor version of the text analysed, if any. */
  | { type: 'findings'; id: number; file: string; findings: Finding[]; version?: number }
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'done'; id: number; cancelled: boolean; files: number; ms: number }
  | { type: 'error'; id?: number; message: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

const WORKER_TYPES = new Set(['ready', 'findings', 'progress', 'done', 'error', 'log']);

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (typeof t !== 'string' || !WORKER_TYPES.has(t)) return false;
  const o = m as Record<string, unknown>;
  switch (t) {
    case 'findings':
      return typeof o.id === 'number' && typeof o.file === 'string' && Array.isArray(o.findings);
    case 'progress':
      return typeof o.id === 'number' && typeof o.done === 'number' && typeof o.total === 'number';
    case 'done':
      return typeof o.id === 'number' && typeof o.cancelled === 'boolean';
    case 'ready':
      return typeof o.files === 'number';
    default:
      return typeof o.message === 'string';
  }
}

const HOST_TYPES = new Set(['init', 'configure', 'analyze', 'scan', 'cancel', 'fileChanged', 'fileRemoved', 'closed']);

export function isHostMessage(m: unknown): m is HostMessage {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  if (typeof o.type !== 'string' || !HOST_TYPES.has(o.type)) return false;
  switch (o.type) {
    case 'init':
      return typeof o.root === 'string' && typeof o.settings === 'object' && o.settings !== null;
    case 'configure':
      return typeof o.settings === 'object' && o.settings !== null;
    case 'analyze':
      return typeof o.id === 'number' && typeof o.file === 'string' && (o.text === undefined || typeof o.text === 'string');
    case 'scan':
    case 'cancel':
      return typeof o.id === 'number';
    default:
      return typeof o.file === 'string';
  }
}
