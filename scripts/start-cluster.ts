/**
 * `npm run start:cluster -- --processes 2`: several server processes on one PostgreSQL and
 * one Redis, on ports PORT, PORT+1, … (PORT defaults to 3000), for trying scale-out on one
 * machine: open the demo on one port and the agent page on another, or stop one process and
 * watch the other carry on. Put them behind a load balancer for real use (README, "Running
 * more than one process").
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '..');

function processCount(args: string[]): number {
  const at = args.indexOf('--processes');
  const value = at === -1 ? '2' : args[at + 1];
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 16) {
    throw new Error(`--processes must be a whole number from 1 to 16, not "${value}"`);
  }
  return count;
}

function main(): number {
  const count = processCount(process.argv.slice(2));
  if (!process.env.HELP_DATABASE_URL || !process.env.HELP_REDIS_URL) {
    console.error(
      'start:cluster needs HELP_DATABASE_URL and HELP_REDIS_URL: every process must share ' +
        'one database and one Redis. For example:\n' +
        '  HELP_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \\\n' +
        '  HELP_REDIS_URL=redis://127.0.0.1:6379 npm run start:cluster -- --processes 2',
    );
    return 2;
  }
  const base = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(base) || base < 1 || base + count - 1 > 65535) {
    throw new Error(`PORT must be a port number, not "${process.env.PORT}"`);
  }
  const children: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: String(base + i) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const name = `[${i + 1}]`;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream)
        createInterface({ input: stream }).on('line', (line) => console.log(`${name} ${line}`));
    }
    // One process stopping is what scale-out is for: the others carry on.
    child.on('exit', (code, signal) => {
      console.log(`${name} exited (${signal ?? code})`);
      if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(0);
    });
    children.push(child);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      for (const child of children) child.kill(signal);
    });
  }
  return 0;
}

try {
  const code = main();
  if (code !== 0) process.exit(code);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
