// What the vitest globalSetup provides to test files, and typed accessors for it.
import { inject } from 'vitest';
import { attachPostgres, type PostgresHandle, type PostgresInfo } from './postgres.js';
import type { RedisInfo } from './redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresInfo;
    redis: RedisInfo;
  }
}

/**
 * The shared Postgres started once per run. Tests must not stop or restart it (other files use it
 * in parallel): start a private one with startPostgres() for that.
 */
export function sharedPostgres(): PostgresHandle {
  return attachPostgres(inject('postgres'));
}

/** The shared Redis started once per run. Same rule: no restarts; use startRedis() for that. */
export function sharedRedis(): RedisInfo {
  return inject('redis');
}
