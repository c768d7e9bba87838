// What a CLI command may touch of the outside world, passed in so tests can run the CLI in
// process with their own cwd, streams and environment.

export interface OutStream {
  write(chunk: string): unknown;
}

export interface ErrStream extends OutStream {
  isTTY?: boolean;
}

export interface CliContext {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: OutStream;
  stderr: ErrStream;
  stdoutIsTTY: boolean;
  /** Folder with package.json and docs/ (the repository or the installed package). */
  packageRoot: string;
  version: string;
  /** Where docs/rules/*.md are published, from package.json `homepage`/`repository`, if any. */
  docsBaseUrl?: string;
}

/** A mistake in how the CLI was called: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
