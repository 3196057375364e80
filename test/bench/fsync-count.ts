/**
 * Counts the server's fsync and fdatasync calls over a stretch of work, with
 * `strace -f -c -p PID` when strace is installed (it is optional: without it the count is
 * simply absent). strace stops the traced process at every system call, which slows it
 * down, so the bench counts in a separate short pass and never while it times anything.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FsyncCounter {
  /** Detaches and returns the calls seen since attaching. */
  stop(): Promise<{ fsync: number; fdatasync: number } | undefined>;
}

let running: ChildProcess | undefined;
// A counter never outlives the client: detach (SIGINT lets strace let go cleanly).
process.on('exit', () => running?.kill('SIGINT'));

export function straceAvailable(): boolean {
  if (process.env.BENCH_STRACE === '0') return false;
  return spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Attaches to every thread of `pid`; resolves once attached, undefined if it cannot. */
export async function countFsyncs(pid: number): Promise<FsyncCounter | undefined> {
  const child = spawn('strace', ['-f', '-c', '-e', 'trace=fsync,fdatasync', '-p', String(pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running = child;
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // strace names each thread as it attaches; the libuv pool threads come right after the main one.
  for (let waited = 0; !/attached/.test(stderr) && waited < 3000; waited += 50) {
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  if (!/attached/.test(stderr)) {
    child.kill('SIGKILL');
    running = undefined;
    process.stderr.write(`  [load] strace could not attach: ${stderr.trim().slice(0, 200)}\n`);
    return undefined;
  }
  await sleep(300);
  return {
    async stop() {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      running = undefined;
      return { fsync: calls(stderr, 'fsync'), fdatasync: calls(stderr, 'fdatasync') };
    },
  };
}

/** The "calls" column of strace's summary line for `name` (0 when absent: never called). */
function calls(summary: string, name: string): number {
  const line = new RegExp(`^\\s*\\S+\\s+\\S+\\s+\\S+\\s+(\\d+)(?:\\s+\\d+)?\\s+${name}\\s*$`, 'm');
  return Number(line.exec(summary)?.[1] ?? 0);
}
