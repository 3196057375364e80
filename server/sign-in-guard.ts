import type { RateLimiter } from './rate-limit.ts';
import type { BackoffPolicy, LiveState } from './store/live-state.ts';

export interface SignInLimits {
  /** Sign-in attempts per client address, whatever the name; one that works is given back. */
  perIp: { burst: number; perSecond: number };
  /** Back-off per helper name and address. */
  backoff: BackoffPolicy;
}

export type Guarded<T> = { ok: true; value: T | undefined } | { ok: false; retryAfterMs: number };

/**
 * Every password check is paid for before it starts, in one atomic step each, so concurrent
 * guesses cannot slip in between the check and the count. One name from one address gets one
 * check at a time and backs off exponentially after a few failures; failures from elsewhere
 * never slow the real helper down, who signs in from their own address.
 */
export class SignInGuard {
  readonly #perIp: RateLimiter;
  readonly #live: LiveState;
  readonly #backoff: BackoffPolicy;

  constructor(perIp: RateLimiter, live: LiveState, backoff: BackoffPolicy) {
    this.#perIp = perIp;
    this.#live = live;
    this.#backoff = backoff;
  }

  /** Runs `check` if this attempt may: its result, undefined meaning a wrong password. */
  async attempt<T>(
    name: string,
    ip: string,
    check: () => Promise<T | undefined>,
  ): Promise<Guarded<T>> {
    // The address pays for every check; a right password, or one never checked, is free.
    const paid = await this.#perIp.paidFor(
      ip,
      () => this.#inTurn(`sign-in:${ip}:${name.toLocaleLowerCase()}`, check),
      (o) => o.ok && (!o.value.ok || o.value.value !== undefined),
    );
    return paid.ok ? paid.value : paid;
  }

  /** One check at a time per name and address, and the back-off after failures. */
  async #inTurn<T>(key: string, check: () => Promise<T | undefined>): Promise<Guarded<T>> {
    const turn = await this.#live.claimTurn(key, this.#backoff);
    if (!turn.ok) return { ok: false, retryAfterMs: turn.retryAfterMs };
    let value: T | undefined;
    try {
      value = await check();
    } catch (error) {
      await this.#live.endTurn(key, false, this.#backoff);
      throw error;
    }
    await this.#live.endTurn(key, value === undefined, this.#backoff);
    return { ok: true, value };
  }
}
