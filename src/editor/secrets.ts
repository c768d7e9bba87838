// Platform passwords live in VS Code's SecretStorage only, never in settings or files.
// The dashboard host (src/webview) reads them through this small API.
import type * as vscode from 'vscode';

export type SecretName = 'postgresPassword' | 'redisPassword';

const KEYS: Record<SecretName, string> = {
  postgresPassword: 'perfInsights.platform.postgres.password',
  redisPassword: 'perfInsights.platform.redis.password',
};

export class PlatformSecrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(name: SecretName): Thenable<string | undefined> {
    return this.storage.get(KEYS[name]);
  }

  /** An empty value deletes the secret. */
  async set(name: SecretName, value: string | undefined): Promise<void> {
    if (value) await this.storage.store(KEYS[name], value);
    else await this.storage.delete(KEYS[name]);
  }

  getPostgresPassword(): Thenable<string | undefined> {
    return this.get('postgresPassword');
  }

  setPostgresPassword(v: string | undefined): Promise<void> {
    return this.set('postgresPassword', v);
  }

  getRedisPassword(): Thenable<string | undefined> {
    return this.get('redisPassword');
  }

  setRedisPassword(v: string | undefined): Promise<void> {
    return this.set('redisPassword', v);
  }

  /** Fires with the secret's name when a password changes (e.g. in another window). */
  onDidChange(listener: (name: SecretName) => void): vscode.Disposable {
    return this.storage.onDidChange((e) => {
      const name = (Object.keys(KEYS) as SecretName[]).find((n) => KEYS[n] === e.key);
      if (name) listener(name);
    });
  }
}
