import { describe, expect, it } from 'vitest';
import { diffRedisInfo, parseRedisInfo, type RedisInfo } from './redis-info.js';

const INFO = [
  '# Server', 'redis_version:7.0.15', 'run_id:abc', 'uptime_in_seconds:42', '',
  '# Clients', 'connected_clients:3', '',
  '# Memory', 'used_memory:1048576', 'used_memory_peak:2097152', 'maxmemory:0', 'maxmemory_policy:noeviction', '',
  '# Stats', 'keyspace_hits:30', 'keyspace_misses:10', 'evicted_keys:0', 'expired_keys:5', '',
  '# Keyspace', 'db0:keys=12,expires=4,avg_ttl=1000', 'db3:keys=1,expires=0,avg_ttl=0', '',
].join('\r\n');

const at = (o: Partial<RedisInfo>): RedisInfo => ({ ...parseRedisInfo(INFO), ...o });

describe('parseRedisInfo', () => {
  it('reads the fields the KPIs need; maxmemory 0 means "no limit" (null), not 0 bytes', () => {
    const i = parseRedisInfo(INFO);
    expect(i).toMatchObject({
      runId: 'abc', version: '7.0.15', connectedClients: 3, usedMemoryBytes: 1048576, peakMemoryBytes: 2097152,
      maxMemoryBytes: null, maxmemoryPolicy: 'noeviction', keyspaceHits: 30, keyspaceMisses: 10, evictedKeys: 0,
    });
    expect(i.keysPerDb).toEqual({ db0: 12, db3: 1 });
  });

  it('leaves absent fields null', () => {
    const i = parseRedisInfo('# Server\nredis_version:6.2.0\n');
    expect(i.keyspaceHits).toBeNull();
    expect(i.usedMemoryBytes).toBeNull();
  });
});

describe('diffRedisInfo', () => {
  it('hit rate over the interval, not since boot', () => {
    const d = diffRedisInfo(at({ keyspaceHits: 30, keyspaceMisses: 10 }), at({ keyspaceHits: 33, keyspaceMisses: 19 }));
    expect(d).toMatchObject({ hits: 3, misses: 9, hitRatePct: 25 });
  });

  it('no previous sample or no lookups: unknown (null), not 0 %', () => {
    expect(diffRedisInfo(null, at({})).hitRatePct).toBeNull();
    expect(diffRedisInfo(at({}), at({})).hitRatePct).toBeNull();
  });

  it('a restart (new run_id) counts what is there now', () => {
    const d = diffRedisInfo(at({ runId: 'a', keyspaceHits: 100, keyspaceMisses: 0 }), at({ runId: 'b', keyspaceHits: 150, keyspaceMisses: 50 }));
    expect(d).toMatchObject({ hits: 150, misses: 50, hitRatePct: 75 });
  });

  it('CONFIG RESETSTAT (a drop in one counter) resets both', () => {
    const d = diffRedisInfo(at({ keyspaceHits: 100, keyspaceMisses: 2 }), at({ keyspaceHits: 1, keyspaceMisses: 3 }));
    expect(d).toMatchObject({ hits: 1, misses: 3, hitRatePct: 25 });
  });
});
