// Shared by the benchmark's child processes: each contender runs alone in its own process so
// its peak RSS (the kernel's high-water mark, getrusage maxrss) is its own.
import { readFileSync } from 'node:fs';

export async function runChild(work) {
  const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const extra = (await work(input)) ?? {};
  const ms = performance.now() - started;
  // CPU time (user + system) of this process: on a busy shared machine wall time mostly
  // measures waiting for a core, CPU time the work itself.
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssMb = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB on Linux
  process.stdout.write('\n@@RESULT ' + JSON.stringify({ ms, cpuMs, maxRssMb, files: input.files.length, ...extra }) + '\n');
}
