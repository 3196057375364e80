/**
 * What every load-client scenario shares: the server's address and origin, a tally of
 * errors by kind, named phases timed against one hard deadline, and the sockets to close at
 * the end. One per load-client process.
 */
import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';

export class PhaseTimeout extends Error {}

export interface PhaseReport {
  phasesMs: Record<string, number>;
  errors: { total: number; byKind: Record<string, number> };
  timedOut: boolean;
  /** The phase the hard timeout (or a failure) interrupted, if any. */
  stoppedIn?: string;
  /** Why the run stopped early, other than the timeout. */
  failure?: string;
  /** CPU time the load client used (user + system), ms. */
  clientCpuMs: number;
}

export class ClientContext {
  readonly url: string;
  /** The origin a browser on the server's own pages would send; always allowed. */
  readonly origin: string;
  /** Where helpers connect: another server process, in the scale section; else `url`. */
  helperUrl: string;
  readonly #errors = new Map<string, number>();
  readonly #phasesMs: Record<string, number> = {};
  readonly #sockets = new Set<Socket>();
  readonly #deadline: Promise<never>;
  #phase = 'start';
  #stopped: { timedOut: boolean; failure?: string } | undefined;

  constructor(url: string, timeoutMs: number) {
    this.url = url;
    this.origin = url;
    this.helperUrl = url;
    this.#deadline = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new PhaseTimeout('hard timeout')), timeoutMs);
      timer.unref();
    });
    this.#deadline.catch(() => undefined);
  }

  fail(kind: string, count = 1): void {
    this.#errors.set(kind, (this.#errors.get(kind) ?? 0) + count);
  }

  /** Runs one named step, timed, and abandoned if the hard deadline passes first. */
  async phase<T>(name: string, run: () => Promise<T>): Promise<T> {
    this.#phase = name;
    process.stderr.write(`  [load] ${name}…\n`);
    const started = performance.now();
    const result = await Promise.race([run(), this.#deadline]);
    this.#phasesMs[name] = Math.round(performance.now() - started);
    return result;
  }

  track<S extends Socket>(socket: S): S {
    this.#sockets.add(socket);
    return socket;
  }

  /** Records why a scenario stopped early: the deadline or an error. Never throws. */
  stopped(error: unknown): void {
    if (error instanceof PhaseTimeout) {
      this.fail(`hard-timeout:${this.#phase}`);
      this.#stopped = { timedOut: true };
      return;
    }
    const failure = error instanceof Error ? error.message : String(error);
    this.fail(`failed:${this.#phase}`);
    this.#stopped = { timedOut: false, failure };
    process.stderr.write(`  [load] ${this.#phase} failed: ${failure}\n`);
  }

  report(): PhaseReport {
    const cpu = process.cpuUsage();
    return {
      phasesMs: { ...this.#phasesMs },
      errors: {
        total: [...this.#errors.values()].reduce((sum, n) => sum + n, 0),
        byKind: Object.fromEntries(this.#errors),
      },
      timedOut: this.#stopped?.timedOut ?? false,
      ...(this.#stopped ? { stoppedIn: this.#phase } : {}),
      ...(this.#stopped?.failure ? { failure: this.#stopped.failure } : {}),
      clientCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    };
  }

  closeSockets(): void {
    for (const socket of this.#sockets) socket.disconnect();
    this.#sockets.clear();
  }
}

/** Rejects with a clear message if `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Runs `run` over `items`, at most `limit` at a time. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Resolves when `check()` holds, re-checked whenever `poke` is called. */
export class Condition {
  #waiters: { check: () => boolean; resolve: () => void }[] = [];

  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ check, resolve }));
  }

  poke(): void {
    if (this.#waiters.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.check()) return true;
      waiter.resolve();
      return false;
    });
  }
}
