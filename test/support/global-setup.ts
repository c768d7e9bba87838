// vitest globalSetup: one private Postgres and one private Redis for the whole run, described to
// test files through provide/inject (see services.ts), stopped and deleted at the end.
import type { TestProject } from 'vitest/node';
import { startPostgres, type PostgresHandle } from './postgres.js';
import { startRedis, type RedisHandle } from './redis.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = Date.now();
  const [pgRes, redisRes] = await Promise.allSettled([startPostgres(), startRedis()]);
  if (pgRes.status === 'rejected' || redisRes.status === 'rejected') {
    await Promise.allSettled([
      pgRes.status === 'fulfilled' ? pgRes.value.destroy() : null,
      redisRes.status === 'fulfilled' ? redisRes.value.destroy() : null,
    ]);
    const why = [pgRes, redisRes].filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason?.message ?? r));
    throw new Error(`test services could not start:\n${why.join('\n')}`);
  }
  const pgHandle: PostgresHandle = pgRes.value;
  const redis: RedisHandle = redisRes.value;
  const { url: _url, start: _s, stop: _t, restart: _r, destroy: _d, ...pgInfo } = pgHandle;
  project.provide('postgres', pgInfo);
  project.provide('redis', { host: redis.host, port: redis.port, url: redis.url, dir: redis.dir });
  if (process.env.PI_HARNESS_VERBOSE) {
    console.log(`[harness] postgres :${pgHandle.port} redis :${redis.port} ready in ${Date.now() - t0} ms`);
  }
  return async () => {
    await Promise.allSettled([pgHandle.destroy(), redis.destroy()]);
  };
}
