// Local HTTP servers for the metrics tests, on 127.0.0.1 and a port the OS picks. Test-only.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const PROM_FIXTURES = join(__dirname, '../../../test/fixtures/prometheus');
export const promFixture = (name: string) => readFileSync(join(PROM_FIXTURES, name), 'utf8');

export interface TestServer {
  url: string;
  port: number;
  requests: number;
  /** Change behaviour at run time. */
  handler: (req: IncomingMessage, res: ServerResponse, n: number) => void;
  close(): Promise<void>;
}

export async function startServer(handler: TestServer['handler']): Promise<TestServer> {
  const sockets = new Set<import('node:net').Socket>();
  const state: TestServer = {
    url: '',
    port: 0,
    requests: 0,
    handler,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  };
  const srv: Server = createServer((req, res) => {
    state.requests++;
    try {
      state.handler(req, res, state.requests);
    } catch {
      res.destroy();
    }
  });
  srv.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  state.port = (srv.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  return state;
}

/** Serves the given bodies in turn on /metrics (the last one repeats). */
export function sequence(bodies: string[]): TestServer['handler'] {
  let i = 0;
  return (req, res) => {
    if (!req.url?.startsWith('/metrics')) return void res.writeHead(404).end('not found');
    const body = bodies[Math.min(i++, bodies.length - 1)];
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
  };
}

/** Answers after `ms` (or never, when the test closes first). */
export function slow(ms: number, body = 'up 1\n'): TestServer['handler'] {
  return (_req, res) => {
    const t = setTimeout(() => res.writeHead(200).end(body), ms);
    res.on('close', () => clearTimeout(t));
  };
}

/** Streams `bytes` of valid-looking metrics without a content-length. */
export function huge(bytes: number): TestServer['handler'] {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.from('padding_metric{a="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"} 1\n'.repeat(1500));
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (sent = bytes));
    pump();
  };
}

export function garbage(body = '<html><body>Welcome to nginx!</body></html>\n\u0000\u0001binary'): TestServer['handler'] {
  return (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(body);
}
