// The floor for bench/activation.mjs: a fresh Node loading only the built-in modules the
// extension bundle requires (VS Code's extension host has them loaded already).
require('node:path');
require('node:worker_threads');
