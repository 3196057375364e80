/** Runs load-client.ts processes and collects the JSON lines they print. */
import type { ChildProcess } from 'node:child_process';
import { lines, log, spawnTs } from './children.ts';

export interface ClientOptions {
  env?: NodeJS.ProcessEnv;
  /** The client's own --timeout-ms; it is killed if still running 15 s after that. */
  timeoutMs: number;
  stdin?: 'pipe' | 'ignore';
  openFiles?: number;
  onResult?: (result: unknown) => void;
}

export interface ClientChild {
  child: ChildProcess;
  /** Every JSON line printed, once the client has exited. */
  done: Promise<unknown[]>;
}

export function startClient(args: string[], options: ClientOptions): ClientChild {
  const child = spawnTs(
    'test/bench/load-client.ts',
    [...args, '--timeout-ms', String(options.timeoutMs)],
    {
      ...(options.env ? { env: options.env } : {}),
      stdin: options.stdin ?? 'ignore',
      ...(options.openFiles ? { openFiles: options.openFiles } : {}),
    },
  );
  const results: unknown[] = [];
  lines(child.stdout, (line) => {
    if (!line.startsWith('{')) return;
    const result: unknown = JSON.parse(line);
    results.push(result);
    options.onResult?.(result);
  });
  lines(child.stderr, log);
  // Backstop in case the client's own hard timeout fails to stop it.
  const backstop = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs + 15_000);
  const done = new Promise<unknown[]>((resolve, reject) => {
    child.once('close', (code) => {
      clearTimeout(backstop);
      if (results.length === 0) reject(new Error(`load client exited with ${code} and no result`));
      else resolve(results);
    });
  });
  return { child, done };
}

/** Runs one client to the end; its last JSON line is its result. */
export async function runClient<T>(args: string[], options: ClientOptions): Promise<T> {
  const results = await startClient(args, options).done;
  return results.at(-1) as T;
}
