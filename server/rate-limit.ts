import type { BucketAnswer, LiveState, RateLimit } from './store/live-state.ts';

/**
 * Token buckets by key, kept in live state so that every process of a deployment shares them.
 * `name` keeps one limiter's keys apart from another's.
 */
export class RateLimiter {
  readonly #live: LiveState;
  readonly #name: string;
  readonly #limit: RateLimit;

  constructor(live: LiveState, name: string, limit: RateLimit) {
    this.#live = live;
    this.#name = name;
    this.#limit = limit;
  }

  /** Spends a token for `key`; `ok: false` with the wait when none is left. */
  take(key: string): Promise<BucketAnswer> {
    return this.#live.takeToken(`${this.#name}:${key}`, this.#limit);
  }

  /** Gives back the token an attempt took: it turned out to cost nothing (a sign-in that worked). */
  giveBack(key: string): Promise<void> {
    return this.#live.returnToken(`${this.#name}:${key}`, this.#limit);
  }

  /**
   * Runs `run` only if `key` has a token, taken before it starts: concurrent attempts cannot
   * slip in between a check and its count. The token is given back when `free` says this
   * outcome costs nothing (a right password, a right join code).
   */
  async paidFor<T>(
    key: string,
    run: () => Promise<T>,
    free: (outcome: Outcome<T>) => boolean,
  ): Promise<{ ok: true; value: T } | { ok: false; retryAfterMs: number }> {
    const token = await this.take(key);
    if (!token.ok) return { ok: false, retryAfterMs: token.retryAfterMs };
    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, value: await run() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    if (free(outcome)) await this.giveBack(key);
    if (!outcome.ok) throw outcome.error;
    return outcome;
  }
}

/** What an attempt came to: its value, or what it threw. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
