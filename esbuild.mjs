// Bundles the extension host code, the analysis worker, the CLI and the webview app.
// Entries that do not exist yet are skipped so the build works while the tree grows.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync } from 'node:fs';
import { dirname } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Node-side bundles: everything inlined except `vscode` (provided by the host). */
const nodeEntries = [
  { in: 'src/extension.ts', out: 'extension' },
  { in: 'src/editor/analysis-worker.ts', out: 'analysis-worker' },
  // Loaded by the extension after activation (H6): pg/ioredis/metrics must not be compiled on
  // the activation path, and one bundle cannot be loaded in parts.
  { in: 'src/webview/dashboard-host.ts', out: 'dashboard-host' },
  { in: 'src/cli.ts', out: 'cli' },
  { in: 'test/integration/suite/index.ts', out: 'test/integration/index' },
].filter((e) => existsSync(e.in));

const webEntries = [{ in: 'src/webview/app/main.ts', out: 'webview/app' }].filter((e) => existsSync(e.in));

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  outdir: 'dist',
  legalComments: 'none',
  // mocha (bundled into the in-host test entry) probes optional modules with require.resolve.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

const contexts = [];
if (nodeEntries.length) {
  contexts.push(
    await esbuild.context({
      ...common,
      entryPoints: nodeEntries,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['vscode'],
      // ts-morph's bundled TypeScript probes optional modules it never needs here.
      mainFields: ['module', 'main'],
    }),
  );
}
if (webEntries.length) {
  contexts.push(
    await esbuild.context({
      ...common,
      entryPoints: webEntries,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      loader: { '.css': 'css', '.ttf': 'file', '.woff2': 'file' },
    }),
  );
}

// libpg-query loads its WASM next to the bundle at run time.
const wasm = 'node_modules/libpg-query/wasm/libpg-query.wasm';
if (existsSync(wasm)) {
  mkdirSync('dist', { recursive: true });
  copyFileSync(wasm, 'dist/libpg-query.wasm');
}

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
