// Starts the reference platform in this process: backend (guide port 8000), LLM gateway (8001),
// optionally against Postgres and Redis, with the load generator. Used by `npm run platform`,
// the tests and the dashboard e2e.
import type { Server } from 'node:http';
import Redis from 'ioredis';
import type pg from 'pg';
import { NORMAL, type Chaos } from './chaos.js';
import { closeServer, listen } from './http-util.js';
import { createDbPool } from './backend/db.js';
import { createBackendMetrics } from './backend/metrics.js';
import { ensureSchema } from './backend/schema.js';
import { createBackendServer } from './backend/server.js';
import { memoryStore, redisStore } from './llm/cache-store.js';
import { LlmGateway } from './llm/gateway.js';
import { createGatewayServer } from './llm/gateway-server.js';
import { startLoad, type LoadGenerator } from './load.js';

export interface PlatformOptions {
  backendPort?: number;
  llmPort?: number;
  host?: string;
  postgresUrl?: string;
  redisUrl?: string;
  /** Postgres schema for the platform's tables (default: the role's search_path, i.e. public). */
  pgSchema?: string;
  /** Requests per second of the built-in load generator; 0 = off (default 10). */
  loadRps?: number;
  chaos?: Chaos;
  rand?: () => number;
}

export interface Platform {
  backendUrl: string;
  llmUrl: string;
  postgres: boolean;
  redis: boolean;
  gateway: LlmGateway;
  chaos: Chaos;
  setChaos(c: Chaos): void;
  load: LoadGenerator;
  stop(): Promise<void>;
}

export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const host = opts.host ?? '127.0.0.1';
  let chaos: Chaos = { ...(opts.chaos ?? NORMAL) };
  const closers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    let redis: Redis | null = null;
    if (opts.redisUrl) {
      redis = new Redis(opts.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000 });
      redis.on('error', () => {});
      await redis.connect();
    }
    const gateway = new LlmGateway(redis ? redisStore(redis) : memoryStore(), () => chaos, opts.rand);
    closers.push(() => gateway.close());
    const gatewayServer: Server = createGatewayServer(gateway);
    const llmPort = await listen(gatewayServer, opts.llmPort ?? 8001, host);
    closers.push(() => closeServer(gatewayServer));
    const llmUrl = `http://${host}:${llmPort}`;

    const metrics = createBackendMetrics();
    let db: pg.Pool | null = null;
    if (opts.postgresUrl) {
      db = createDbPool(opts.postgresUrl, metrics, opts.pgSchema);
      const pool = db;
      closers.push(() => pool.end());
      await ensureSchema(db, opts.pgSchema);
    }
    let load: LoadGenerator | null = null;
    const backend = createBackendServer({
      metrics,
      db,
      llmUrl,
      chaos: { get: () => chaos, set: (c) => (chaos = c) },
      load: { get: () => ({ rps: load?.rps ?? 0 }), set: (n) => load?.setRps(n) },
      llmStats: async () => ({ ...gateway.cacheStats(), providers: gateway.providerStats() }),
      rand: opts.rand,
    });
    const backendPort = await listen(backend, opts.backendPort ?? 8000, host);
    closers.push(() => closeServer(backend));
    const backendUrl = `http://${host}:${backendPort}`;
    load = startLoad(backendUrl, opts.loadRps ?? 10, { rand: opts.rand, llmUrl });
    const l = load;
    closers.push(() => l.stop());

    return {
      backendUrl,
      llmUrl,
      postgres: Boolean(db),
      redis: Boolean(redis),
      gateway,
      get chaos() {
        return chaos;
      },
      setChaos: (c) => (chaos = c),
      load,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
