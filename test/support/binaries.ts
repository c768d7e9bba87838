// Locates the service binaries the harness needs and fails with the command that installs them.
import { accessSync, constants, existsSync, readdirSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

export const INSTALL_HINT = 'apt-get install -y postgresql redis-server prometheus';

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** Directory holding initdb, pg_ctl and postgres of one Postgres version (they must match). */
export function postgresBinDir(): string {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const initdb = onPath('initdb');
  if (initdb) return dirname(realpathSync(initdb));
  // Debian keeps versioned binaries off PATH; pick the newest installed version.
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(root, versions[0], 'bin');
  }
  throw new Error(
    `Postgres server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin. ` +
      `Install them: ${INSTALL_HINT} (or set PG_BIN_DIR).`,
  );
}

export function binary(name: 'redis-server' | 'prometheus'): string {
  const p = onPath(name);
  if (!p) throw new Error(`${name} not found on PATH. Install it: ${INSTALL_HINT}`);
  return p;
}
