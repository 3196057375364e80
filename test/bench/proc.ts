/**
 * What Linux says about another process: /proc/<pid>/io, status and stat. Read from outside
 * so the process under test does no extra work to be measured.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface IoCounters {
  /** Bytes passed to write-like syscalls: files, sockets, pipes alike. */
  wchar: number;
  /** Bytes this process caused to be sent to the storage layer (page cache writeback). */
  writeBytes: number;
  /** Write-like syscalls made. */
  syscw: number;
}

export function readIo(pid: number): IoCounters {
  const text = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1]);
  return { wchar: field('wchar'), writeBytes: field('write_bytes'), syscw: field('syscw') };
}

/** Resident set size (VmRSS), MiB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

const CLOCK_TICKS = clockTicks();

/** utime + stime, seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm)": state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** The soft and hard "Max open files" of this process (children inherit them). */
export function openFileLimits(): { soft: number; hard: number } {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  const value = (s: string | undefined) =>
    s === 'unlimited' ? Number.POSITIVE_INFINITY : Number(s);
  return { soft: value(match?.[1]), hard: value(match?.[2]) };
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
