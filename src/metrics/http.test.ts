// Faults at the HTTP layer, against real local servers: refused, slow, huge, garbage, non-2xx.
import { afterEach, describe, expect, it } from 'vitest';
import { httpGetJson, httpGetText } from './http';
import { SourceError } from './source';
import { garbage, huge, slow, startServer, type TestServer } from './testing/http-servers';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const serve = async (h: TestServer['handler']) => {
  const s = await startServer(h);
  servers.push(s);
  return s;
};
const opts = { timeoutMs: 500, maxBytes: 10 * 1024 * 1024 };

describe('httpGetText', () => {
  it('says the connection was refused', async () => {
    const s = await startServer(() => undefined);
    await s.close();
    await expect(httpGetText(`${s.url}/metrics`, opts)).rejects.toThrow(/cannot connect to http:\/\/127\.0\.0\.1:\d+\/metrics: connection refused — is the service running/);
  });

  it('times out a slow endpoint with a clear message', async () => {
    const s = await serve(slow(5000));
    const started = Date.now();
    const err = await httpGetText(`${s.url}/metrics`, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(/did not answer within 0\.5 s \(timeout\)/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops reading a 50 MB body at the cap', async () => {
    const s = await serve(huge(50 * 1024 * 1024));
    const err = await httpGetText(`${s.url}/metrics`, { timeoutMs: 10_000, maxBytes: 10 * 1024 * 1024 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/sent more than the 10 MB cap; stopped reading/);
  });

  it('refuses a declared oversize body without reading it', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(20 * 1024 * 1024) });
      res.write('x');
    });
    await expect(httpGetText(`${s.url}/`, opts)).rejects.toThrow(/sent 20 MB, more than the 10 MB cap; not read/);
  });

  it('reports non-2xx with the status and the start of the body', async () => {
    const s = await serve((_req, res) => res.writeHead(503, 'Service Unavailable').end('  upstream\n down  '));
    await expect(httpGetText(`${s.url}/x`, opts)).rejects.toThrow(`${s.url}/x answered HTTP 503 Service Unavailable: upstream down`);
  });

  it('says when JSON was expected but garbage came', async () => {
    const s = await serve(garbage());
    await expect(httpGetJson(`${s.url}/api`, opts)).rejects.toThrow(/did not return JSON \(it starts with "<html><body>Welcome to nginx!/);
  });

  it('honours the caller signal and rejects bad URLs', async () => {
    const s = await serve(slow(5000));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(httpGetText(`${s.url}/`, { ...opts, timeoutMs: 5000, signal: ac.signal })).rejects.toThrow(/was cancelled/);
    await expect(httpGetText('not a url', opts)).rejects.toThrow(/"not a url" is not a valid URL/);
    await expect(httpGetText('file:///etc/passwd', opts)).rejects.toThrow(/not an http\(s\) URL/);
  });
});
