// What the dashboard e2e and `npm run demo` start besides code-server: the reference platform
// and, when the binaries exist, a private Postgres (with pg_stat_statements) and Redis. Bundled
// by bundle-services.mjs so plain Node scripts can use it.
export { startPlatform, type Platform } from '../platform/platform';
export { startPostgres, postgresUrl, PG_ROLES, type PostgresHandle } from '../support/postgres';
export { startRedis, type RedisHandle } from '../support/redis';
export { postgresBinDir, binary } from '../support/binaries';
