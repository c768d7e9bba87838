// Shared by the benchmark's child processes: each contender runs alone in its own process so
// its peak RSS (the kernel's high-water mark, getrusage maxrss) is its own.
import { readFileSync } from 'node:fs';

export async function runChild(work) {
  const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const started = performance.now();
  const extra = (await work(input)) ?? {};
  const ms = performance.now() - started;
  const maxRssMb = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB on Linux
  process.stdout.write('\n@@RESULT ' + JSON.stringify({ ms, maxRssMb, files: input.files.length, ...extra }) + '\n');
}
