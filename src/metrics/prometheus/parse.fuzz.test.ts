// Fuzz: random text and mutations of real exporter output must never make the parser throw,
// and whatever it returns must be well-formed (finite line numbers, samples with names).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './parse';

const FIX = join(__dirname, '../../../test/fixtures/prometheus');
const seeds = ['prom-client-b.txt', 'prom-client-b-openmetrics.txt', 'python-b.txt', 'python-b-openmetrics.txt'].map((f) =>
  readFileSync(join(FIX, f), 'utf8'),
);

function wellFormed(text: string, maxSeries = 500): void {
  const r = parsePrometheusText(text, { maxSeries });
  // Plain checks (not expect) in the hot loop: thousands of runs with hundreds of samples each.
  if (r.samples.length > maxSeries) throw new Error(`cap exceeded: ${r.samples.length}`);
  for (const s of r.samples) {
    if (typeof s.name !== 'string' || s.name.length === 0 || typeof s.value !== 'number') throw new Error(`bad sample ${JSON.stringify(s)}`);
  }
  for (const i of [...r.errors, ...r.warnings]) if (!Number.isInteger(i.line) || typeof i.message !== 'string') throw new Error('bad issue');
}

const alphabet = fc.constantFrom(...'abc_:{}="\\,# \n\t+-.e0123456789InfNaEOF'.split(''), '# EOF\n', '# TYPE ', 'le="+Inf"', '_bucket', '\r');

describe('parser fuzz', () => {
  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.array(alphabet, { maxLength: 300 }).map((a) => a.join(''))), (text) => {
        wellFormed(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on mutated real exporter output', () => {
    const mutation = fc.record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      edits: fc.array(
        fc.record({ at: fc.nat(), len: fc.nat({ max: 20 }), insert: fc.oneof(fc.string({ maxLength: 8 }), alphabet) }),
        { minLength: 1, maxLength: 20 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ seed, edits }) => {
        let text = seeds[seed];
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.len);
        }
        wellFormed(text);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips generated series (labels with arbitrary unicode survive escaping)', () => {
    const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/);
    fc.assert(
      fc.property(fc.dictionary(labelName, fc.string({ maxLength: 12 }), { maxKeys: 4 }), fc.double({ noNaN: true }), (labels, value) => {
        const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
        const body = Object.entries(labels).map(([k, v]) => `${k}="${esc(v)}"`).join(',');
        const v = value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : String(value);
        const r = parsePrometheusText(`m{${body}} ${v}\n`);
        expect(r.errors).toEqual([]);
        expect(r.samples[0].labels).toEqual({ ...labels });
        expect(Object.is(r.samples[0].value, value) || r.samples[0].value === value).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
