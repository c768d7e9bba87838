// The workspace the e2e opens: a copy of the reference platform's data-access code (it issues
// the N+1 statement pg_stat_statements reports), plus a `.perf-insights.json` that makes one KPI
// critical on purpose. `node_modules` links to the repository's so `pg`'s types resolve.
import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CRITICAL_KPI = 'api_p95_ms';

export function makeWorkspace(repoRoot) {
  const dir = mkdtempSync(join(tmpdir(), 'pi-e2e-ws-'));
  cpSync(join(repoRoot, 'test', 'platform', 'backend'), join(dir, 'src', 'backend'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'e2e-workspace', private: true, dependencies: { pg: '*' } }, null, 2));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ES2022', moduleResolution: 'bundler', strict: true, skipLibCheck: true }, include: ['src'] }, null, 2),
  );
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Any real p95 is above 2 µs: the API p95 tile must turn critical.
  writeFileSync(join(dir, '.perf-insights.json'), JSON.stringify({ metrics: { thresholds: { [CRITICAL_KPI]: { target: 0.001, critical: 0.002 } } } }, null, 2));
  return dir;
}
