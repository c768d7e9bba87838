// CPU time of a process from /proc/<pid>/stat (utime + stime, in clock ticks), to measure what
// the dashboard costs the extension host. Linux only; returns null elsewhere.
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** [ppid, cpu seconds] or null when the process is gone. */
function stat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), cpuSeconds: (Number(f[11]) + Number(f[12])) / TICKS };
  } catch {
    return null;
  }
}

function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** The pid of the extension host under `rootPid` (code-server forks it with `--type=extensionHost`). */
export function findExtensionHost(rootPid) {
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const parent = new Map(pids.map((p) => [p, stat(p)?.ppid]));
  const descends = (p) => {
    for (let q = p, i = 0; q && i < 50; q = parent.get(q), i++) if (q === rootPid) return true;
    return false;
  };
  const hosts = pids.filter((p) => descends(p) && /extensionHost/.test(cmdline(p)));
  return hosts[0] ?? null;
}

/** Average CPU use of `pid` (percent of one core) over `seconds`. */
export async function measureCpu(pid, seconds) {
  const a = stat(pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const b = stat(pid);
  if (!a || !b) return null;
  const wall = (performance.now() - t0) / 1000;
  return { pct: ((b.cpuSeconds - a.cpuSeconds) / wall) * 100, cpuSeconds: b.cpuSeconds - a.cpuSeconds, wallSeconds: wall };
}
