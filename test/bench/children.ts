/**
 * The bench's child processes and temp directories: servers under test, load clients, and
 * the data directories they use. Whatever happens (normal end, error, Ctrl-C) no child
 * outlives the bench and no temp directory is left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openFileLimits } from './proc.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

process.on('exit', () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping the bench\n`);
    process.exit(130);
  });
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A fresh directory under the system temp directory, removed on exit if not before. */
export async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `help-bench-${name}-`));
  tempDirs.add(dir);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  nodeArgs?: string[];
  /** 'pipe' when the bench talks to the child through stdin (or closes it as a signal). */
  stdin?: 'pipe' | 'ignore';
  /** Open files the child needs; its soft limit is raised to this if the hard one allows. */
  openFiles?: number;
}

/**
 * `node --import tsx script`: the pid is then the node process itself, whose /proc entry the
 * bench reads, not a wrapper around it. When the child needs more open files than the soft
 * limit, `sh -c 'ulimit -n N; exec node …'` raises it: exec keeps the pid.
 */
export function spawnTs(script: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const argv = [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...args];
  const limits = openFileLimits();
  const wanted = options.openFiles ?? 0;
  if (wanted > limits.hard) {
    throw new Error(
      `${script} needs ${wanted} open files but the hard limit is ${limits.hard}: raise it ` +
        '(ulimit -Hn) or ask for fewer sockets',
    );
  }
  const raise = wanted > limits.soft;
  const child = spawn(
    raise ? '/bin/sh' : process.execPath,
    raise ? ['-c', `ulimit -n ${wanted} && exec "$0" "$@"`, process.execPath, ...argv] : argv,
    {
      cwd: ROOT,
      env: options.env ?? process.env,
      stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let buffered = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) onLine(part);
  });
  stream?.on('end', () => {
    if (buffered) onLine(buffered);
  });
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * A section that is a script of its own (a browser bench): its stdout is the section's text,
 * its stderr the progress; killed at `backstopMs` if its own time limit did not stop it.
 */
export async function scriptSection(script: string, backstopMs: number): Promise<string> {
  const child = spawnTs(script, []);
  const out: string[] = [];
  lines(child.stdout, (line) => out.push(line));
  lines(child.stderr, log);
  const backstop = setTimeout(() => child.kill('SIGKILL'), backstopMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(backstop);
  if (code !== 0) out.push('', `${script} exited with ${code}; see stderr`);
  return out.join('\n').trim();
}
