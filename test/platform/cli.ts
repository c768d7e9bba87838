// `npm run platform`: the reference platform on loopback. Starts a private Postgres and Redis
// (test/support) unless URLs are given or --no-services, prints what runs where, and stops
// everything on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { SLOW, NORMAL } from './chaos.js';
import { startPlatform } from './platform.js';
import { LLM_SHARE } from './load.js';
import { startPostgres, type PostgresHandle, PG_ROLES } from '../support/postgres.js';
import { startRedis, type RedisHandle } from '../support/redis.js';

const HELP = `npm run platform -- [options]

  --backend-port N   backend port (default 8000, env PLATFORM_BACKEND_PORT; 0 = any free port)
  --llm-port N       LLM gateway port (default 8001, env PLATFORM_LLM_PORT)
  --postgres URL     use this Postgres (env PLATFORM_POSTGRES_URL) instead of a private one
  --redis URL        use this Redis (env PLATFORM_REDIS_URL) instead of a private one
  --no-services      do not start private Postgres/Redis (queries and cache are simulated)
  --rps N            load generator requests/second (default 10); --no-load = 0
  --slow             latencies x20: API p95 goes critical (also POST /admin/chaos)
  --errors PCT       answer PCT % of requests with 500 (error rate KPI)
  -h, --help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'backend-port': { type: 'string' },
      'llm-port': { type: 'string' },
      postgres: { type: 'string' },
      redis: { type: 'string' },
      'no-services': { type: 'boolean' },
      rps: { type: 'string' },
      'no-load': { type: 'boolean' },
      slow: { type: 'boolean' },
      errors: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const num = (v: string | undefined, name: string, dflt: number) => {
    if (v === undefined || v === '') return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
    return n;
  };
  const env = process.env;
  let postgresUrl = values.postgres ?? env.PLATFORM_POSTGRES_URL;
  let redisUrl = values.redis ?? env.PLATFORM_REDIS_URL;
  let pgHandle: PostgresHandle | undefined;
  let redisHandle: RedisHandle | undefined;
  const cleanup = async () => {
    await pgHandle?.destroy().catch(() => {});
    await redisHandle?.destroy().catch(() => {});
  };
  try {
    if (!values['no-services']) {
      if (!postgresUrl) {
        pgHandle = await startPostgres().catch((e: Error) => {
          console.warn(`[platform] no private Postgres (${e.message.split('\n')[0]}); DB queries are simulated.`);
          return undefined;
        });
        postgresUrl = pgHandle?.url('plain');
      }
      if (!redisUrl) {
        redisHandle = await startRedis().catch((e: Error) => {
          console.warn(`[platform] no private Redis (${e.message.split('\n')[0]}); the LLM cache lives in memory.`);
          return undefined;
        });
        redisUrl = redisHandle?.url;
      }
    }
    const chaos = { ...(values.slow ? SLOW : NORMAL) };
    if (values.errors !== undefined) chaos.errorRatePct = num(values.errors, '--errors', 0);
    const platform = await startPlatform({
      backendPort: num(values['backend-port'] ?? env.PLATFORM_BACKEND_PORT, '--backend-port', 8000),
      llmPort: num(values['llm-port'] ?? env.PLATFORM_LLM_PORT, '--llm-port', 8001),
      postgresUrl,
      redisUrl,
      loadRps: values['no-load'] ? 0 : num(values.rps, '--rps', 10),
      chaos,
    });
    const lines = [
      `backend      ${platform.backendUrl}  (/metrics, /api/v1/health, /api/v1/metrics/{system,pipelines,llm})`,
      `llm gateway  ${platform.llmUrl}  (/metrics)`,
      `postgres     ${pgHandle ? `${pgHandle.url('monitor').replace(/:[^:@/]+@/, '@')}  (private; PGPASSWORD=${PG_ROLES.monitor.password}; app role ${PG_ROLES.plain.user})` : postgresUrl ? redact(postgresUrl) : 'none (simulated)'}`,
      `redis        ${redisUrl ? redact(redisUrl) : 'none (in-memory cache)'}${redisHandle ? '  (private)' : ''}`,
      `load         ${platform.load.rps} req/s to the backend + ${platform.load.rps * LLM_SHARE} req/s to the gateway   chaos ${JSON.stringify(platform.chaos)}  (POST ${platform.backendUrl}/admin/chaos, /admin/load)`,
      '',
      `try: npx perf-insights kpis --prometheus ${platform.backendUrl}/metrics --prometheus ${platform.llmUrl}/metrics --api ${platform.backendUrl}` +
        (pgHandle ? ` --postgres ${pgHandle.url('monitor').replace(/:[^:@/]+@/, '@')}` : '') +
        (redisUrl ? ` --redis ${redact(redisUrl)}` : ''),
    ];
    console.log(`reference platform running:\n  ${lines.join('\n  ')}\nCtrl+C stops it.`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`\n[platform] ${signal}: stopping…`);
      await platform.stop();
      await cleanup();
      console.log('[platform] stopped');
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  } catch (e) {
    await cleanup();
    throw e;
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

main().catch((e: Error) => {
  console.error(`[platform] ${e.message}`);
  process.exit(1);
});
