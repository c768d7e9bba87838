// Every HTTP call the metric sources make goes through here: a timeout, a response size cap
// enforced while streaming (a 50 MB body is cut off at the cap, not buffered), and errors
// rewritten into messages a user can act on.
import { SourceError } from './source';

export interface HttpOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
  headers?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

function describeNetworkError(url: string, err: unknown, timeoutMs: number, timedOut: boolean): string {
  if (timedOut) return `${url} did not answer within ${timeoutMs / 1000} s (timeout); is it overloaded or hanging?`;
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot connect to ${url}: connection refused — is the service running and listening on that port?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host of ${url} — check the URL`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `${url} closed the connection unexpectedly`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${url} is unreachable from this machine`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `${url} did not answer within ${timeoutMs / 1000} s (timeout)`;
    default:
      return `request to ${url} failed: ${cause?.message ?? (err instanceof Error ? err.message : String(err))}`;
  }
}

/** GET `url` and return its body as text. Throws SourceError with a clear message on any failure. */
export async function httpGetText(url: string, opts: HttpOptions): Promise<HttpResponse> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SourceError(`"${url}" is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new SourceError(`"${url}" is not an http(s) URL`);
  parsed.hash = '';
  const shown = parsed.toString();
  const timeout = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    timeout.abort(new Error('timeout'));
  }, opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout.signal]) : timeout.signal;
  const aborted = () => (opts.signal?.aborted && !timedOut ? new SourceError(`request to ${shown} was cancelled`) : null);
  try {
    let res: Response;
    try {
      res = await fetch(parsed, { signal, headers: opts.headers, redirect: 'follow' });
    } catch (err) {
      throw aborted() ?? new SourceError(describeNetworkError(shown, err, opts.timeoutMs, timedOut), { cause: err });
    }
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new SourceError(`${shown} sent ${mb(declared)}, more than the ${mb(opts.maxBytes)} cap; not read (raise metrics.maxResponseBytes if this is expected)`);
    }
    const text = await readCapped(res, shown, opts.maxBytes).catch((err: unknown) => {
      if (err instanceof SourceError) throw err;
      throw aborted() ?? new SourceError(describeNetworkError(shown, err, opts.timeoutMs, timedOut), { cause: err });
    });
    if (res.status < 200 || res.status > 299) {
      const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
      throw new SourceError(`${shown} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${snippet ? `: ${snippet}` : ''}`);
    }
    return { status: res.status, headers: res.headers, text };
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(res: Response, url: string, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new SourceError(`${url} sent more than the ${mb(maxBytes)} cap; stopped reading (raise metrics.maxResponseBytes if this is expected)`);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** GET JSON. A body that is not JSON gives a clear message quoting its start. */
export async function httpGetJson(url: string, opts: HttpOptions): Promise<{ json: unknown; headers: Headers }> {
  const res = await httpGetText(url, { ...opts, headers: { accept: 'application/json', ...opts.headers } });
  try {
    return { json: JSON.parse(res.text), headers: res.headers };
  } catch {
    const start = res.text.replace(/\s+/g, ' ').trim().slice(0, 80);
    throw new SourceError(`${url} did not return JSON (it starts with "${start}")`);
  }
}
