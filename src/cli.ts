// Entry of the `perf-insights` binary (bundled to dist/cli.js, started by bin/perf-insights.js).
import { main } from './cli/main.js';

// Set the exit code rather than calling process.exit so piped stdout is flushed first.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`perf-insights: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 3;
  },
);
