// SARIF 2.1.0 output (`--format sarif`) for GitHub code scanning and SARIF viewers.
// node-sarif-builder lays out the log, runs, artifacts and rule indexes; we add what code
// scanning uses on top: rule help (markdown + URI), default levels, tags, related locations,
// %SRCROOT%-relative URIs, stable partial fingerprints and parse errors as notifications.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { Location, Notification, ReportingDescriptor, Result } from 'sarif';
import type { Finding, Severity } from '../analysis/types.js';
import { relativePath, type AnalysisReport, type RuleInfo } from './report.js';

export interface SarifOptions {
  /** Folder holding `docs/rules/*.md` (the package root). */
  packageRoot: string;
  /** Base URL the rule docs are published under (helpUri = base + docsPath); else a file URI. */
  docsBaseUrl?: string;
  /** Reads a file's text, for fingerprints; defaults to the file system. */
  readSource?: (file: string) => string | undefined;
}

const SRCROOT = '%SRCROOT%';
const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };
const INFORMATION_URI = 'https://www.npmjs.com/package/perf-insights';

export function formatSarif(report: AnalysisReport, opts: SarifOptions): string {
  const builder = new SarifBuilder();
  const run = new SarifRunBuilder().initSimple({ toolDriverName: 'perf-insights', toolDriverVersion: report.toolVersion, url: INFORMATION_URI });
  for (const rule of report.rules) run.addRule(new SarifRuleBuilder(ruleDescriptor(rule, opts)));

  const read = opts.readSource ?? readSource;
  const sources = new Map<string, string[] | undefined>();
  const linesOf = (file: string) => {
    if (!sources.has(file)) sources.set(file, read(file)?.split(/\r?\n/));
    return sources.get(file);
  };
  const seen = new Map<string, number>();
  for (const f of report.findings) {
    const result = new SarifResultBuilder().initSimple({
      level: LEVEL[f.severity],
      messageText: f.message,
      ruleId: f.rule,
      fileUri: relativePath(report.root, f.file),
      startLine: f.line,
      startColumn: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
    });
    const r = result.result;
    r.locations![0].physicalLocation!.artifactLocation!.uriBaseId = SRCROOT;
    if (f.related.length) {
      r.relatedLocations = f.related.map((rel, i): Location => ({
        id: i + 1,
        physicalLocation: {
          artifactLocation: { uri: relativePath(report.root, rel.file), uriBaseId: SRCROOT },
          region: { startLine: rel.line, startColumn: rel.column, endLine: rel.endLine, endColumn: rel.endColumn },
        },
        message: { text: rel.message },
      }));
    }
    r.partialFingerprints = { 'perfInsightsFinding/v1': fingerprint(report.root, f, linesOf(f.file), seen) };
    r.properties = { orm: f.orm, messageId: f.messageId, ...(f.sqlFingerprint ? { sqlFingerprint: f.sqlFingerprint } : {}) };
    run.addResult(result);
  }

  const runObj = run.run;
  runObj.columnKind = 'utf16CodeUnits'; // ts-morph columns count UTF-16 code units
  runObj.originalUriBaseIds = { [SRCROOT]: { uri: pathToFileURL(report.root).href.replace(/\/?$/, '/') } };
  runObj.invocations = [
    {
      executionSuccessful: true,
      toolExecutionNotifications: report.parseErrors.map(
        (p): Notification => ({
          level: 'warning',
          message: { text: `Skipped: ${p.message}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: relativePath(report.root, p.file), uriBaseId: SRCROOT } } }],
        }),
      ),
    },
  ];
  builder.addRun(run);
  const log = builder.buildSarifOutput();
  for (const artifact of log.runs[0].artifacts ?? []) if (artifact.location) artifact.location.uriBaseId = SRCROOT;
  return JSON.stringify(log, null, 2) + '\n';
}

function ruleDescriptor(rule: RuleInfo, opts: SarifOptions): ReportingDescriptor {
  const docsFile = join(opts.packageRoot, rule.docsPath);
  const markdown = readSource(docsFile);
  const helpUri = opts.docsBaseUrl ? new URL(rule.docsPath, opts.docsBaseUrl.replace(/\/?$/, '/')).href : pathToFileURL(docsFile).href;
  return {
    id: rule.id,
    name: rule.id.replace(/-(\w)/g, (_, ch: string) => ch.toUpperCase()),
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.description },
    helpUri,
    help: { text: `${rule.description} See ${helpUri}`, ...(markdown ? { markdown } : {}) },
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
    properties: { tags: ['performance', 'database'], precision: 'medium', 'problem.severity': rule.defaultSeverity === 'info' ? 'recommendation' : rule.defaultSeverity },
  };
}

/**
 * Stable across unrelated edits: rule, file, message id and the trimmed text of the line, not
 * the line number; identical keys in one file are told apart by their order.
 */
function fingerprint(root: string, f: Finding, lines: string[] | undefined, seen: Map<string, number>): string {
  const lineText = (lines?.[f.line - 1] ?? '').replace(/\s+/g, ' ').trim();
  const key = [f.rule, relativePath(root, f.file), f.messageId, lineText].join('\u0000');
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
  const n = (seen.get(hash) ?? 0) + 1;
  seen.set(hash, n);
  return `${hash}:${n}`;
}

function readSource(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
