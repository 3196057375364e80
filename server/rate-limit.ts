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
}
