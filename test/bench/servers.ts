/**
 * Starts a server under test as a child process: the real one (bench-server.ts, with the
 * bench hook) or the bare Socket.IO relay (bare-relay-server.ts). Both listen on 127.0.0.1
 * on a free port and say where on stdout.
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { lines, spawnTs, stopChild } from './children.ts';

export interface ServerChild {
  child: ChildProcess;
  pid: number;
  url: string;
  /** The bench hook (server-hook.ts); the real server only. */
  hookUrl: string;
  /** From spawn to listening, ms. */
  startMs: number;
  stderr: string[];
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** The real server's data directory. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  openFiles?: number;
}

const START_TIMEOUT_MS = 120_000;

/** stderr lines of every server stopped since the last call, so each section can show them. */
const complaints: string[] = [];

export function takeServerStderr(): string[] {
  return complaints.splice(0);
}

export async function startServer(
  kind: 'real' | 'bare',
  options: ServerOptions = {},
): Promise<ServerChild> {
  const started = performance.now();
  const child = spawnTs(
    kind === 'real' ? 'test/bench/bench-server.ts' : 'test/bench/bare-relay-server.ts',
    [],
    {
      // --expose-gc: the hook forces a collection before reading the heap; nothing else uses it.
      nodeArgs: kind === 'real' ? ['--expose-gc'] : [],
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        ...(options.dataDir ? { HELP_DATA_DIR: options.dataDir } : {}),
        ...options.env,
      },
      ...(options.openFiles ? { openFiles: options.openFiles } : {}),
    },
  );
  const stderr: string[] = [];
  lines(child.stderr, (line) => stderr.push(line));
  let hookUrl = '';
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${kind} server did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    lines(child.stdout, (line) => {
      const hook = /^bench hook on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (hook?.[1]) hookUrl = hook[1];
      // The real server prints localhost; both listen on 127.0.0.1, which is what we use.
      const match = /(?:help-widget server|bare relay) on http:\/\/[^:]+:(\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`${kind} server exited with ${code} before listening: ${stderr.join('\n')}`),
      );
    });
  });
  if (child.pid === undefined) throw new Error('server has no pid');
  return {
    child,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    hookUrl,
    startMs: Math.round(performance.now() - started),
    stderr,
    async stop() {
      await stopChild(child);
      // Nothing on the measured paths logs: a line here is an error worth seeing (and bytes
      // that would otherwise pass for file writes).
      for (const line of stderr.filter(Boolean))
        complaints.push(`${kind} pid ${child.pid}: ${line}`);
    },
  };
}
