// Loads libpg_query (the Postgres parser compiled to WASM) once per process. Emscripten finds
// `libpg-query.wasm` next to the script that contains its loader: node_modules/libpg-query/wasm
// from source, dist/ in the bundle (esbuild.mjs copies the file there).
import { loadModule, parseSync, fingerprintSync, normalizeSync } from 'libpg-query';

let loading: Promise<void> | undefined;
let loaded = false;

/** Loads the WASM parser; safe to call many times and concurrently. */
export function initSql(): Promise<void> {
  loading ??= loadModule().then(
    () => {
      loaded = true;
    },
    (err: unknown) => {
      loading = undefined; // allow a retry after e.g. a missing wasm file is restored
      throw new Error(`Could not load the SQL parser (libpg-query.wasm): ${err instanceof Error ? err.message : String(err)}`);
    },
  );
  return loading;
}

export function isSqlReady(): boolean {
  return loaded;
}

export const NOT_READY = 'SQL parser not loaded: await initSql() first';

export interface ParseFailure {
  message: string;
  /** 0-based character offset of the error in the parsed text, when libpg_query reports one. */
  position?: number;
}

export function parseOrError(text: string): { tree: unknown } | { error: ParseFailure } {
  if (!loaded) return { error: { message: NOT_READY } };
  try {
    return { tree: parseSync(text) };
  } catch (err) {
    const details = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    return { error: { message: err instanceof Error ? err.message : String(err), position: details?.cursorPosition } };
  }
}

export function fingerprintOrUndefined(text: string): string | undefined {
  if (!loaded) return undefined;
  try {
    // The binding returns some errors (e.g. for empty input) as the result string.
    const fp = fingerprintSync(text);
    return /^[0-9a-f]{16}$/.test(fp) ? fp : undefined;
  } catch {
    return undefined;
  }
}

export function normalizeOrUndefined(text: string): string | undefined {
  if (!loaded) return undefined;
  try {
    return normalizeSync(text);
  } catch {
    return undefined;
  }
}
