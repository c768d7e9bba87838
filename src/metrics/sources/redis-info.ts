// Redis INFO: parse the text reply and turn two replies into interval figures. Counters reset on
// a restart (new run_id) or CONFIG RESETSTAT; like Prometheus' rate(), a drop means "count what
// is there now".

export interface RedisInfo {
  runId: string | null;
  version: string | null;
  uptimeSeconds: number | null;
  keyspaceHits: number | null;
  keyspaceMisses: number | null;
  usedMemoryBytes: number | null;
  peakMemoryBytes: number | null;
  /** null when no limit is set (maxmemory 0). */
  maxMemoryBytes: number | null;
  maxmemoryPolicy: string | null;
  evictedKeys: number | null;
  expiredKeys: number | null;
  connectedClients: number | null;
  /** Keys per logical database (db0 → n), from the Keyspace section. */
  keysPerDb: Record<string, number>;
}

/** INFO text → fields. Unknown or absent fields stay null (never a made-up 0). */
export function parseRedisInfo(text: string): RedisInfo {
  const kv = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    if (!raw || raw.startsWith('#')) continue;
    const i = raw.indexOf(':');
    if (i > 0) kv.set(raw.slice(0, i), raw.slice(i + 1).trim());
  }
  const num = (k: string) => {
    const v = kv.get(k);
    if (v === undefined || v === '') return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  };
  const keysPerDb: Record<string, number> = {};
  for (const [k, v] of kv) {
    const m = /^db(\d+)$/.exec(k);
    const keys = m ? /(?:^|,)keys=(\d+)/.exec(v) : null;
    if (m && keys) keysPerDb[k] = Number(keys[1]);
  }
  const max = num('maxmemory');
  return {
    runId: kv.get('run_id') ?? null,
    version: kv.get('redis_version') ?? null,
    uptimeSeconds: num('uptime_in_seconds'),
    keyspaceHits: num('keyspace_hits'),
    keyspaceMisses: num('keyspace_misses'),
    usedMemoryBytes: num('used_memory'),
    peakMemoryBytes: num('used_memory_peak'),
    maxMemoryBytes: max ? max : null,
    maxmemoryPolicy: kv.get('maxmemory_policy') ?? null,
    evictedKeys: num('evicted_keys'),
    expiredKeys: num('expired_keys'),
    connectedClients: num('connected_clients'),
    keysPerDb,
  };
}

export interface RedisInterval {
  hits: number | null;
  misses: number | null;
  /** Keyspace hit rate over the interval; null without lookups or without a previous sample. */
  hitRatePct: number | null;
  evictedKeys: number | null;
}

export function diffRedisInfo(prev: RedisInfo | null, cur: RedisInfo): RedisInterval {
  if (!prev) return { hits: null, misses: null, hitRatePct: null, evictedKeys: null };
  const restarted = prev.runId !== null && cur.runId !== null && prev.runId !== cur.runId;
  const delta = (a: number | null, b: number | null) => {
    if (a === null || b === null) return null;
    return restarted || b < a ? b : b - a;
  };
  const hits = delta(prev.keyspaceHits, cur.keyspaceHits);
  const misses = delta(prev.keyspaceMisses, cur.keyspaceMisses);
  // A stats reset hits both counters at once; if only one dropped, treat both as reset.
  const reset = !restarted && ((cur.keyspaceHits ?? 0) < (prev.keyspaceHits ?? 0) || (cur.keyspaceMisses ?? 0) < (prev.keyspaceMisses ?? 0));
  const h = reset ? cur.keyspaceHits : hits;
  const m = reset ? cur.keyspaceMisses : misses;
  const total = (h ?? 0) + (m ?? 0);
  return {
    hits: h,
    misses: m,
    hitRatePct: h !== null && m !== null && total > 0 ? (100 * h) / total : null,
    evictedKeys: delta(prev.evictedKeys, cur.evictedKeys),
  };
}
