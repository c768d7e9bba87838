// The Redis source against real private Redis servers (test/support): real INFO, real SCAN,
// restarts, a cap with many keys, and dead or silent endpoints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import Redis from 'ioredis';
import { startRedis, type RedisHandle } from '../../../test/support/redis.js';
import { freePort } from '../../../test/support/free-port.js';
import { createRedisSource } from './redis.js';

const collect = (src: ReturnType<typeof createRedisSource>) => src.collect(AbortSignal.timeout(15_000));

describe('Redis source', () => {
  let h: RedisHandle;
  let r: Redis;
  beforeAll(async () => {
    h = await startRedis({ maxmemory: '64mb', maxmemoryPolicy: 'allkeys-lru' });
    r = new Redis(h.url);
  });
  afterAll(async () => {
    r?.disconnect();
    await h?.destroy();
  });

  it('INFO: hit rate over the interval, memory against maxmemory, policy, clients', async () => {
    const src = createRedisSource({ url: h.url });
    try {
      await r.set('hr:a', '1');
      const first = await collect(src);
      expect(first.interval.hitRatePct).toBeNull(); // one sample is not an interval
      await r.get('hr:a');
      await r.get('hr:a');
      await r.get('hr:a');
      await r.get('hr:missing');
      const s = await collect(src);
      expect(s.interval.hits).toBe(3);
      expect(s.interval.misses).toBe(1);
      expect(s.interval.hitRatePct).toBe(75);
      expect(s.info.maxMemoryBytes).toBe(64 * 1024 * 1024);
      expect(s.info.maxmemoryPolicy).toBe('allkeys-lru');
      expect(s.memoryPct).toBeGreaterThan(0);
      expect(s.memoryPct).toBeLessThan(100);
      expect(s.info.connectedClients).toBeGreaterThanOrEqual(2);
      expect(s.intervalMs).toBeGreaterThanOrEqual(0);
    } finally {
      await src.close();
    }
  });

  it('LLM cache: counts keys under the pattern, share without TTL, sampled sizes', async () => {
    const p = r.pipeline();
    for (let i = 0; i < 30; i++) p.set(`llm:cache:exact:${i}`, 'x'.repeat(1000), 'EX', 3600);
    for (let i = 0; i < 10; i++) p.set(`llm:cache:semantic:${i}`, 'y'.repeat(1000)); // no TTL
    for (let i = 0; i < 25; i++) p.set(`other:${i}`, 'z');
    await p.exec();
    const src = createRedisSource({ url: h.url, sampleSize: 8 });
    try {
      const s = await collect(src);
      expect(s.cache).toMatchObject({ pattern: 'llm:cache:*', entries: 40, capped: false, withoutTtl: 10, sampled: 8 });
      expect(s.cache.withoutTtlPct).toBe(25);
      expect(s.cache.sampleAvgBytes).toBeGreaterThan(1000); // value plus Redis' per-key overhead
      expect(s.cache.estimatedBytes).toBeCloseTo(s.cache.sampleAvgBytes! * 40, 6);
      expect(s.problems).toEqual([]);
    } finally {
      await src.close();
    }
  });

  it('an empty pattern gives 0 entries and unknown shares, not made-up zeros', async () => {
    const src = createRedisSource({ url: h.url, keyPattern: 'nothing-here:*' });
    try {
      const s = await collect(src);
      expect(s.cache.entries).toBe(0);
      expect(s.cache.withoutTtlPct).toBeNull();
      expect(s.cache.sampleAvgBytes).toBeNull();
    } finally {
      await src.close();
    }
  });

  it('caps SCAN on a large keyspace and never uses KEYS', async () => {
    const total = 30_000;
    for (let b = 0; b < total; b += 5000) {
      const args: string[] = [];
      for (let i = b; i < b + 5000; i++) args.push(`big:${i}`, 'v');
      await r.mset(...args);
    }
    await r.config('RESETSTAT');
    const src = createRedisSource({ url: h.url, keyPattern: 'big:*', scanCap: 5_000 });
    try {
      const s = await collect(src);
      expect(s.cache.entries).toBe(5_000);
      expect(s.cache.capped).toBe(true);
      expect(s.cache.withoutTtlPct).toBe(100);
      const stats = await r.info('commandstats');
      expect(stats).toMatch(/cmdstat_scan:calls=\d+/);
      expect(stats).not.toMatch(/cmdstat_keys:/);
      // It stopped early: far fewer SCAN calls than a full pass of 30 000 keys at COUNT 1000 would need.
      const scans = Number(/cmdstat_scan:calls=(\d+)/.exec(stats)![1]);
      expect(scans).toBeLessThan(30);
    } finally {
      await src.close();
    }
  });

  it('counts evictions in the interval when maxmemory is hit', async () => {
    const small = await startRedis({ maxmemory: '2mb', maxmemoryPolicy: 'allkeys-lru' });
    const w = new Redis(small.url);
    const src = createRedisSource({ url: small.url });
    try {
      await collect(src);
      for (let i = 0; i < 200; i++) await w.set(`llm:cache:${i}`, 'e'.repeat(20_000), 'EX', 600);
      const s = await collect(src);
      expect(s.interval.evictedKeys).toBeGreaterThan(0);
      expect(s.info.maxmemoryPolicy).toBe('allkeys-lru');
      expect(s.cache.entries).toBeLessThan(200);
    } finally {
      w.disconnect();
      await src.close();
      await small.destroy();
    }
  });
});

describe('Redis source faults', () => {
  it('Redis restarted: one clear failure at most, then data again with counters from the new run', async () => {
    const h = await startRedis();
    const src = createRedisSource({ url: h.url, connectTimeoutMs: 2000 });
    try {
      await collect(src);
      await h.stop();
      const err = await collect(src).then(() => null, (e: Error) => e);
      expect(err?.name).toBe('SourceError');
      expect(err!.message).toMatch(/refused the connection|closed/);
      await h.start();
      const w = new Redis(h.url);
      await w.get('nope'); // one miss in the new run
      w.disconnect();
      const s = await collect(src);
      expect(s.interval.misses).toBe(1);
      expect(s.interval.hits).toBe(0);
      expect(s.interval.hitRatePct).toBe(0);
    } finally {
      await src.close();
      await h.destroy();
    }
  });

  it('a server that closes every connection: no reconnect storm between polls', async () => {
    let connections = 0;
    const srv: Server = createServer((sock: Socket) => {
      connections++;
      sock.destroy();
    });
    const port = await freePort();
    await new Promise<void>((res) => srv.listen(port, '127.0.0.1', res));
    const src = createRedisSource({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 1000 });
    try {
      await expect(collect(src)).rejects.toThrow(/Redis at 127\.0\.0\.1:\d+/);
      const after = connections;
      await new Promise((r) => setTimeout(r, 1500));
      expect(connections).toBe(after); // nothing reconnects on its own; the poller decides
      expect(after).toBeLessThanOrEqual(2);
    } finally {
      await src.close();
      srv.close();
    }
  });

  it('a server that accepts but never answers: rejects within the command timeout', async () => {
    const sockets: Socket[] = [];
    const srv = createServer((s) => sockets.push(s));
    const port = await freePort();
    await new Promise<void>((res) => srv.listen(port, '127.0.0.1', res));
    const src = createRedisSource({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 800, commandTimeoutMs: 800 });
    try {
      const t0 = Date.now();
      await expect(collect(src)).rejects.toThrow(/did not answer within 800 ms/);
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      await src.close();
      sockets.forEach((s) => s.destroy());
      srv.close();
    }
  });

  it('nothing listening: refused, as a SourceError', async () => {
    const src = createRedisSource({ url: `redis://127.0.0.1:${await freePort()}` });
    try {
      await expect(collect(src)).rejects.toThrow(/refused the connection/);
    } finally {
      await src.close();
    }
  });
});
