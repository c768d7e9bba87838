// The services behind the dashboard in the e2e and the demo: private Postgres and Redis (when
// their binaries exist) and the reference platform on fixed ports, so it can be stopped and
// started again where the extension expects it.
import { freePort } from '../support/code-server.mjs';
import { loadServices } from './bundle-services.mjs';

export async function startStack({ log = console.error, backendPort, llmPort, loadRps = 10 } = {}) {
  const s = await loadServices();
  let pg = null;
  let redis = null;
  try {
    s.postgresBinDir();
    pg = await s.startPostgres();
  } catch (e) {
    log(`[stack] no private Postgres (${e.message.split('\n')[0]}); the database panels stay empty`);
  }
  try {
    s.binary('redis-server');
    redis = await s.startRedis();
  } catch (e) {
    log(`[stack] no private Redis (${e.message.split('\n')[0]}); the LLM cache uses memory`);
  }
  const ports = { backendPort: backendPort ?? (await freePort()), llmPort: llmPort ?? (await freePort()) };
  const platformOpts = () => ({
    ...ports,
    postgresUrl: pg ? s.postgresUrl(pg, 'admin') : undefined,
    redisUrl: redis?.url,
    loadRps,
  });
  let platform = await s.startPlatform(platformOpts());
  const stack = {
    pg,
    redis,
    get platform() {
      return platform;
    },
    backendUrl: platform.backendUrl,
    llmUrl: platform.llmUrl,
    /** Monitoring role (pg_monitor) credentials, what a user would give the extension. */
    monitor: pg ? { host: pg.host, port: pg.port, database: pg.database, ...s.PG_ROLES.monitor } : null,
    adminUrl: pg ? s.postgresUrl(pg, 'admin') : null,
    /** Everything down: the platform, then its Postgres and Redis. */
    async stopAll() {
      await platform?.stop();
      platform = null;
      await pg?.stop('fast');
      await redis?.stop();
    },
    /** Back up on the same ports. */
    async startAll() {
      await pg?.start();
      await redis?.start();
      platform = await s.startPlatform(platformOpts());
    },
    async destroy() {
      await platform?.stop().catch(() => {});
      platform = null;
      await pg?.destroy().catch(() => {});
      await redis?.destroy().catch(() => {});
    },
  };
  return stack;
}

/** The `perfInsights.platform.*` settings that point the extension at a started stack (no passwords). */
export function platformSettings(stack) {
  return {
    'perfInsights.platform.prometheusTargets': [`${stack.backendUrl}/metrics`, `${stack.llmUrl}/metrics`],
    'perfInsights.platform.apiUrl': stack.backendUrl,
    ...(stack.monitor
      ? {
          'perfInsights.platform.postgres.host': stack.monitor.host,
          'perfInsights.platform.postgres.port': stack.monitor.port,
          'perfInsights.platform.postgres.database': stack.monitor.database,
          'perfInsights.platform.postgres.user': stack.monitor.user,
        }
      : {}),
    ...(stack.redis ? { 'perfInsights.platform.redis.host': stack.redis.host, 'perfInsights.platform.redis.port': stack.redis.port } : {}),
  };
}
