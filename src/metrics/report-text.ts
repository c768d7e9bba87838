// The KPI report as plain text for a terminal: the KPI table with statuses, then routes, slowest
// queries, connections, unused indexes, LLM providers and cache, and the state of each source.
import { KPI_DEFINITIONS } from './kpis';
import type { Kpi, KpiReport } from './types';

const ESC = '\u001b[';
const paint = (on: boolean, code: string, s: string) => (on ? `${ESC}${code}m${s}${ESC}0m` : s);
const STATUS_COLOR: Record<Kpi['status'], string> = { ok: '32', warning: '33', critical: '31', unknown: '90' };

function num(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  if (abs !== 0 && abs < 0.01) return v.toPrecision(2);
  return v.toFixed(abs >= 100 ? 0 : digits);
}

export function formatValue(v: number | null, unit: 'ms' | '%'): string {
  if (v === null) return '—';
  if (unit === '%') return `${num(v, v < 10 ? 2 : 1)} %`;
  return v >= 10_000 ? `${num(v / 1000, 1)} s` : `${num(v, v < 1 ? 2 : 1)} ms`;
}

function table(rows: string[][], align: Array<'l' | 'r'> = []): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => visible(r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => pad(cell, widths[i], align[i] ?? 'l')).join('  ').trimEnd()).join('\n') + '\n';
}
// eslint-disable-next-line no-control-regex
const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
const pad = (s: string, w: number, a: 'l' | 'r') => {
  const fill = ' '.repeat(Math.max(0, w - visible(s).length));
  return a === 'r' ? fill + s : s + fill;
};

export function formatKpisText(r: KpiReport, opts: { color?: boolean } = {}): string {
  const color = opts.color ?? false;
  const bold = (s: string) => paint(color, '1', s);
  let out = `${bold('Platform KPIs')}  ${r.at}  (interval ${num(r.intervalMs / 1000)} s)\n\n`;
  const rows = [['KPI', 'VALUE', 'TARGET', 'CRITICAL', 'STATUS', 'SOURCE']];
  const notes: string[] = [];
  for (const k of r.kpis) {
    const def = KPI_DEFINITIONS[k.id];
    const cmp = def.higherIsBetter ? ['>', '<'] : ['<', '>'];
    const value = (k.approximate ? '≈ ' : '') + formatValue(k.value, k.unit);
    const status = paint(color, STATUS_COLOR[k.status], k.status + (k.approximate ? ' (approx.)' : ''));
    rows.push([def.label, value, `${cmp[0]} ${formatValue(k.target, k.unit)}`, `${cmp[1]} ${formatValue(k.critical, k.unit)}`, status, k.source ?? '—']);
    if (k.reason) notes.push(`  ${def.label}: ${k.reason}`);
  }
  out += table(rows, ['l', 'r', 'r', 'r', 'l', 'l']);
  if (notes.length) out += `\n${bold('Notes')}\n${notes.join('\n')}\n`;

  if (r.routes.length) {
    out += `\n${bold('Routes')} (over the interval)\n`;
    const rr = [['SERVICE', 'METHOD', 'ROUTE', 'REQ/S', 'P95', 'AVG', 'ERRORS']];
    for (const x of r.routes.slice(0, 20)) rr.push([x.service, x.method, x.route, num(x.rps, 2), formatValue(x.p95Ms, 'ms'), formatValue(x.avgMs, 'ms'), formatValue(x.errorRatePct, '%')]);
    out += table(rr, ['l', 'l', 'l', 'r', 'r', 'r', 'r']);
    if (r.routes.length > 20) out += `  … ${r.routes.length - 20} more routes (use --format json)\n`;
  }

  out += `\n${bold('Slowest queries')} (over the interval)\n`;
  if (r.slowQueries.length) {
    const q = [['CALLS', 'MEAN', 'TOTAL', 'ROWS/CALL', 'QUERY']];
    for (const s of r.slowQueries.slice(0, 10)) q.push([String(s.calls), formatValue(s.meanMs, 'ms'), formatValue(s.totalMs, 'ms'), num(s.rowsPerCall), s.query.replace(/\s+/g, ' ').slice(0, 100)]);
    out += table(q, ['r', 'r', 'r', 'r', 'l']);
  } else out += '  none measured (needs Postgres with pg_stat_statements; see sources)\n';

  if (r.connections) {
    const c = r.connections;
    out += `\n${bold('Connections')}  active ${num(c.active, 0)}, idle ${num(c.idle, 0)}, idle in transaction ${num(c.idleInTransaction, 0)}, waiting ${num(c.waiting, 0)}, max ${num(c.max, 0)}\n`;
  }
  if (r.unusedIndexes.length) {
    out += `\n${bold('Unused indexes')} (idx_scan = 0)\n`;
    out += table([['TABLE', 'INDEX', 'SIZE'], ...r.unusedIndexes.slice(0, 10).map((i) => [i.table, i.index, `${num(i.sizeBytes / 1024, 0)} kB`])], ['l', 'l', 'r']);
  }

  if (r.llm.providers.length) {
    out += `\n${bold('LLM providers')}\n`;
    out += table([['PROVIDER', 'P95', 'AVG', 'TOKENS/S'], ...r.llm.providers.map((p) => [p.provider, formatValue(p.p95Ms, 'ms'), formatValue(p.avgMs, 'ms'), num(p.tokensPerSec)])], ['l', 'r', 'r', 'r']);
  }
  const c = r.llm.cache;
  out += `\n${bold('LLM cache')}  `;
  out += c
    ? `hit rate ${formatValue(c.hitRatePct, '%')} (exact ${num(c.exactHits, 0)}, semantic ${num(c.semanticHits, 0)}, misses ${num(c.misses, 0)}), entries ${num(c.entries, 0)}, without TTL ${formatValue(c.withoutTtlPct, '%')}, memory ${c.memoryMb === null ? '—' : `${num(c.memoryMb, 2)} MB`}\n`
    : 'no data (LLM gateway /metrics, the platform API or Redis)\n';

  out += `\n${bold('Sources')}\n`;
  for (const s of r.sources) {
    const state = paint(color, s.state === 'ok' ? '32' : s.state === 'failing' ? '31' : '90', s.state.padEnd(8));
    out += `  ${state} ${s.id}${s.message ? ` — ${s.message}` : ''}\n`;
  }
  return out;
}
