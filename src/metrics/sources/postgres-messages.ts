// What to tell the user when Postgres cannot give us something: each message names the exact
// statement or setting that fixes it.

export const CONF_LINE = "shared_preload_libraries = 'pg_stat_statements'";

export function extensionMissing(database: string, preload: string | null): string {
  const loaded = preload === null ? null : preload.split(',').some((l) => l.trim().replace(/"/g, '') === 'pg_stat_statements');
  const preloadHint =
    loaded === true
      ? ''
      : loaded === false
        ? ` It is also not loaded: add ${CONF_LINE} to postgresql.conf (or ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';) and restart Postgres first.`
        : ` It also needs ${CONF_LINE} in postgresql.conf (and a restart) if that is not set yet.`;
  return (
    `Slow queries unavailable: the pg_stat_statements extension is not created in database "${database}". ` +
    `Run as a superuser in that database: CREATE EXTENSION pg_stat_statements;` + preloadHint
  );
}

export function extensionNotLoaded(): string {
  return (
    `Slow queries unavailable: pg_stat_statements is created but not loaded. Add ${CONF_LINE} to postgresql.conf ` +
    `(or run ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';) and restart Postgres.`
  );
}

export function lacksMonitor(role: string, hiddenStatements: number): string {
  const what = hiddenStatements > 0 ? `${hiddenStatements} statement(s) of other roles show as <insufficient privilege> and are left out` : `statements and sessions of other roles are hidden`;
  return `Role "${role}" lacks pg_monitor: ${what}, and connection states of other sessions are unknown. Run as a superuser: GRANT pg_monitor TO ${quoteIdent(role)};`;
}

export function oldServer(versionNum: number): string {
  return `Slow queries need PostgreSQL 13 or newer (pg_stat_statements total_exec_time); this server is ${Math.floor(versionNum / 10000)}.`;
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A user-facing sentence for a connection/query failure from `pg`. */
export function describePgError(err: unknown, where: string, timeouts: { connectMs: number; statementMs: number }): string {
  const e = err as { code?: string; message?: string; routine?: string };
  const msg = e?.message ?? String(err);
  switch (e?.code) {
    case 'ECONNREFUSED':
      return `Postgres at ${where} refused the connection: is it running and listening there?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Postgres host in ${where} could not be resolved (${msg}).`;
    case '28P01':
    case '28000':
      return `Postgres at ${where} rejected the login (${msg}). Put the password in the PGPASSWORD environment variable, not in settings.`;
    case '3D000':
      return `Postgres at ${where}: ${msg}. Check the database name in the connection URL.`;
    case '57014':
      return `A monitoring query on ${where} was cancelled after statement_timeout (${timeouts.statementMs} ms): the server is overloaded or locked.`;
    case '57P01':
    case '57P02':
    case '57P03':
      return `Postgres at ${where} is shutting down or restarting (${msg}); will reconnect on the next poll.`;
    case '53300':
      return `Postgres at ${where} has no free connection slots (${msg}).`;
  }
  if (/timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(msg)) {
    return `Postgres at ${where} did not accept a connection within ${timeouts.connectMs} ms.`;
  }
  if (/Query read timeout/i.test(msg)) {
    return `A monitoring query on ${where} got no answer within ${timeouts.statementMs} ms.`;
  }
  if (/Connection terminated|ECONNRESET|server closed the connection/i.test(msg)) {
    return `The connection to Postgres at ${where} was closed (${msg}): the server restarted or went away; will reconnect on the next poll.`;
  }
  return `Postgres at ${where}: ${msg}`;
}
