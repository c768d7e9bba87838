// Fuzz the maths: two mutated scrapes of real exporter output (values changed, lines dropped,
// NaN/Inf injected, counters reset) never make derivePrometheus throw, and every number it
// returns is finite or null — no NaN/Infinity reaches a KPI, a route or the JSON.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { DEFAULT_METRIC_NAMES } from '../config';
import { promFixture } from '../testing/http-servers';
import { derivePrometheus, type Scrape } from './derive';
import { parsePrometheusText } from './parse';

const seeds = [
  ['prom-client-a.txt', 'prom-client-b.txt'],
  ['python-a.txt', 'python-b.txt'],
  ['python-a-openmetrics.txt', 'python-b-openmetrics.txt'],
].map(([a, b]) => [promFixture(a).split('\n'), promFixture(b).split('\n')]);

const WEIRD = ['NaN', '+Inf', '-Inf', '0', '-1', '1e308', '3', '0.5'];

function mutate(lines: string[], edits: Array<{ at: number; kind: number; pick: number }>): string {
  const out = lines.slice();
  for (const e of edits) {
    const i = e.at % out.length;
    const line = out[i];
    if (e.kind === 0) out.splice(i, 1);
    else if (e.kind === 1 && !line.startsWith('#')) out[i] = line.replace(/ \S+$/, ` ${WEIRD[e.pick % WEIRD.length]}`);
    else if (e.kind === 2) out.splice(i, 0, line); // duplicate series
    else if (e.kind === 3) out[i] = line.replace(/le="[^"]*"/, `le="${WEIRD[e.pick % WEIRD.length]}"`);
  }
  return out.join('\n');
}

function assertFinite(value: unknown, path: string): void {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${path} is ${value}`);
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertFinite(v, `${path}.${k}`);
}

describe('derivePrometheus fuzz', () => {
  it('never throws and never returns NaN or ±Infinity', () => {
    const edit = fc.record({ at: fc.nat(), kind: fc.integer({ min: 0, max: 3 }), pick: fc.nat() });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(edit, { maxLength: 30 }), fc.array(edit, { maxLength: 30 }), fc.boolean(), (seed, ea, eb, swap) => {
        const [a, b] = seeds[seed];
        const scrape = (lines: string[], edits: typeof ea, atMs: number): Scrape => ({
          service: 's',
          instance: 'i',
          atMs,
          loopback: true,
          samples: parsePrometheusText(mutate(lines, edits)).samples,
        });
        const prev = scrape(swap ? b : a, ea, 0);
        const cur = scrape(swap ? a : b, eb, 5000);
        const d = derivePrometheus([{ prev, cur }], { names: DEFAULT_METRIC_NAMES, cpuCores: 1, hostMemoryBytes: 1e9 });
        assertFinite(d, 'derived');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
    );
  });
});
