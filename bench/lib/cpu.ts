import { readFileSync } from 'node:fs';

/**
 * How much CPU other processes took while the bench ran: the machine's busy time (/proc/stat)
 * minus the CPU time of this process and of every child it has reaped (/proc/self/stat utime,
 * stime, cutime, cstime). Kernel work done in interrupts (loopback networking) is counted as the
 * machine's but not as ours, so a few percent of "other" is normal. Linux only; elsewhere undefined.
 */
export type CpuSnapshot = { busy: number; own: number; total: number };

export function cpuSnapshot(livePids: number[] = []): CpuSnapshot | undefined {
  try {
    const stat = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = stat;
    const busy = user + nice + system + irq + softirq + steal;
    const self = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
    let own = fields[11]! + fields[12]! + fields[13]! + fields[14]!; // utime stime cutime cstime
    // Children still running: their own utime + stime (once reaped, the same time moves to cutime/cstime).
    for (const pid of livePids) {
      try {
        const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
        own += f[11]! + f[12]!;
      } catch {
        // exited meanwhile
      }
    }
    return { busy, own, total: busy + idle + iowait };
  } catch {
    return undefined;
  }
}

/**
 * Between two snapshots: the share of ONE core that other processes used on average, and
 * the machine's total busy share. Pass the pids of the children running to both snapshots.
 */
export function otherCpu(start: CpuSnapshot | undefined, end: CpuSnapshot | undefined, cores: number): { otherCores: number; busyShare: number } | undefined {
  if (!start || !end || end.total === start.total) return undefined;
  const elapsedPerCore = (end.total - start.total) / cores;
  const other = Math.max(0, end.busy - start.busy - (end.own - start.own));
  return { otherCores: Math.round((other / elapsedPerCore) * 100) / 100, busyShare: Math.round(((end.busy - start.busy) / (end.total - start.total)) * 100) / 100 };
}
