// Entry of dist/analysis-worker.js, a worker_thread of the extension host. ts-morph and the ORM
// knowledge load here, on the first message, never on the host's main thread.
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { AnalysisService, type Engine } from './analysis-service';
import { isHostMessage, type WorkerMessage } from './worker-protocol';
import { loadEngine } from './engine-adapter';

if (!parentPort) throw new Error('analysis-worker.js must run as a worker_thread');
const port = parentPort;

let engine: Promise<Engine> | null = null;
const service = new AnalysisService(
  () => (engine ??= loadEngine()),
  (m: WorkerMessage) => port.postMessage(m),
  (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  },
);

port.on('message', (m: unknown) => {
  if (!isHostMessage(m)) {
    port.postMessage({ type: 'log', level: 'warn', message: `ignored a malformed message: ${JSON.stringify(m).slice(0, 200)}` });
    return;
  }
  service.handle(m);
});
