import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import client from 'prom-client';
import { parsePrometheusText, parseValue, seriesKey, type Sample } from './parse';

const FIX = join(__dirname, '../../../test/fixtures/prometheus');
const fixture = (name: string) => readFileSync(join(FIX, name), 'utf8');
const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('parsePrometheusText on real exporter output', () => {
  it.each(['prom-client-b.txt', 'prom-client-b-openmetrics.txt'])('reads prom-client %s with labelled histogram _sum/_count', (file) => {
    const r = parsePrometheusText(fixture(file));
    expect(r.errors).toEqual([]);
    expect(r.openMetrics).toBe(file.includes('openmetrics'));
    expect(r.types.get('http_request_duration_seconds')).toBe('histogram');
    const labels = { method: 'GET', route: '/api/v1/pipelines', status_code: '200' };
    const buckets = find(r.samples, 'http_request_duration_seconds_bucket', labels);
    expect(buckets).toHaveLength(12);
    expect(buckets.at(-1)!.labels.le).toBe('+Inf');
    expect(buckets.at(-1)!.value).toBe(150);
    expect(find(r.samples, 'http_request_duration_seconds_count', labels)[0].value).toBe(150);
    expect(find(r.samples, 'http_request_duration_seconds_sum', labels)[0].value).toBeCloseTo(140 * 0.04 + 10 * 0.3, 6);
    expect(find(r.samples, 'fixture_escaped_labels')[0].labels.value).toBe('say "hi"\\path\nnext');
    expect(r.help.get('fixture_escaped_labels')).toBe('Label values with a quote ", a backslash \\ and a\nnewline');
    expect(find(r.samples, 'process_cpu_seconds_total')).toHaveLength(1);
  });

  it.each(['python-b.txt', 'python-b-openmetrics.txt'])('reads prometheus_client %s (instrumentator names, NaN, +Inf, summary)', (file) => {
    const r = parsePrometheusText(fixture(file));
    expect(r.errors).toEqual([]);
    expect(find(r.samples, 'http_requests_total', { handler: '/api/v1/pipelines', status: '5xx' })[0].value).toBe(5);
    expect(find(r.samples, 'http_request_duration_seconds_count', { handler: '/api/v1/pipelines' })[0].value).toBe(100);
    const weird = find(r.samples, 'fixture_weird');
    expect(weird.find((s) => s.labels.path === 'C:\\tmp\\"quoted"\nline2')!.value).toBeNaN();
    expect(weird.find((s) => s.labels.path === 'inf')!.value).toBe(Infinity);
    expect(find(r.samples, 'llm_prompt_tokens_sum', { provider: 'local-qwen2' })[0].value).toBe(1200);
    expect(find(r.samples, 'http_requests_created').length).toBeGreaterThan(0);
    expect(r.types.get('llm_prompt_tokens')).toBe('summary');
  });

  it('reads what prom-client produces right now (live registry, both formats)', async () => {
    for (const contentType of [client.Registry.PROMETHEUS_CONTENT_TYPE, client.Registry.OPENMETRICS_CONTENT_TYPE]) {
      const registry = new client.Registry();
      registry.setContentType(contentType as typeof client.Registry.PROMETHEUS_CONTENT_TYPE);
      client.collectDefaultMetrics({ register: registry });
      const h = new client.Histogram({ name: 'live_seconds', help: 'x', labelNames: ['route'], registers: [registry] });
      h.observe({ route: '/a"b\\c' }, 0.2);
      const r = parsePrometheusText(await registry.metrics());
      expect(r.errors).toEqual([]);
      expect(find(r.samples, 'live_seconds_count', { route: '/a"b\\c' })[0].value).toBe(1);
      expect(r.samples.length).toBeGreaterThan(30);
    }
  });
});

describe('the fixture generators, run now', () => {
  // Debian's python3 has python3-prometheus-client; a pyenv python3 earlier on PATH may not.
  const python = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import prometheus_client'], { encoding: 'utf8' }).status === 0);

  it.each([
    ['prometheus_client (Python)', 'generate-python.py'],
    ['prom-client (Node)', 'generate-prom-client.cjs'],
  ])('%s output parses without errors and has the same series as the committed fixtures', (_name, script) => {
    const interpreter = script.endsWith('.py') ? python : process.execPath;
    if (!interpreter) throw new Error('no python3 with prometheus_client: install python3-prometheus-client (apt) or pip install prometheus-client');
    const out = mkdtempSync(join(tmpdir(), 'pi-promfix-'));
    const r = spawnSync(interpreter, [join(FIX, script)], { env: { ...process.env, OUT_DIR: out }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(out).sort();
    expect(files.length).toBe(4);
    for (const f of files) {
      const fresh = parsePrometheusText(readFileSync(join(out, f), 'utf8'));
      expect(fresh.errors).toEqual([]);
      // Values (CPU, memory, timestamps) differ run to run; the series must not.
      const names = (samples: Sample[]) => [...new Set(samples.filter((s) => !/^(process_|nodejs_|python_gc)/.test(s.name)).map((s) => s.name))].sort();
      expect(names(fresh.samples)).toEqual(names(parsePrometheusText(fixture(f)).samples));
    }
  }, 90_000);
});

describe('parsePrometheusText edge cases', () => {
  it('parses labels with escapes, spaces, trailing comma and timestamps', () => {
    const r = parsePrometheusText(
      [
        'a{x="1\\n2", y = "q\\"uo\\\\te" ,} 3 1700000000000',
        'b 4.5e-3',
        'c{} -Inf',
        'd NaN',
        'e{ z="\\t"} +Inf',
      ].join('\n'),
    );
    expect(r.errors).toEqual([]);
    expect(r.samples[0]).toEqual({ name: 'a', labels: { x: '1\n2', y: 'q"uo\\te' }, value: 3, timestampMs: 1700000000000 });
    expect(r.samples[1].value).toBe(0.0045);
    expect(r.samples[2].value).toBe(-Infinity);
    expect(r.samples[3].value).toBeNaN();
    // Unknown escapes are kept verbatim rather than rejecting the series.
    expect(r.samples[4].labels.z).toBe('\\t');
  });

  it('reads OpenMetrics: # UNIT, exemplars, float-second timestamps, # EOF', () => {
    const r = parsePrometheusText(
      [
        '# TYPE req_seconds histogram',
        '# UNIT req_seconds seconds',
        'req_seconds_bucket{le="0.1"} 3 # {trace_id="abc"} 0.05 1700000000.5',
        'req_seconds_bucket{le="+Inf"} 4 # {trace_id="def"} 2',
        'req_seconds_count 4 1700000000.25',
        'req_seconds_created 1700000000',
        '# EOF',
        'after 1',
      ].join('\n'),
    );
    expect(r.openMetrics).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.units.get('req_seconds')).toBe('seconds');
    expect(r.samples.map((s) => s.name)).toEqual(['req_seconds_bucket', 'req_seconds_bucket', 'req_seconds_count', 'req_seconds_created']);
    expect(r.samples[2].timestampMs).toBe(1700000000250);
    expect(r.warnings.map((w) => w.message)).toContain('content after "# EOF" ignored');
  });

  it('accepts Prometheus 3 quoted metric names', () => {
    const r = parsePrometheusText('{"http.server.duration",le="1"} 2');
    expect(r.errors).toEqual([]);
    expect(r.samples[0]).toEqual({ name: 'http.server.duration', labels: { le: '1' }, value: 2 });
  });

  it('keeps the first of duplicate series and warns', () => {
    const r = parsePrometheusText('x{a="1",b="2"} 1\nx{b="2",a="1"} 9\n');
    expect(r.samples).toHaveLength(1);
    expect(r.samples[0].value).toBe(1);
    expect(r.warnings[0].message).toMatch(/duplicate series x/);
  });

  it('reports bad lines with line numbers and keeps the good ones', () => {
    const r = parsePrometheusText('ok 1\n{broken\nbad_value abc\nx{a="unterminated} 1\n1leading 2\nx 1 2 3\n# TYPE t wibble\nfine 2\n');
    expect(r.samples.map((s) => s.name)).toEqual(['ok', 'fine']);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(r.errors[1].message).toBe('invalid value "abc"');
    expect(r.errors[5].message).toMatch(/unknown metric type "wibble"/);
  });

  it('stops at the series cap', () => {
    const text = Array.from({ length: 100 }, (_, i) => `s{i="${i}"} ${i}`).join('\n');
    const r = parsePrometheusText(text, { maxSeries: 10 });
    expect(r.samples).toHaveLength(10);
    expect(r.truncated).toBe(true);
    expect(r.warnings.at(-1)!.message).toBe('more than 10 series; the rest is ignored');
  });

  it('caps the number of issues it records', () => {
    const r = parsePrometheusText('garbage!\n'.repeat(1000), { maxIssues: 5 });
    expect(r.errors).toHaveLength(6);
    expect(r.errors[5].message).toMatch(/too many problems/);
  });

  it('handles CRLF and an empty body', () => {
    expect(parsePrometheusText('a 1\r\nb 2\r\n').samples.map((s) => s.value)).toEqual([1, 2]);
    const empty = parsePrometheusText('');
    expect(empty.samples).toEqual([]);
    expect(empty.errors).toEqual([]);
  });

  it('parseValue and seriesKey', () => {
    expect(parseValue('1_000')).toBeNull();
    expect(parseValue('0x10')).toBeNull();
    expect(parseValue('')).toBeNull();
    expect(parseValue('-1.5E2')).toBe(-150);
    expect(parseValue('inf')).toBe(Infinity);
    expect(seriesKey('m', { b: '1', a: '2' })).toBe(seriesKey('m', { a: '2', b: '1' }));
    expect(seriesKey('m', { a: '1' })).not.toBe(seriesKey('m', { a: '2' }));
  });
});
