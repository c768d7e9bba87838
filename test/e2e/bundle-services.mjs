// Bundles services.ts (TypeScript: the reference platform and the private Postgres/Redis) into
// dist/test/services.cjs for the plain-Node e2e runner and demo script; npm packages stay external.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function loadServices() {
  const outfile = join(root, 'dist', 'test', 'services.cjs');
  await esbuild.build({
    entryPoints: [join(root, 'test', 'e2e', 'services.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}
