// Redis source: INFO stats (hit rate over the interval, memory against maxmemory, eviction
// policy, evictions, clients) and the LLM cache under a key pattern: entry count by SCAN with a
// cap (never KEYS, which blocks the server), share of keys without a TTL, sampled value sizes.
import Redis from 'ioredis';
import { SourceError, type MetricSource } from '../source.js';
import { diffRedisInfo, parseRedisInfo, type RedisInfo, type RedisInterval } from './redis-info.js';

export interface RedisSourceOptions {
  /** redis://host:port[/db]; a password comes from REDIS_URL in the environment or `password`. */
  url: string;
  password?: string;
  /** SCAN MATCH pattern of the LLM cache's keys (default `llm:cache:*`). */
  keyPattern?: string;
  /** Stop counting after this many keys (default 10 000); the count is then a lower bound. */
  scanCap?: number;
  /** Stop scanning after this long (default 2 000 ms), also a lower bound then. */
  scanBudgetMs?: number;
  /** Keys whose MEMORY USAGE is measured per poll (default 50). */
  sampleSize?: number;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
}

export interface LlmCacheStats {
  pattern: string;
  /** Keys matching the pattern (a lower bound when `capped`). */
  entries: number;
  capped: boolean;
  withoutTtl: number;
  /** Share of counted keys without an expiry (the guide: every cache key should expire). */
  withoutTtlPct: number | null;
  sampled: number;
  sampleAvgBytes: number | null;
  sampleMaxBytes: number | null;
  /** entries × average sampled size; null without a sample. */
  estimatedBytes: number | null;
}

export interface RedisSample {
  at: number;
  intervalMs: number | null;
  info: RedisInfo;
  interval: RedisInterval;
  /** used / maxmemory; null when no maxmemory is set. */
  memoryPct: number | null;
  cache: LlmCacheStats;
  problems: string[];
}

export const DEFAULT_KEY_PATTERN = 'llm:cache:*';

export function createRedisSource(opts: RedisSourceOptions): MetricSource<RedisSample> & { close(): Promise<void> } {
  const pattern = opts.keyPattern ?? DEFAULT_KEY_PATTERN;
  const cap = opts.scanCap ?? 10_000;
  const budgetMs = opts.scanBudgetMs ?? 2_000;
  const sampleSize = opts.sampleSize ?? 50;
  const connectMs = opts.connectTimeoutMs ?? 5_000;
  const commandMs = opts.commandTimeoutMs ?? 5_000;
  const where = describeRedis(opts.url);
  let client: Redis | null = null;
  let prev: { at: number; info: RedisInfo } | null = null;
  let closed = false;

  async function connected(): Promise<Redis> {
    if (client?.status === 'ready') return client;
    client?.disconnect();
    const c = new Redis(opts.url, {
      ...(opts.password !== undefined ? { password: opts.password } : {}),
      lazyConnect: true,
      connectTimeout: connectMs,
      commandTimeout: commandMs,
      // No reconnect loop of its own: the poller's backoff decides when we try again, and each
      // collect() reconnects if needed. This is what prevents reconnect storms.
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectionName: 'perf-insights',
    });
    // ioredis reports the real cause (ECONNREFUSED, WRONGPASS…) only as an 'error' event and
    // rejects connect() with a generic "Connection is closed"; keep the cause for the message.
    let cause: Error | null = null;
    c.on('error', (e: Error) => (cause = e));
    client = c;
    let timer: NodeJS.Timeout | undefined;
    try {
      // connectTimeout covers only the TCP handshake; a server that accepts and then stays
      // silent would hang the ready check, so the whole connect is bounded here.
      await Promise.race([
        c.connect(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error('not ready'), { code: 'PI_NOT_READY' })), connectMs);
        }),
      ]);
    } catch (e) {
      c.disconnect();
      throw (e as { code?: string }).code === 'PI_NOT_READY' ? e : (cause ?? e);
    } finally {
      clearTimeout(timer);
    }
    return c;
  }

  async function collect(signal: AbortSignal): Promise<RedisSample> {
    if (closed) throw new SourceError(`Redis source for ${where} is closed.`);
    signal.throwIfAborted();
    const onAbort = () => client?.disconnect();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const r = await connected();
      const at = Date.now();
      const info = parseRedisInfo(await r.info());
      const problems: string[] = [];
      const cache = await scanCache(r, signal, problems);
      const interval = diffRedisInfo(prev?.info ?? null, info);
      const intervalMs = prev ? at - prev.at : null;
      prev = { at, info };
      const memoryPct = info.maxMemoryBytes && info.usedMemoryBytes !== null ? (100 * info.usedMemoryBytes) / info.maxMemoryBytes : null;
      return { at, intervalMs, info, interval, memoryPct, cache, problems };
    } catch (e) {
      client?.disconnect();
      client = null;
      if (signal.aborted) throw new SourceError(`Redis poll of ${where} aborted.`);
      throw new SourceError(describeRedisError(e, where, connectMs, commandMs), { cause: e });
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async function scanCache(r: Redis, signal: AbortSignal, problems: string[]): Promise<LlmCacheStats> {
    const seen = new Set<string>();
    let withoutTtl = 0;
    let capped = false;
    let cursor = '0';
    const started = Date.now();
    do {
      signal.throwIfAborted();
      const [next, keys] = await r.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      // SCAN may return a key twice (rehashing); count each once.
      const fresh = keys.filter((k) => !seen.has(k)).slice(0, cap - seen.size);
      for (const k of fresh) seen.add(k);
      if (fresh.length) {
        const p = r.pipeline();
        for (const k of fresh) p.pttl(k);
        for (const [err, ttl] of (await p.exec()) ?? []) if (!err && ttl === -1) withoutTtl++;
      }
      if (seen.size >= cap || (cursor !== '0' && Date.now() - started > budgetMs)) {
        capped = cursor !== '0';
        break;
      }
    } while (cursor !== '0');

    const keys = [...seen];
    const step = Math.max(1, Math.floor(keys.length / sampleSize));
    const sample = keys.filter((_, i) => i % step === 0).slice(0, sampleSize);
    let sizes: number[] = [];
    if (sample.length) {
      const p = r.pipeline();
      for (const k of sample) p.call('MEMORY', 'USAGE', k);
      const res = (await p.exec()) ?? [];
      const failed = res.find(([err]) => err);
      if (failed) problems.push(`MEMORY USAGE is not available on ${where} (${String(failed[0]?.message ?? failed[0])}); value sizes unknown.`);
      sizes = res.filter(([err, v]) => !err && typeof v === 'number').map(([, v]) => v as number);
    }
    const avg = sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : null;
    return {
      pattern,
      entries: seen.size,
      capped,
      withoutTtl,
      withoutTtlPct: seen.size ? (100 * withoutTtl) / seen.size : null,
      sampled: sizes.length,
      sampleAvgBytes: avg,
      sampleMaxBytes: sizes.length ? Math.max(...sizes) : null,
      estimatedBytes: avg === null ? null : avg * seen.size,
    };
  }

  return {
    id: `redis:${where}`,
    kind: 'redis',
    collect,
    async close() {
      closed = true;
      const c = client;
      client = null;
      if (c) await c.quit().catch(() => c.disconnect());
    },
  };
}

/** host:port/db without credentials. */
export function describeRedis(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '6379'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'the configured Redis URL (unparsable)';
  }
}

function describeRedisError(e: unknown, where: string, connectMs: number, commandMs: number): string {
  const err = e as { code?: string; message?: string };
  const m = err?.message ?? String(e);
  if (err?.code === 'ECONNREFUSED') return `Redis at ${where} refused the connection: is it running and listening there?`;
  if (err?.code === 'PI_NOT_READY') return `Redis at ${where} accepted the connection but did not answer within ${connectMs} ms.`;
  if (/connect ETIMEDOUT|connect timeout/i.test(m)) return `Redis at ${where} did not accept a connection within ${connectMs} ms.`;
  if (/Command timed out/i.test(m)) return `Redis at ${where} did not answer within ${commandMs} ms.`;
  if (/NOAUTH|WRONGPASS|invalid password|invalid username-password/i.test(m)) {
    return `Redis at ${where} rejected the login (${m}). Put the password in the REDIS_URL environment variable, not in settings.`;
  }
  if (/Connection is closed|Stream isn't writeable|ECONNRESET|enableOfflineQueue/i.test(m)) {
    return `The connection to Redis at ${where} was closed (${m}): the server restarted or went away; will reconnect on the next poll.`;
  }
  return `Redis at ${where}: ${m}`;
}
