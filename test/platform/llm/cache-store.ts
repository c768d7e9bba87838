// Where the gateway keeps its cache: Redis when the platform has one (so the Redis source sees
// real keys, TTLs and hit/miss counters), otherwise process memory with the same behaviour.
import type Redis from 'ioredis';

export interface CacheStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** ttlSeconds null = no expiry (what the guide says never to do; a few entries do it anyway). */
  set(key: string, value: string, ttlSeconds: number | null): Promise<void>;
  close(): Promise<void>;
}

export function redisStore(client: Redis): CacheStore {
  return {
    kind: 'redis',
    get: (k) => client.get(k),
    set: async (k, v, ttl) => {
      if (ttl === null) await client.set(k, v);
      else await client.set(k, v, 'EX', ttl);
    },
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

export function memoryStore(): CacheStore {
  const m = new Map<string, { v: string; exp: number | null }>();
  return {
    kind: 'memory',
    get: async (k) => {
      const e = m.get(k);
      if (!e) return null;
      if (e.exp !== null && e.exp < Date.now()) {
        m.delete(k);
        return null;
      }
      return e.v;
    },
    set: async (k, v, ttl) => {
      m.set(k, { v, exp: ttl === null ? null : Date.now() + ttl * 1000 });
    },
    close: async () => m.clear(),
  };
}
