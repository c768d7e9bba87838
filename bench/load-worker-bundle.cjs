// Loads dist/analysis-worker.js's engine the way the worker does, for bench/activation.mjs:
// the bundle refuses to run outside a worker_thread, so fake a parentPort first.
const wt = require('node:worker_threads');
Object.defineProperty(wt, 'parentPort', { value: { on() {}, postMessage() {} } });
require('../dist/analysis-worker.js');
