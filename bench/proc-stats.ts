/** What /proc says about another process: the benchmarks measure gateways and redis-server from outside. */
import { readFileSync } from 'node:fs';

/** user + system CPU seconds of a process so far (/proc/<pid>/stat fields 14 and 15, in clock ticks). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}
