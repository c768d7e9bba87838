// The built-in load generator: a steady request rate over the guide's routes so the metrics move.
// The mix keeps the slow generator rare (~2 %), as on a real platform, so the API p95 sits near
// the run route's tail rather than at the generator's seconds.
import http from 'node:http';

export const ROUTE_MIX: Array<{ weight: number; method: 'GET' | 'POST'; path: (rand: () => number) => string; body?: string }> = [
  { weight: 40, method: 'GET', path: () => '/api/v1/health' },
  { weight: 36, method: 'GET', path: () => '/api/v1/pipelines' },
  { weight: 22, method: 'POST', path: (r) => `/api/v1/pipelines/${1 + Math.floor(r() * 500)}/run` },
  { weight: 2, method: 'POST', path: () => '/api/v1/pipelines/generate', body: JSON.stringify({ intent: 'Generate SQL query' }) },
];

export interface LoadGenerator {
  readonly rps: number;
  setRps(rps: number): void;
  stop(): Promise<void>;
  /** Requests finished so far. */
  readonly completed: number;
  /** Requests sent and not answered yet. */
  readonly inFlight: number;
}

/** Other services' LLM traffic straight to the gateway, per backend request/s (keeps LLM KPIs populated). */
export const LLM_SHARE = 0.2;

export function startLoad(baseUrl: string, rps: number, opts: { maxInFlight?: number; rand?: () => number; llmUrl?: string } = {}): LoadGenerator {
  const rand = opts.rand ?? Math.random;
  const maxInFlight = opts.maxInFlight ?? 64;
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  const total = ROUTE_MIX.reduce((s, r) => s + r.weight, 0);
  let current = rps;
  let credit = 0;
  let inFlight = 0;
  let completed = 0;
  const pending = new Set<Promise<void>>();
  const tickMs = 50;

  let llmCredit = 0;
  const fire = (llm = false) => {
    let u = rand() * total;
    const r = llm
      ? { method: 'POST', url: `${opts.llmUrl}/v1/completions`, body: JSON.stringify({ prompt: `Explain pipeline ${Math.floor(rand() * 1e6)}` }) }
      : (() => {
          const x = ROUTE_MIX.find((m) => (u -= m.weight) < 0) ?? ROUTE_MIX[0];
          return { method: x.method, url: `${baseUrl}${x.path(rand)}`, body: x.body };
        })();
    inFlight++;
    const p = new Promise<void>((resolve) => {
      const req = http.request(r.url, { method: r.method, agent, headers: r.body ? { 'content-type': 'application/json' } : {} }, (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('error', resolve);
      });
      req.on('error', () => resolve());
      req.end(r.body);
    }).finally(() => {
      inFlight--;
      completed++;
      pending.delete(p);
    });
    pending.add(p);
  };

  const timer = setInterval(() => {
    credit += (current * tickMs) / 1000;
    while (credit >= 1) {
      credit -= 1;
      if (inFlight < maxInFlight) fire(); // shed load rather than pile up when the server is slow
    }
    if (opts.llmUrl) {
      llmCredit += (current * LLM_SHARE * tickMs) / 1000;
      while (llmCredit >= 1) {
        llmCredit -= 1;
        if (inFlight < maxInFlight) fire(true);
      }
    }
  }, tickMs);
  timer.unref();

  return {
    get rps() {
      return current;
    },
    get completed() {
      return completed;
    },
    get inFlight() {
      return inFlight;
    },
    setRps(n: number) {
      current = n;
    },
    async stop() {
      clearInterval(timer);
      current = 0;
      await Promise.race([Promise.allSettled([...pending]), new Promise((r) => setTimeout(r, 2000))]);
      agent.destroy();
    },
  };
}
