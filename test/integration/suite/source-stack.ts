// Maps positions in the suite's bundle back to the .ts sources in failure stacks. Node's
// --enable-source-maps does not help here: VS Code's extension host installs its own
// Error.prepareStackTrace. node:module's SourceMap reads the map esbuild writes beside the bundle.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

const maps = new Map<string, SourceMap | null>();

function mapFor(file: string): SourceMap | null {
  if (!maps.has(file)) {
    let map: SourceMap | null = null;
    try {
      if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null; // an unreadable map only costs the mapping
    }
    maps.set(file, map);
  }
  return maps.get(file) ?? null;
}

/** Rewrites `(…/dist/x.js:L:C)` frames to `(src/y.ts:L:C)`, relative to `root`; other frames stay. */
export function mapStack(stack: string, root: string): string {
  return stack.replace(/((?:\/|[A-Za-z]:\\)?[^\s()]+\.js):(\d+):(\d+)/g, (whole, file: string, line: string, col: string) => {
    const abs = resolve(root, file);
    if (!abs.startsWith(resolve(root, 'dist'))) return whole;
    const entry = mapFor(abs)?.findEntry(Number(line) - 1, Number(col) - 1) as
      | { originalSource?: string; originalLine?: number; originalColumn?: number }
      | undefined;
    if (!entry?.originalSource || entry.originalLine === undefined) return whole;
    const source = resolve(dirname(abs), entry.originalSource.replace(/^file:\/\//, ''));
    return `${relative(root, source)}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  });
}
