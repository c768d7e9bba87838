// `npm test`: build, unit tests (vitest, real Postgres/Redis started by its global setup),
// the integration suite inside a real VS Code (code-server, three passes), the dashboard e2e
// suite. Each step's output is streamed as it comes; its test counts are read from its own
// closing line so the last line here sums real tests, not steps.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const steps = [
  { name: 'build', cmd: ['node', 'esbuild.mjs'] },
  { name: 'unit', cmd: ['npx', 'vitest', 'run'], counts: vitestCounts },
  // The build above is fresh: no second build inside the runner.
  { name: 'integration', cmd: ['node', 'test/integration/run.mjs', '--no-build'], needs: 'test/integration/run.mjs', counts: plainCounts },
  { name: 'e2e', cmd: ['node', 'test/e2e/run.mjs'], needs: 'test/e2e/run.mjs', counts: plainCounts },
];

const ANSI = /\x1b\[[0-9;]*m/g;

/** vitest: "Tests  2 failed | 254 passed (256)" or "Tests  256 passed (256)". */
function vitestCounts(text) {
  const m = [...text.replace(ANSI, '').matchAll(/Tests\s+(?:(\d+) failed\s*\|\s*)?(\d+) passed/g)].pop();
  return m ? { passed: Number(m[2]), failed: Number(m[1] ?? 0) } : null;
}

/** Our runners close with "N passed, N failed". */
function plainCounts(text) {
  const m = [...text.replace(ANSI, '').matchAll(/(\d+) passed, (\d+) failed/g)].pop();
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : null;
}

function runStep(cmd) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', (c) => {
      process.stdout.write(c);
      keep(c);
    });
    child.stderr.on('data', (c) => {
      process.stderr.write(c);
      keep(c);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, tail }));
  });
}

let tests = { passed: 0, failed: 0 };
const failedSteps = [];
for (const step of steps) {
  if (step.needs && !existsSync(step.needs)) continue;
  console.log(`\n=== ${step.name}: ${step.cmd.join(' ')}`);
  const r = await runStep(step.cmd);
  if (step.counts) {
    const c = step.counts(r.tail);
    if (c) {
      tests.passed += c.passed;
      tests.failed += c.failed;
    } else if (r.code === 0) {
      // A runner that exits 0 without its closing line ran nothing we can vouch for.
      console.error(`=== ${step.name}: no test summary found`);
      r.code = 1;
    }
  }
  if (r.code !== 0) {
    failedSteps.push(step.name);
    console.error(`=== ${step.name} failed (exit ${r.signal ?? r.code})`);
  }
}
if (failedSteps.length) console.error(`\nfailed steps: ${failedSteps.join(', ')}`);
console.log(`\ntests: ${tests.passed} passed, ${tests.failed} failed`);
process.exit(failedSteps.length ? 1 : 0);
