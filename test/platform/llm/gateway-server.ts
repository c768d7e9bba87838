// HTTP face of the LLM gateway: POST /v1/completions, GET /metrics, GET /health.
import { createServer, type Server } from 'node:http';
import { readJson, sendJson } from '../http-util.js';
import type { LlmGateway } from './gateway.js';

export function createGatewayServer(gw: LlmGateway): Server {
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    try {
      if (req.method === 'GET' && url.pathname === '/metrics') {
        const text = await gw.registry.metrics();
        res.writeHead(200, { 'content-type': gw.registry.contentType });
        return res.end(text);
      }
      if (req.method === 'GET' && url.pathname === '/health') return sendJson(res, 200, { status: 'ok', cache: gw.storeKind });
      if (req.method === 'GET' && url.pathname === '/v1/cache/stats') return sendJson(res, 200, { ...gw.cacheStats(), providers: gw.providerStats() });
      if (req.method === 'POST' && url.pathname === '/v1/completions') {
        const body = (await readJson(req)) as { prompt?: unknown; provider?: unknown };
        const prompt = typeof body.prompt === 'string' ? body.prompt : '';
        if (!prompt) return sendJson(res, 400, { error: 'prompt (string) is required' });
        const out = await gw.complete(prompt, typeof body.provider === 'string' ? body.provider : undefined);
        return sendJson(res, 200, out);
      }
      sendJson(res, 404, { error: `no route ${req.method} ${url.pathname}` });
    } catch (e) {
      sendJson(res, 500, { error: (e as Error).message });
    }
  });
}
