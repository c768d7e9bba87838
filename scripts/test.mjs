// `npm test`: build, unit tests (vitest, real Postgres/Redis started by its global setup),
// the integration suite inside a real VS Code (code-server), the dashboard e2e suite.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const steps = [
  ['build', ['node', 'esbuild.mjs']],
  ['unit', ['npx', 'vitest', 'run']],
  ['integration', ['node', 'test/integration/run.mjs'], 'test/integration/run.mjs'],
  ['e2e', ['node', 'test/e2e/run.mjs'], 'test/e2e/run.mjs'],
];
let failed = 0;
let passed = 0;
for (const [name, cmd, needs] of steps) {
  if (needs && !existsSync(needs)) continue;
  console.log(`\n=== ${name}: ${cmd.join(' ')}`);
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit' });
  if (r.status === 0) passed++;
  else {
    failed++;
    console.error(`=== ${name} failed (exit ${r.status ?? r.signal})`);
  }
}
console.log(`\nsuites: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
