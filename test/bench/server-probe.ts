/**
 * Bytes the server process writes, split into network and files: `wchar` from
 * /proc/<pid>/io counts every write syscall (files, sockets, pipes), and the bench hook in
 * the server (server-hook.ts) counts what went to TCP sockets. What remains is files (plus
 * the server's stdout/stderr, which is quiet while the bench runs).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { readIo } from './proc.ts';
import type { TcpBytes } from './server-hook.ts';

export interface WriteSample {
  wchar: number;
  writeBytes: number;
  syscw: number;
  tcpAll: number;
  tcpHook: number;
}

/** Bytes (and write calls) per unit of work between two samples. */
export interface WritesPer {
  units: number;
  /** All bytes passed to write syscalls. */
  wchar: number;
  /** Of which to the clients' TCP connections (the hook's own answers left out). */
  network: number;
  /** Of which not to TCP: files, in practice. */
  files: number;
  /** Bytes the kernel counted as sent to storage for this process. */
  writeBytes: number;
  writeCalls: number;
}

export class ServerProbe {
  readonly #pid: number;
  readonly #hookUrl: string;

  constructor(pid: number, hookUrl: string) {
    this.#pid = pid;
    this.#hookUrl = hookUrl;
  }

  /**
   * /proc first, then the hook: the hook's answer is written after both readings, so it shows
   * up in the next sample's wchar and TCP total alike, and cancels out of `files`.
   */
  async sample(): Promise<WriteSample> {
    const io = readIo(this.#pid);
    const response = await fetch(`${this.#hookUrl}/tcp`);
    const tcp = (await response.json()) as TcpBytes;
    return { ...io, tcpAll: tcp.all, tcpHook: tcp.hook };
  }

  /**
   * A sample taken once the server has stopped writing (wchar unchanged for `quietMs`), so
   * writes the server does not wait for (coalesced file writes, late emits) are counted.
   */
  async settledSample(quietMs = 150, maxMs = 5000): Promise<WriteSample> {
    const started = Date.now();
    let last = readIo(this.#pid).wchar;
    let quietSince = Date.now();
    while (Date.now() - quietSince < quietMs && Date.now() - started < maxMs) {
      await sleep(25);
      const wchar = readIo(this.#pid).wchar;
      if (wchar !== last) {
        last = wchar;
        quietSince = Date.now();
      }
    }
    return this.sample();
  }
}

export function writesPer(before: WriteSample, after: WriteSample, units: number): WritesPer {
  const per = (n: number) => (units > 0 ? n / units : 0);
  const tcp = after.tcpAll - before.tcpAll;
  const hook = after.tcpHook - before.tcpHook;
  const wchar = after.wchar - before.wchar;
  return {
    units,
    wchar: per(wchar),
    network: per(tcp - hook),
    files: per(wchar - tcp),
    writeBytes: per(after.writeBytes - before.writeBytes),
    writeCalls: per(after.syscw - before.syscw),
  };
}

/** The server's memory, after forced garbage collection when `gc` (see server-hook.ts). */
export async function serverMemory(hookUrl: string, gc: boolean): Promise<NodeJS.MemoryUsage> {
  const response = await fetch(`${hookUrl}/memory${gc ? '?gc=1' : ''}`);
  const body = (await response.json()) as NodeJS.MemoryUsage | { error: string };
  if ('error' in body) throw new Error(`bench hook: ${body.error}`);
  return body;
}
