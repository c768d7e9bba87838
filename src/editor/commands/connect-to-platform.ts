// "Connect to Platform…": asks for the endpoints (saved as workspace settings) and the
// passwords (saved to SecretStorage only). Refused, with the reason, in an untrusted workspace.
import * as vscode from 'vscode';
import { currentSettings } from '../config';
import { CONFIG_SECTION } from '../ids';
import type { EditorServices } from '../services';
import { requireTrust } from '../trust';

/** What the command collects; also accepted as an argument (automation, tests). */
export interface ConnectInput {
  /** `/metrics` endpoints scraped directly. */
  prometheusTargets?: string[];
  prometheusServerUrl?: string;
  apiUrl?: string;
  postgresHost?: string;
  postgresPort?: number;
  postgresDatabase?: string;
  postgresUser?: string;
  postgresPassword?: string;
  redisHost?: string;
  redisPort?: number;
  redisPassword?: string;
}

export type ConnectResult = 'saved' | 'cancelled' | 'untrusted' | 'invalid';

export function validateUrl(v: string): string | undefined {
  if (!v.trim()) return undefined;
  try {
    const u = new URL(v.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'Use an http:// or https:// URL.';
  } catch {
    return 'Not a URL (example: http://localhost:9090).';
  }
}

function splitList(v: string): string[] {
  return v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function validatePort(v: string): string | undefined {
  const n = Number(v);
  return v.trim() === '' || (Number.isInteger(n) && n >= 1 && n <= 65535) ? undefined : 'A port is a whole number from 1 to 65535.';
}

export async function connectToPlatform(s: EditorServices, arg?: ConnectInput): Promise<ConnectResult> {
  if (!requireTrust('Connect to Platform')) {
    s.log.warn('Connect to Platform refused: the workspace is not trusted');
    return 'untrusted';
  }
  const input = arg && typeof arg === 'object' ? arg : await ask();
  if (!input) return 'cancelled';
  const urls = [...(input.prometheusTargets ?? []), input.prometheusServerUrl, input.apiUrl];
  const bad = urls.map((u) => (u ? validateUrl(u) : undefined)).find(Boolean);
  if (bad) {
    void vscode.window.showErrorMessage(`Perf Insights: ${bad}`);
    return 'invalid';
  }
  const cfg = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const updates: [string, unknown][] = [
    ['platform.prometheusTargets', input.prometheusTargets],
    ['platform.prometheusServerUrl', input.prometheusServerUrl],
    ['platform.apiUrl', input.apiUrl],
    ['platform.postgres.host', input.postgresHost],
    ['platform.postgres.port', input.postgresPort],
    ['platform.postgres.database', input.postgresDatabase],
    ['platform.postgres.user', input.postgresUser],
    ['platform.redis.host', input.redisHost],
    ['platform.redis.port', input.redisPort],
  ];
  for (const [key, value] of updates) if (value !== undefined) await cfg.update(key, value, target);
  if (input.postgresPassword !== undefined) await s.secrets.setPostgresPassword(input.postgresPassword);
  if (input.redisPassword !== undefined) await s.secrets.setRedisPassword(input.redisPassword);
  s.log.info('platform endpoints saved (passwords in the secret storage)');
  void vscode.window.showInformationMessage('Perf Insights: platform endpoints saved. The dashboard connects with them.');
  return 'saved';
}

/** Step-by-step input boxes, pre-filled with the current values; Escape cancels all. */
async function ask(): Promise<ConnectInput | undefined> {
  const p = currentSettings().platform;
  const box = (title: string, value: string, opts: Partial<vscode.InputBoxOptions> = {}) =>
    vscode.window.showInputBox({ title: `Perf Insights: connect (${title})`, value, ignoreFocusOut: true, ...opts });
  const targets = await box('Prometheus /metrics endpoints to scrape, comma-separated, empty for none', p.prometheusTargets.join(', '), {
    validateInput: (v) => splitList(v).map(validateUrl).find(Boolean),
  });
  if (targets === undefined) return undefined;
  const prometheusServerUrl = await box('Prometheus server URL, empty to skip', p.prometheusServerUrl, { validateInput: validateUrl });
  if (prometheusServerUrl === undefined) return undefined;
  const apiUrl = await box('platform API URL, empty to skip', p.apiUrl, { validateInput: validateUrl });
  if (apiUrl === undefined) return undefined;
  const postgresHost = await box('Postgres host, empty to skip', p.postgres.host);
  if (postgresHost === undefined) return undefined;
  const out: ConnectInput = { prometheusTargets: splitList(targets), prometheusServerUrl, apiUrl, postgresHost };
  if (postgresHost) {
    const port = await box('Postgres port', String(p.postgres.port), { validateInput: validatePort });
    const db = port === undefined ? undefined : await box('Postgres database', p.postgres.database);
    const user = db === undefined ? undefined : await box('Postgres user', p.postgres.user);
    const pw = user === undefined ? undefined : await box('Postgres password (kept in the secret storage)', '', { password: true });
    if (pw === undefined) return undefined;
    Object.assign(out, { postgresPort: Number(port) || 5432, postgresDatabase: db, postgresUser: user, postgresPassword: pw });
  }
  const redisHost = await box('Redis host, empty to skip', p.redis.host);
  if (redisHost === undefined) return undefined;
  out.redisHost = redisHost;
  if (redisHost) {
    const port = await box('Redis port', String(p.redis.port), { validateInput: validatePort });
    const pw = port === undefined ? undefined : await box('Redis password, empty for none (kept in the secret storage)', '', { password: true });
    if (pw === undefined) return undefined;
    Object.assign(out, { redisPort: Number(port) || 6379, redisPassword: pw });
  }
  return out;
}
