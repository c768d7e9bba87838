// A private, throw-away Postgres for tests and the reference platform: initdb in a temp dir,
// a free loopback port, pg_stat_statements preloaded and created, three roles (superuser,
// pg_monitor, plain). Nothing is shared with a system cluster.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { postgresBinDir } from './binaries.js';
import { freePort } from './free-port.js';
import { chownTree, runAs, serviceUser } from './run-as.js';

export const PG_ROLES = {
  admin: { user: 'perf_admin', password: 'admin-secret' },
  monitor: { user: 'perf_monitor', password: 'monitor-secret' },
  plain: { user: 'perf_plain', password: 'plain-secret' },
} as const;
export type PgRole = keyof typeof PG_ROLES;

/** Serializable description of a running instance (what globalSetup hands to tests). */
export interface PostgresInfo {
  host: '127.0.0.1';
  port: number;
  baseDir: string;
  dataDir: string;
  socketDir: string;
  binDir: string;
  /** Database with pg_stat_statements created. */
  database: string;
  /** Database without the extension. */
  noExtDatabase: string;
  preloaded: boolean;
}

export interface PostgresHandle extends PostgresInfo {
  url(role?: PgRole, database?: string): string;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server and deletes its directory. */
  destroy(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Put pg_stat_statements in shared_preload_libraries (default true). */
  preload?: boolean;
}

export function postgresUrl(info: PostgresInfo, role: PgRole = 'admin', database = info.database): string {
  const r = PG_ROLES[role];
  return `postgres://${r.user}:${encodeURIComponent(r.password)}@${info.host}:${info.port}/${database}`;
}

export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PostgresHandle> {
  const preload = opts.preload ?? true;
  const binDir = postgresBinDir();
  const user = await serviceUser();
  const baseDir = mkdtempSync(join(tmpdir(), 'pi-pg-'));
  const dataDir = join(baseDir, 'data');
  const socketDir = join(baseDir, 'sock');
  const pwFile = join(baseDir, 'pw');
  try {
    writeFileSync(pwFile, PG_ROLES.admin.password + '\n');
    mkdirSync(socketDir);
    chownTree(baseDir, user);
    await runAs(user, join(binDir, 'initdb'), [
      '-D', dataDir, '-U', PG_ROLES.admin.user, `--pwfile=${pwFile}`,
      '--auth-local=trust', '--auth-host=scram-sha-256',
      '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions',
    ]);
    const port = await freePort();
    // Durability is irrelevant for a throw-away cluster; turning it off keeps tests fast.
    appendFileSync(
      join(dataDir, 'postgresql.conf'),
      [
        '',
        '# perf-insights test harness',
        `port = ${port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${socketDir}'`,
        preload ? `shared_preload_libraries = 'pg_stat_statements'` : '',
        `pg_stat_statements.track = 'top'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 40',
        `log_min_messages = warning`,
        '',
      ].join('\n'),
    );
    const info: PostgresInfo = {
      host: '127.0.0.1', port, baseDir, dataDir, socketDir, binDir,
      database: 'perf', noExtDatabase: 'perf_noext', preloaded: preload,
    };
    const handle = attachPostgres(info);
    await handle.start();
    await bootstrap(info);
    return handle;
  } catch (e) {
    await stopQuietly(binDir, dataDir, user);
    rmSync(baseDir, { recursive: true, force: true });
    throw e;
  }
}

async function bootstrap(info: PostgresInfo): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl(info, 'admin', 'postgres') });
  await admin.connect();
  try {
    const { monitor, plain } = PG_ROLES;
    await admin.query(`CREATE ROLE ${monitor.user} LOGIN PASSWORD '${monitor.password}' IN ROLE pg_monitor`);
    await admin.query(`CREATE ROLE ${plain.user} LOGIN PASSWORD '${plain.password}'`);
    await admin.query(`CREATE DATABASE ${info.database}`);
    await admin.query(`CREATE DATABASE ${info.noExtDatabase}`);
    // The plain role stands for an application role: it may create schemas and tables, nothing more.
    await admin.query(`GRANT CREATE ON DATABASE ${info.database}, ${info.noExtDatabase} TO ${plain.user}`);
  } finally {
    await admin.end();
  }
  for (const db of [info.database, info.noExtDatabase]) {
    const c = new pg.Client({ connectionString: postgresUrl(info, 'admin', db) });
    await c.connect();
    try {
      await c.query(`GRANT ALL ON SCHEMA public TO ${PG_ROLES.plain.user}`);
      if (db === info.database) await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    } finally {
      await c.end();
    }
  }
}

async function stopQuietly(binDir: string, dataDir: string, user: Awaited<ReturnType<typeof serviceUser>>) {
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
  await runAs(user, join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {});
}

/** Controls for an instance described by `info`, usable from any process (pg_ctl works by data dir). */
export function attachPostgres(info: PostgresInfo): PostgresHandle {
  const pgCtl = join(info.binDir, 'pg_ctl');
  const log = join(info.baseDir, 'postgres.log');
  const ctl = async (args: string[]) => runAs(await serviceUser(), pgCtl, ['-D', info.dataDir, ...args]);
  const withLog = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
      throw new Error(`${(e as Error).message}\n--- ${log} (tail) ---\n${tail}`);
    }
  };
  return {
    ...info,
    url: (role, database) => postgresUrl(info, role, database),
    start: () => withLog(ctl(['-l', log, '-w', '-t', '30', 'start'])).then(() => undefined),
    stop: (mode = 'fast') => ctl(['-m', mode, '-w', 'stop']).then(() => undefined),
    restart: (mode = 'fast') => withLog(ctl(['-l', log, '-m', mode, '-w', '-t', '30', 'restart'])).then(() => undefined),
    destroy: async () => {
      await stopQuietly(info.binDir, info.dataDir, await serviceUser());
      rmSync(info.baseDir, { recursive: true, force: true });
    },
  };
}
