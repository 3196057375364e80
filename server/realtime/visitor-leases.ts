/**
 * The conversations whose visitors have a socket on this process, renewed in live state while
 * the process lives (LiveState.holdVisitors): if it dies, another process sees the leases run
 * out and counts those visitors as gone. Counted per conversation: a visitor may have several
 * tabs here.
 */
export class VisitorLeases {
  readonly #held = new Map<string, number>();
  readonly #renew: (ids: readonly string[], until: number) => Promise<void>;
  readonly #leaseMs: number;
  readonly #timer: NodeJS.Timeout;

  constructor(renew: (ids: readonly string[], until: number) => Promise<void>, leaseMs: number) {
    this.#renew = renew;
    this.#leaseMs = leaseMs;
    this.#timer = setInterval(() => void this.#hold([...this.#held.keys()]), leaseMs / 3);
    this.#timer.unref();
  }

  /** A socket of this conversation's visitor connected here: held from now. */
  connected(conversationId: string): Promise<void> {
    this.#held.set(conversationId, (this.#held.get(conversationId) ?? 0) + 1);
    return this.#hold([conversationId]);
  }

  /** One of its sockets left; the last one's lease is no longer renewed. */
  disconnected(conversationId: string): void {
    const count = (this.#held.get(conversationId) ?? 1) - 1;
    if (count > 0) this.#held.set(conversationId, count);
    else this.#held.delete(conversationId);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #hold(ids: readonly string[]): Promise<void> {
    return this.#renew(ids, Date.now() + this.#leaseMs).catch((error: unknown) =>
      console.error('renewing visitor leases failed', error),
    );
  }
}
