// The one typed reader of `perfInsights.*` settings. It mirrors package.json
// `contributes.configuration` key by key (settings.test.ts fails when they drift) and knows how
// settings combine with `.perf-insights.json`: defaults < file < settings the user really set.
// Plain TypeScript (no `vscode`) so vitest covers it; the extension passes a getter built on
// `WorkspaceConfiguration.inspect`.
import { RULE_DEFAULTS } from '../analysis/rules/support/defaults';
import { RULE_IDS, type AnalysisConfig, type RuleId, type Severity } from '../analysis/types';

export type RuleLevel = Severity | 'off';
export type AnalysisScope = 'workspace' | 'openFiles';

export interface PlatformSettings {
  prometheusTargets: string[];
  prometheusServerUrl: string;
  apiUrl: string;
  postgres: { host: string; port: number; database: string; user: string };
  redis: { host: string; port: number };
  pollIntervalSeconds: number;
}

export interface Settings {
  rules: Record<RuleId, RuleLevel>;
  pageSize: number;
  include: string[];
  exclude: string[];
  analysisScope: AnalysisScope;
  debounceMs: number;
  platform: PlatformSettings;
}

type Kind =
  | { type: 'enum'; values: readonly string[] }
  | { type: 'integer'; min: number; max: number }
  | { type: 'string' }
  | { type: 'strings' };

interface Spec {
  /** Key below `perfInsights.` */
  key: string;
  default: unknown;
  kind: Kind;
}

const LEVELS = ['off', 'error', 'warning', 'info'] as const;

/** Every setting with its default and shape: the single source the reader and the test use. */
export const SETTING_SPECS: readonly Spec[] = [
  ...RULE_IDS.map((id): Spec => ({ key: `rules.${id}`, default: RULE_DEFAULTS[id], kind: { type: 'enum', values: LEVELS } })),
  { key: 'pageSize', default: 100, kind: { type: 'integer', min: 1, max: 100000 } },
  { key: 'include', default: [], kind: { type: 'strings' } },
  { key: 'exclude', default: [], kind: { type: 'strings' } },
  { key: 'analysisScope', default: 'workspace', kind: { type: 'enum', values: ['workspace', 'openFiles'] } },
  { key: 'debounceMs', default: 300, kind: { type: 'integer', min: 0, max: 10000 } },
  {
    key: 'platform.prometheusTargets',
    default: ['http://localhost:8000/metrics', 'http://localhost:8001/metrics'],
    kind: { type: 'strings' },
  },
  { key: 'platform.prometheusServerUrl', default: '', kind: { type: 'string' } },
  { key: 'platform.apiUrl', default: '', kind: { type: 'string' } },
  { key: 'platform.postgres.host', default: '', kind: { type: 'string' } },
  { key: 'platform.postgres.port', default: 5432, kind: { type: 'integer', min: 1, max: 65535 } },
  { key: 'platform.postgres.database', default: 'postgres', kind: { type: 'string' } },
  { key: 'platform.postgres.user', default: '', kind: { type: 'string' } },
  { key: 'platform.redis.host', default: '', kind: { type: 'string' } },
  { key: 'platform.redis.port', default: 6379, kind: { type: 'integer', min: 1, max: 65535 } },
  { key: 'platform.pollIntervalSeconds', default: 5, kind: { type: 'integer', min: 1, max: 3600 } },
];

/** Changing one of these means the live sources must reconnect (listed once, here). */
export const RECONNECT_KEYS: readonly string[] = SETTING_SPECS.map((s) => s.key).filter((k) => k.startsWith('platform.'));

/** Changing one of these means the analysis must be redone. */
export const REANALYZE_KEYS: readonly string[] = SETTING_SPECS.map((s) => s.key).filter(
  (k) => k.startsWith('rules.') || ['pageSize', 'include', 'exclude'].includes(k),
);

/**
 * Returns the value the user set explicitly (user, workspace or folder level), or `undefined`
 * when the key is at its default — so `.perf-insights.json` can fill it.
 */
export type ExplicitGetter = (key: string) => unknown;

function coerce(spec: Spec, value: unknown): unknown {
  const k = spec.kind;
  switch (k.type) {
    case 'enum':
      return typeof value === 'string' && k.values.includes(value) ? value : undefined;
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value)
        ? Math.min(k.max, Math.max(k.min, Math.round(value)))
        : undefined;
    case 'string':
      return typeof value === 'string' ? value.trim() : undefined;
    case 'strings':
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : undefined;
  }
}

/** Values actually set by the user, validated; invalid values are dropped (default applies). */
export function readExplicit(get: ExplicitGetter): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const spec of SETTING_SPECS) {
    const v = coerce(spec, get(spec.key));
    if (v !== undefined) out.set(spec.key, v);
  }
  return out;
}

/** The full typed settings: explicit values over package.json defaults. */
export function readSettings(get: ExplicitGetter): Settings {
  const explicit = readExplicit(get);
  const v = <T>(key: string): T => (explicit.has(key) ? explicit.get(key) : SETTING_SPECS.find((s) => s.key === key)!.default) as T;
  const rules = Object.fromEntries(RULE_IDS.map((id) => [id, v<RuleLevel>(`rules.${id}`)])) as Record<RuleId, RuleLevel>;
  return {
    rules,
    pageSize: v('pageSize'),
    include: v('include'),
    exclude: v('exclude'),
    analysisScope: v('analysisScope'),
    debounceMs: v('debounceMs'),
    platform: {
      prometheusTargets: v('platform.prometheusTargets'),
      prometheusServerUrl: v('platform.prometheusServerUrl'),
      apiUrl: v('platform.apiUrl'),
      postgres: {
        host: v('platform.postgres.host'),
        port: v('platform.postgres.port'),
        database: v('platform.postgres.database'),
        user: v('platform.postgres.user'),
      },
      redis: { host: v('platform.redis.host'), port: v('platform.redis.port') },
      pollIntervalSeconds: v('platform.pollIntervalSeconds'),
    },
  };
}

/**
 * The analysis config the engine gets: `.perf-insights.json` (already merged with the engine's
 * defaults by `loadConfig`) overridden by the settings the user set explicitly. Excludes add up
 * (a setting should not silently re-include what the project file excludes).
 */
export function mergeAnalysisConfig(fileConfig: AnalysisConfig, get: ExplicitGetter): AnalysisConfig {
  const explicit = readExplicit(get);
  const rules = { ...fileConfig.rules };
  for (const id of RULE_IDS) {
    const level = explicit.get(`rules.${id}`) as RuleLevel | undefined;
    if (level === undefined) continue;
    rules[id] = level === 'off' ? { ...rules[id], enabled: false } : { enabled: true, severity: level };
  }
  const include = explicit.get('include') as string[] | undefined;
  const exclude = explicit.get('exclude') as string[] | undefined;
  return {
    ...fileConfig,
    rules,
    pageSize: (explicit.get('pageSize') as number | undefined) ?? fileConfig.pageSize,
    include: include && include.length ? include : fileConfig.include,
    exclude: exclude && exclude.length ? [...new Set([...fileConfig.exclude, ...exclude])] : fileConfig.exclude,
  };
}
