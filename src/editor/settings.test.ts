import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisConfig } from '../analysis/types';
import { COMMANDS, CONFIG_SECTION } from './ids';
import { RECONNECT_KEYS, SETTING_SPECS, mergeAnalysisConfig, readSettings } from './settings';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const props: Record<string, Record<string, unknown>> = pkg.contributes.configuration.properties;

describe('settings reader mirrors package.json', () => {
  it('has exactly the keys package.json contributes', () => {
    expect(SETTING_SPECS.map((s) => `${CONFIG_SECTION}.${s.key}`).sort()).toEqual(Object.keys(props).sort());
  });

  it.each(SETTING_SPECS.map((s) => [s.key, s] as const))('%s: same default and shape', (key, spec) => {
    const p = props[`${CONFIG_SECTION}.${key}`];
    expect(p.default).toEqual(spec.default);
    expect(typeof p.markdownDescription === 'string' || typeof p.description === 'string').toBe(true);
    const k = spec.kind;
    if (k.type === 'enum') expect({ type: p.type, enum: p.enum }).toEqual({ type: 'string', enum: [...k.values] });
    if (k.type === 'integer') expect([p.type, p.minimum, p.maximum]).toEqual(['integer', k.min, k.max]);
    if (k.type === 'string') expect(p.type).toBe('string');
    if (k.type === 'strings') expect([p.type, (p.items as { type: string }).type]).toEqual(['array', 'string']);
  });

  it('restricts exactly the connection settings in untrusted workspaces', () => {
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    const connecting = RECONNECT_KEYS.filter((k) => k !== 'platform.pollIntervalSeconds').map((k) => `${CONFIG_SECTION}.${k}`);
    expect([...restricted].sort()).toEqual(connecting.sort());
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe('limited');
  });

  it('contributes every command id, each under the category', () => {
    const contributed = pkg.contributes.commands as { command: string; category: string }[];
    expect(contributed.map((c) => c.command).sort()).toEqual(Object.values(COMMANDS).sort());
    for (const c of contributed) expect(c.category).toBe('Perf Insights');
  });

  it('never activates on *', () => {
    expect(pkg.activationEvents).not.toContain('*');
    expect(pkg.activationEvents).toContain('onLanguage:typescript');
  });
});

describe('readSettings', () => {
  it('returns the defaults when nothing is set', () => {
    const s = readSettings(() => undefined);
    expect(s.pageSize).toBe(100);
    expect(s.debounceMs).toBe(300);
    expect(s.rules['unbounded-select']).toBe('info');
    expect(s.analysisScope).toBe('workspace');
    expect(s.platform.postgres).toEqual({ host: '', port: 5432, database: 'postgres', user: '' });
  });

  it('takes explicit values, clamps numbers and drops invalid ones', () => {
    const set: Record<string, unknown> = {
      pageSize: 0,
      debounceMs: 'fast',
      'rules.n-plus-one': 'error',
      'rules.missing-pagination': 'loud',
      'platform.apiUrl': '  http://127.0.0.1:8000  ',
      exclude: ['gen/**', 3, ''],
    };
    const s = readSettings((k) => set[k]);
    expect(s.pageSize).toBe(1);
    expect(s.debounceMs).toBe(300);
    expect(s.rules['n-plus-one']).toBe('error');
    expect(s.rules['missing-pagination']).toBe('warning');
    expect(s.platform.apiUrl).toBe('http://127.0.0.1:8000');
    expect(s.exclude).toEqual(['gen/**']);
  });
});

describe('mergeAnalysisConfig: settings override .perf-insights.json', () => {
  const file: AnalysisConfig = {
    rules: {
      'n-plus-one': { enabled: true, severity: 'warning' },
      'missing-pagination': { enabled: false, severity: 'warning' },
      'unbounded-select': { enabled: true, severity: 'info' },
      'bulk-write-in-loop': { enabled: true, severity: 'error' },
    },
    pageSize: 50,
    include: ['src/**'],
    exclude: ['legacy/**'],
  };

  it('keeps the file values where the user set nothing', () => {
    expect(mergeAnalysisConfig(file, () => undefined)).toEqual(file);
  });

  it('applies explicit settings on top', () => {
    const set: Record<string, unknown> = {
      'rules.n-plus-one': 'off',
      'rules.missing-pagination': 'error',
      pageSize: 25,
      exclude: ['gen/**'],
      include: [],
    };
    const merged = mergeAnalysisConfig(file, (k) => set[k]);
    expect(merged.rules['n-plus-one'].enabled).toBe(false);
    expect(merged.rules['missing-pagination']).toEqual({ enabled: true, severity: 'error' });
    expect(merged.rules['bulk-write-in-loop']).toEqual({ enabled: true, severity: 'error' });
    expect(merged.pageSize).toBe(25);
    expect(merged.include).toEqual(['src/**']);
    expect(merged.exclude).toEqual(['legacy/**', 'gen/**']);
  });
});
