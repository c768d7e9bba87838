// The services harness itself: the shared instances answer, roles and the extension are set up
// as documented, and private instances restart and come back.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import Redis from 'ioredis';
import { sharedPostgres, sharedRedis } from '../support/services.js';
import { startPostgres } from '../support/postgres.js';
import { startRedis } from '../support/redis.js';
import { binary, INSTALL_HINT } from '../support/binaries.js';

async function one<T = Record<string, unknown>>(url: string, sql: string): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows[0] as T;
  } finally {
    await c.end();
  }
}

describe('shared Postgres', () => {
  const pgi = sharedPostgres();

  it('preloads pg_stat_statements and has the extension in the main database only', async () => {
    const r = await one<{ spl: string }>(pgi.url('admin'), `SELECT current_setting('shared_preload_libraries') AS spl`);
    expect(r.spl).toContain('pg_stat_statements');
    const inMain = await one<{ n: number }>(pgi.url('admin'), `SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pg_stat_statements'`);
    expect(inMain.n).toBe(1);
    const inNoExt = await one<{ n: number }>(pgi.url('admin', pgi.noExtDatabase), `SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pg_stat_statements'`);
    expect(inNoExt.n).toBe(0);
  });

  it('has a pg_monitor role and a plain role that is not a member', async () => {
    const m = await one<{ member: boolean }>(pgi.url('monitor'), `SELECT pg_has_role(current_user, 'pg_monitor', 'member') AS member`);
    expect(m.member).toBe(true);
    const p = await one<{ member: boolean }>(pgi.url('plain'), `SELECT pg_has_role(current_user, 'pg_monitor', 'member') AS member`);
    expect(p.member).toBe(false);
  });

  it('refuses a wrong password (host auth is scram, not trust)', async () => {
    const bad = pgi.url('plain').replace('plain-secret', 'nope');
    await expect(one(bad, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });
});

describe('shared Redis', () => {
  it('answers PING and keeps nothing on disk', async () => {
    const r = new Redis(sharedRedis().url, { lazyConnect: true });
    await r.connect();
    try {
      expect(await r.ping()).toBe('PONG');
      expect(await r.config('GET', 'save')).toEqual(['save', '']);
    } finally {
      r.disconnect();
    }
  });
});

describe('private instances', () => {
  it('Postgres restarts and accepts connections again', async () => {
    const p = await startPostgres();
    try {
      await p.restart('immediate');
      expect((await one<{ x: number }>(p.url('admin'), 'SELECT 1 AS x')).x).toBe(1);
      await p.stop();
      await expect(one(p.url('admin'), 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
      await p.start();
      expect((await one<{ x: number }>(p.url('admin'), 'SELECT 2 AS x')).x).toBe(2);
    } finally {
      await p.destroy();
    }
  });

  it('Redis restarts on the same port and loses its data (no persistence)', async () => {
    const h = await startRedis();
    try {
      const r = new Redis(h.url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
      await r.connect();
      await r.set('k', 'v');
      r.disconnect();
      await h.restart();
      const r2 = new Redis(h.url, { lazyConnect: true });
      await r2.connect();
      expect(await r2.get('k')).toBeNull();
      r2.disconnect();
    } finally {
      await h.destroy();
    }
  });
});

describe('missing binaries', () => {
  it('fail with the apt-get command that installs them', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => binary('redis-server')).toThrow(`redis-server not found on PATH. Install it: ${INSTALL_HINT}`);
      expect(INSTALL_HINT).toBe('apt-get install -y postgresql redis-server prometheus');
    } finally {
      process.env.PATH = path;
    }
  });
});
