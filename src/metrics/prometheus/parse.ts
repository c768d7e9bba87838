// A parser for the Prometheus text exposition format 0.0.4 that tolerates OpenMetrics 1.0
// (`# EOF`, `# UNIT`, `_created` series, exemplars after ` # `, float-second timestamps) and the
// quoted metric names of Prometheus 3 (`{"my.metric",a="b"} 1`).
//
// Why hand-written: the npm parsers we tried drop what the KPI maths needs —
// `parse-prometheus-text-format` loses labels and the `_sum`/`_count` of labelled histograms, and
// the others either throw on the first bad line or ignore OpenMetrics. This parser keeps every
// sample flat (name, labels, value) and leaves grouping into histograms to math.ts.
//
// It never throws: a bad line becomes an entry in `errors` (with its line number) and is skipped,
// duplicates and oddities become `warnings`, and parsing stops at `maxSeries` samples with
// `truncated: true` so a hostile endpoint cannot exhaust memory.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'gaugehistogram' | 'info' | 'stateset' | 'unknown';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  /** May be NaN or ±Infinity, exactly as exposed. */
  value: number;
  /** Milliseconds since epoch, when the line carried a timestamp. */
  timestampMs?: number;
}

export interface ParseIssue {
  line: number;
  message: string;
}

export interface ParseResult {
  samples: Sample[];
  /** `# TYPE` per metric family name. */
  types: Map<string, MetricType>;
  help: Map<string, string>;
  units: Map<string, string>;
  errors: ParseIssue[];
  warnings: ParseIssue[];
  truncated: boolean;
  openMetrics: boolean;
}

export interface ParseOptions {
  /** Stop after this many samples (default 50 000). */
  maxSeries?: number;
  /** Stop recording issues after this many (default 100); the count still shows in the last one. */
  maxIssues?: number;
}

export const DEFAULT_MAX_SERIES = 50_000;

const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'gaugehistogram', 'info', 'stateset', 'unknown']);
const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parse a float the way Go's strconv.ParseFloat does for exposition values; null if invalid. */
export function parseValue(s: string): number | null {
  if (FLOAT.test(s)) return Number(s);
  switch (s.toLowerCase()) {
    case 'nan':
      return NaN;
    case '+inf':
    case 'inf':
    case '+infinity':
    case 'infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return null;
  }
}

/** Key identifying a series: name plus sorted labels. */
export function seriesKey(name: string, labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  let k = name;
  for (const l of keys) k += '\u0000' + l + '\u0001' + labels[l];
  return k;
}

class LineError extends Error {}

/** Cursor over one line. */
class Cursor {
  pos = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.pos >= this.s.length;
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  skipSpaces(): void {
    while (this.s[this.pos] === ' ' || this.s[this.pos] === '\t') this.pos++;
  }
  expect(c: string): void {
    if (this.s[this.pos] !== c) throw new LineError(`expected "${c}" at column ${this.pos + 1}, found ${this.describe()}`);
    this.pos++;
  }
  describe(): string {
    return this.done ? 'end of line' : `"${this.s.slice(this.pos, this.pos + 10)}"`;
  }
  name(): string {
    const start = this.pos;
    if (!NAME_START.test(this.peek())) throw new LineError(`expected a metric name at column ${this.pos + 1}, found ${this.describe()}`);
    while (!this.done && NAME_CHAR.test(this.peek())) this.pos++;
    return this.s.slice(start, this.pos);
  }
  /** A double-quoted string with \\, \" and \n escapes (unknown escapes are kept verbatim). */
  quoted(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      if (this.done) throw new LineError('unterminated quoted string');
      const c = this.s[this.pos++];
      if (c === '"') return out;
      if (c === '\\') {
        const e = this.s[this.pos++];
        if (e === undefined) throw new LineError('unterminated escape in quoted string');
        out += e === 'n' ? '\n' : e === '\\' || e === '"' ? e : '\\' + e;
      } else out += c;
    }
  }
  token(): string {
    const start = this.pos;
    while (!this.done && this.peek() !== ' ' && this.peek() !== '\t') this.pos++;
    return this.s.slice(start, this.pos);
  }
}

/**
 * Parse `{a="b",c="d"}` starting at `{`. Returns the labels and, for the Prometheus 3 quoted
 * form `{"metric.name",a="b"}`, the metric name found inside the braces.
 */
function parseLabels(cur: Cursor, allowName: boolean): { labels: Record<string, string>; name?: string; duplicate?: string } {
  cur.expect('{');
  const labels: Record<string, string> = Object.create(null);
  let name: string | undefined;
  let duplicate: string | undefined;
  for (;;) {
    cur.skipSpaces();
    if (cur.peek() === '}') {
      cur.pos++;
      break;
    }
    let label: string;
    if (cur.peek() === '"') {
      const q = cur.quoted();
      cur.skipSpaces();
      if (cur.peek() !== '=') {
        if (!allowName || name !== undefined) throw new LineError(`unexpected quoted string "${q}" in labels`);
        name = q;
        label = '';
      } else label = q;
    } else {
      const start = cur.pos;
      while (!cur.done && /[a-zA-Z0-9_]/.test(cur.peek())) cur.pos++;
      label = cur.s.slice(start, cur.pos);
      if (!LABEL_NAME.test(label)) throw new LineError(`invalid label name at column ${start + 1}, found ${cur.describe()}`);
    }
    if (label !== '') {
      cur.skipSpaces();
      cur.expect('=');
      cur.skipSpaces();
      const value = cur.quoted();
      if (label in labels) duplicate = label;
      labels[label] = value;
    }
    cur.skipSpaces();
    if (cur.peek() === ',') {
      cur.pos++;
      continue;
    }
    cur.skipSpaces();
    if (cur.peek() !== '}') throw new LineError(`expected "," or "}" in labels, found ${cur.describe()}`);
  }
  // Plain object without the null prototype so callers can spread/JSON it normally.
  return { labels: { ...labels }, name, duplicate };
}

function parseSample(line: string, openMetrics: boolean): { sample: Sample; warning?: string } {
  const cur = new Cursor(line);
  let name: string;
  let labels: Record<string, string> = {};
  let warning: string | undefined;
  if (cur.peek() === '{') {
    const r = parseLabels(cur, true);
    if (r.name === undefined) throw new LineError('sample has labels but no metric name');
    name = r.name;
    labels = r.labels;
    if (r.duplicate) warning = `label "${r.duplicate}" repeated; the last value is kept`;
  } else {
    name = cur.name();
    if (cur.peek() === '{') {
      const r = parseLabels(cur, false);
      labels = r.labels;
      if (r.duplicate) warning = `label "${r.duplicate}" repeated; the last value is kept`;
    }
  }
  if (cur.peek() !== ' ' && cur.peek() !== '\t') throw new LineError(`expected a space before the value, found ${cur.describe()}`);
  cur.skipSpaces();
  const rawValue = cur.token();
  const value = parseValue(rawValue);
  if (value === null) throw new LineError(`invalid value "${rawValue.slice(0, 40)}"`);
  const sample: Sample = { name, labels, value };
  cur.skipSpaces();
  if (!cur.done && cur.peek() !== '#') {
    const rawTs = cur.token();
    const ts = parseValue(rawTs);
    if (ts === null || !Number.isFinite(ts)) throw new LineError(`invalid timestamp "${rawTs.slice(0, 40)}"`);
    // 0.0.4 timestamps are integer milliseconds; OpenMetrics ones are (float) seconds.
    sample.timestampMs = openMetrics ? ts * 1000 : ts;
    cur.skipSpaces();
  }
  // OpenMetrics exemplar (` # {trace_id="..."} 1 [ts]`): validated loosely and dropped — the KPI
  // maths does not use exemplars and a malformed one must not cost us the sample.
  if (!cur.done && cur.peek() === '#') {
    cur.pos++;
    cur.skipSpaces();
    try {
      if (cur.peek() === '{') parseLabels(cur, false);
      cur.skipSpaces();
      if (parseValue(cur.token()) === null) warning = 'malformed exemplar ignored';
    } catch {
      warning = 'malformed exemplar ignored';
    }
    return { sample, warning };
  }
  if (!cur.done) throw new LineError(`unexpected text after the value: ${cur.describe()}`);
  return { sample, warning };
}

/** Parse an exposition body. Never throws. */
export function parsePrometheusText(text: string, options: ParseOptions = {}): ParseResult {
  const maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
  const maxIssues = options.maxIssues ?? 100;
  const result: ParseResult = {
    samples: [],
    types: new Map(),
    help: new Map(),
    units: new Map(),
    errors: [],
    warnings: [],
    truncated: false,
    openMetrics: false,
  };
  if (typeof text !== 'string') {
    result.errors.push({ line: 0, message: 'body is not text' });
    return result;
  }
  let issues = 0;
  const issue = (list: ParseIssue[], line: number, message: string) => {
    issues++;
    if (issues <= maxIssues) list.push({ line, message });
    else if (issues === maxIssues + 1) list.push({ line, message: 'too many problems; further ones are not listed' });
  };
  result.openMetrics = /^# EOF\s*$/m.test(text);
  const seen = new Set<string>();
  let lineNo = 0;
  let start = 0;
  let afterEof = false;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (afterEof) {
      issue(result.warnings, lineNo, 'content after "# EOF" ignored');
      break;
    }
    try {
      if (trimmed.startsWith('#')) {
        const m = /^#\s+(HELP|TYPE|UNIT|EOF)(?:\s+(\S+))?(?:\s(.*))?$/.exec(trimmed);
        if (!m) continue; // a plain comment
        const [, kw, metric, rest] = m;
        if (kw === 'EOF') {
          afterEof = true;
          continue;
        }
        if (!metric) {
          issue(result.errors, lineNo, `# ${kw} without a metric name`);
          continue;
        }
        if (kw === 'TYPE') {
          const t = (rest ?? '').trim().toLowerCase() as MetricType;
          if (!TYPES.has(t)) {
            issue(result.errors, lineNo, `unknown metric type "${(rest ?? '').trim().slice(0, 40)}" for ${metric}`);
            continue;
          }
          if (result.types.has(metric) && result.types.get(metric) !== t) issue(result.warnings, lineNo, `${metric} has a second # TYPE`);
          result.types.set(metric, t);
        } else if (kw === 'HELP') {
          result.help.set(metric, (rest ?? '').replace(/\\(\\|n)/g, (_, e: string) => (e === 'n' ? '\n' : '\\')));
        } else {
          result.units.set(metric, (rest ?? '').trim());
        }
        continue;
      }
      const { sample, warning } = parseSample(trimmed, result.openMetrics);
      if (warning) issue(result.warnings, lineNo, warning);
      const key = seriesKey(sample.name, sample.labels);
      if (seen.has(key)) {
        // Prometheus rejects the later sample of a duplicate series; so do we.
        issue(result.warnings, lineNo, `duplicate series ${sample.name}${formatLabels(sample.labels)}; the first value is kept`);
        continue;
      }
      if (result.samples.length >= maxSeries) {
        result.truncated = true;
        issue(result.warnings, lineNo, `more than ${maxSeries} series; the rest is ignored`);
        break;
      }
      seen.add(key);
      result.samples.push(sample);
    } catch (err) {
      const msg = err instanceof LineError ? err.message : `unparseable line (${err instanceof Error ? err.message : String(err)})`;
      issue(result.errors, lineNo, msg);
    }
  }
  return result;
}

export function formatLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}
