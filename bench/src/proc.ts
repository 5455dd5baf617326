import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of `/proc/<pid>/stat` times (`getconf CLK_TCK`, 100 when it cannot be asked). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * User + system CPU seconds a process has used so far, from `/proc/<pid>/stat` (fields 14 and 15);
 * null when the process is gone or not readable (another user's, or not Linux).
 */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields after it start at the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / clockTicks();
  } catch {
    return null;
  }
}

/** Peak resident memory (`VmHWM`) of a process, MiB; null when it cannot be read. */
export function peakRssMiB(pid: number): number | null {
  return statusMiB(pid, 'VmHWM:');
}

/** Current resident memory (`VmRSS`) of a process, MiB; null when it cannot be read. */
export function rssMiB(pid: number): number | null {
  return statusMiB(pid, 'VmRSS:');
}

function statusMiB(pid: number, field: string): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field));
    if (!line) return null;
    return Math.round(Number(line.replace(/[^0-9]/g, '')) / 1024);
  } catch {
    return null;
  }
}

/** CPU seconds used by a set of processes between two moments; missing "before" counts from 0 (the process is new). */
export class CpuMeter {
  private readonly before = new Map<number, number>();

  constructor(private readonly pids: () => number[]) {
    for (const pid of pids()) {
      const s = cpuSeconds(pid);
      if (s !== null) this.before.set(pid, s);
    }
  }

  /** CPU seconds used since construction by the processes `pids()` names now, rounded to 10 ms. */
  elapsed(): number {
    let total = 0;
    for (const pid of this.pids()) {
      const s = cpuSeconds(pid);
      if (s !== null) total += s - (this.before.get(pid) ?? 0);
    }
    return Math.round(total * 100) / 100;
  }
}

/** The machine a run happened on, for the report. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  /** 1-minute load average when the run started and ended: above `cores`, other work competed for the CPU. */
  loadAverageStart: number;
  loadAverageEnd?: number;
}

/** What this machine is, now. */
export function machineInfo(): MachineInfo {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverageStart: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/** The 1-minute load average, two decimals. */
export function loadAverage(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}
