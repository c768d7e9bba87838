// Slow statement → the code that issues it: analysis findings carry the libpg_query
// fingerprint of their SQL (`sqlFingerprint`), the Postgres source computes the same for
// pg_stat_statements rows, so equal fingerprints mean the same statement shape.
import type { Finding } from '../analysis/types';

export interface CodeLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  message: string;
}

/** Locations per fingerprint, de-duplicated (several rules may flag the same call). */
export function locationsByFingerprint(findings: readonly Finding[]): Map<string, CodeLocation[]> {
  const out = new Map<string, CodeLocation[]>();
  for (const f of findings) {
    if (!f.sqlFingerprint) continue;
    const list = out.get(f.sqlFingerprint) ?? [];
    if (!list.some((l) => l.file === f.file && l.line === f.line && l.column === f.column)) {
      list.push({ file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, rule: f.rule, message: f.message });
    }
    out.set(f.sqlFingerprint, list);
  }
  return out;
}
