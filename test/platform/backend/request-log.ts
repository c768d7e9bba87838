// A rolling window of finished requests: what the guide's MetricsService.get_api_metrics()
// computes from its api_metrics table (avg_duration, requests_per_minute, error_rate).

export interface RequestRecord {
  at: number;
  route: string;
  ms: number;
  status: number;
}

export class RequestLog {
  private records: RequestRecord[] = [];
  constructor(private readonly windowMs = 60 * 60_000, private readonly maxRecords = 200_000) {}

  add(r: RequestRecord): void {
    this.records.push(r);
    if (this.records.length > this.maxRecords) this.records.splice(0, this.records.length - this.maxRecords);
  }

  /** Figures over the window (or the part of it since start); null when there were no requests. */
  stats(now = Date.now(), route?: string) {
    const from = now - this.windowMs;
    const i = this.records.findIndex((r) => r.at >= from);
    if (i > 0) this.records.splice(0, i);
    const rs = route ? this.records.filter((r) => r.route === route) : this.records;
    if (!rs.length) return { count: 0, avg_duration: null, p95_duration: null, requests_per_minute: 0, error_rate: null };
    const sorted = rs.map((r) => r.ms).sort((a, b) => a - b);
    const spanMin = Math.max(1 / 60, (now - Math.max(from, rs[0].at)) / 60_000);
    return {
      count: rs.length,
      avg_duration: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
      p95_duration: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]),
      requests_per_minute: round(rs.length / spanMin),
      error_rate: round((100 * rs.filter((r) => r.status >= 500).length) / rs.length, 4),
    };
  }
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
