// `.perf-insights.json`: rules on/off and severity, page size, include/exclude globs.
// Bad input gets a message that names the file, the place and the fix.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { RULE_IDS, type AnalysisConfig, type RuleId, type Severity } from './types';
import { RULE_DEFAULTS } from './rules/support/defaults';

export const CONFIG_FILE = '.perf-insights.json';
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function defaultConfig(): AnalysisConfig {
  const rules = {} as AnalysisConfig['rules'];
  for (const id of RULE_IDS) rules[id] = { enabled: true, severity: RULE_DEFAULTS[id] };
  return { rules, pageSize: 100, include: [], exclude: [] };
}

/** Line and column of a JSON.parse error position, for a message people can act on. */
function jsonErrorWhere(text: string, err: unknown): string {
  const m = /position (\d+)/.exec(String((err as Error).message));
  if (!m) return '';
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

function fail(file: string, msg: string): never {
  throw new ConfigError(`${file}: ${msg}`);
}

/** Merge a raw (parsed) config object into defaults, validating every key. */
export function mergeConfig(raw: unknown, file = CONFIG_FILE, base: AnalysisConfig = defaultConfig()): AnalysisConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(file, 'expected a JSON object like { "rules": { "n-plus-one": "error" } }');
  const cfg: AnalysisConfig = { rules: { ...base.rules }, pageSize: base.pageSize, include: [...base.include], exclude: [...base.exclude] };
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!['rules', 'pageSize', 'include', 'exclude', 'ignore', '$schema'].includes(key)) {
      fail(file, `unknown key "${key}". Known keys: rules, pageSize, include, exclude (alias ignore).`);
    }
  }
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) fail(file, '"rules" must be an object keyed by rule id');
    for (const [id, setting] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (!RULE_IDS.includes(id as RuleId)) fail(file, `unknown rule "${id}" in "rules". Known rules: ${RULE_IDS.join(', ')}.`);
      const rid = id as RuleId;
      const cur = { ...cfg.rules[rid] };
      if (setting === 'off' || setting === false) cur.enabled = false;
      else if (setting === 'on' || setting === true) cur.enabled = true;
      else if (typeof setting === 'string' && SEVERITIES.includes(setting as Severity)) {
        cur.enabled = true;
        cur.severity = setting as Severity;
      } else if (typeof setting === 'object' && setting !== null && !Array.isArray(setting)) {
        const s = setting as Record<string, unknown>;
        if (s.enabled !== undefined) {
          if (typeof s.enabled !== 'boolean') fail(file, `rules.${id}.enabled must be true or false`);
          cur.enabled = s.enabled;
        }
        if (s.severity !== undefined) {
          if (!SEVERITIES.includes(s.severity as Severity)) fail(file, `rules.${id}.severity must be one of ${SEVERITIES.join(', ')} (got ${JSON.stringify(s.severity)})`);
          cur.severity = s.severity as Severity;
        }
      } else {
        fail(file, `rules.${id} must be "off", "error", "warning", "info" or { "enabled", "severity" } (got ${JSON.stringify(setting)})`);
      }
      cfg.rules[rid] = cur;
    }
  }
  if (obj.pageSize !== undefined) {
    if (typeof obj.pageSize !== 'number' || !Number.isInteger(obj.pageSize) || obj.pageSize < 1 || obj.pageSize > 100_000) {
      fail(file, `"pageSize" must be a whole number between 1 and 100000 (got ${JSON.stringify(obj.pageSize)})`);
    }
    cfg.pageSize = obj.pageSize;
  }
  for (const key of ['include', 'exclude', 'ignore'] as const) {
    const v = obj[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(file, `"${key}" must be an array of glob strings, e.g. ["src/**"]`);
    if (key === 'include') cfg.include = v as string[];
    else cfg.exclude = [...cfg.exclude, ...(v as string[])];
  }
  return cfg;
}

/**
 * Read `<root>/.perf-insights.json` (or `file`, relative to root). A missing default file gives
 * the defaults; a missing explicit file, bad JSON or bad values throw ConfigError.
 */
export function loadConfig(root: string, file?: string): AnalysisConfig {
  const path = file ? (isAbsolute(file) ? file : join(root, file)) : join(root, CONFIG_FILE);
  if (!existsSync(path)) {
    if (file) throw new ConfigError(`${path}: config file not found. Create it or drop --config to use the defaults.`);
    return defaultConfig();
  }
  const text = readFileSync(path, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: invalid JSON${jsonErrorWhere(text, err)}: ${(err as Error).message}. Fix the syntax (no comments or trailing commas).`);
  }
  return mergeConfig(raw, path);
}
