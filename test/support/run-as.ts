// Runs a command as the `postgres` OS user when we are root: initdb and postgres refuse to run
// as root, and CI containers usually are root.
import { execFile } from 'node:child_process';
import { chownSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export interface ServiceUser {
  name: string;
  uid: number;
  gid: number;
}

let cached: ServiceUser | null | undefined;

/** The OS user that runs Postgres: `postgres` when we are root, otherwise ourselves (null). */
export async function serviceUser(): Promise<ServiceUser | null> {
  if (!isRoot) return null;
  if (cached !== undefined) return cached;
  try {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      execFileP('id', ['-u', 'postgres']),
      execFileP('id', ['-g', 'postgres']),
    ]);
    cached = { name: 'postgres', uid: Number(uid.trim()), gid: Number(gid.trim()) };
  } catch {
    throw new Error(
      'Running as root, but there is no `postgres` OS user to run initdb/postgres as. ' +
        'Install the server package (apt-get install -y postgresql), which creates it, or run the tests as a normal user.',
    );
  }
  return cached;
}

export async function runAs(
  user: ServiceUser | null,
  cmd: string,
  args: string[],
  opts: { timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  const [file, argv] = user ? ['runuser', ['-u', user.name, '--', cmd, ...args]] : [cmd, args];
  try {
    return await execFileP(file, argv, { timeout: opts.timeoutMs ?? 60_000, env: { ...process.env, LC_ALL: 'C' } });
  } catch (e) {
    const err = e as Error & { stderr?: string; stdout?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.stderr?.trim() || err.stdout?.trim() || err.message}`);
  }
}

export function chownTree(path: string, user: ServiceUser | null): void {
  if (!user) return;
  chownSync(path, user.uid, user.gid);
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path)) chownTree(join(path, entry), user);
  }
}
