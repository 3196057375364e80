/**
 * Token buckets by key: `burst` tokens, refilled at `perSecond`. Idle full buckets are
 * forgotten so a flood of distinct keys cannot grow memory without bound.
 */
export class RateLimiter {
  readonly #burst: number;
  readonly #perSecond: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #now: () => number;

  constructor(options: { burst: number; perSecond: number; now?: () => number }) {
    this.#burst = options.burst;
    this.#perSecond = options.perSecond;
    this.#now = options.now ?? Date.now;
  }

  /** Whether `key` has a token left, without spending it. */
  has(key: string): boolean {
    return this.#refill(key).tokens >= 1;
  }

  /** Spends a token; false when none is left. */
  take(key: string): boolean {
    const bucket = this.#refill(key);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Milliseconds until `key` has a token again. */
  retryAfterMs(key: string): number {
    const missing = 1 - this.#refill(key).tokens;
    return missing <= 0 ? 0 : Math.ceil((missing / this.#perSecond) * 1000);
  }

  #refill(key: string): { tokens: number; at: number } {
    const now = this.#now();
    if (this.#buckets.size > 10_000) this.#forgetFull(now);
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(
      this.#burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond,
    );
    bucket.at = now;
    this.#buckets.set(key, bucket);
    return bucket;
  }

  #forgetFull(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond >= this.#burst) {
        this.#buckets.delete(key);
      }
    }
  }
}
