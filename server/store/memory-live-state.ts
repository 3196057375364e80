import type { StoredChange } from '../../protocol/cobrowse.ts';
import type { BucketAnswer, FollowTokenGrant, LiveState, RateLimit } from './live-state.ts';

interface Bucket {
  tokens: number;
  at: number;
  limit: RateLimit;
}

/** The default live state: one process's memory. Expired entries are dropped as they are met. */
export class MemoryLiveState implements LiveState {
  readonly #connections = new Map<string, Set<string>>();
  readonly #offlineSince = new Map<string, number>();
  readonly #tokens = new Map<string, { grant: FollowTokenGrant; expiresAt: number }>();
  readonly #buckets = new Map<string, Bucket>();
  /** Per conversation, the latest change per key, in the order keys were last set. */
  readonly #changes = new Map<string, Map<string, StoredChange>>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async helperConnected(helperId: string, connectionId: string): Promise<void> {
    const connections = this.#connections.get(helperId) ?? new Set<string>();
    connections.add(connectionId);
    this.#connections.set(helperId, connections);
    this.#offlineSince.delete(helperId);
  }

  async helperDisconnected(helperId: string, connectionId: string, at: number): Promise<number> {
    const connections = this.#connections.get(helperId);
    if (!connections?.delete(connectionId)) return connections?.size ?? 0;
    if (connections.size > 0) return connections.size;
    this.#connections.delete(helperId);
    this.#offlineSince.set(helperId, at);
    return 0;
  }

  async connectedHelpers(): Promise<Set<string>> {
    return new Set(this.#connections.keys());
  }

  async offlineSince(helperId: string): Promise<number | undefined> {
    return this.#offlineSince.get(helperId);
  }

  async putFollowToken(tokenHash: string, grant: FollowTokenGrant, ttlMs: number): Promise<void> {
    const now = this.#now();
    // Tokens nobody spent would otherwise pile up: drop expired ones as new ones arrive.
    for (const [hash, entry] of this.#tokens) if (entry.expiresAt <= now) this.#tokens.delete(hash);
    this.#tokens.set(tokenHash, { grant: { ...grant }, expiresAt: now + ttlMs });
  }

  async takeFollowToken(tokenHash: string): Promise<FollowTokenGrant | undefined> {
    const entry = this.#tokens.get(tokenHash);
    this.#tokens.delete(tokenHash);
    return entry && entry.expiresAt > this.#now() ? entry.grant : undefined;
  }

  async takeToken(
    key: string,
    limit: RateLimit,
    options: { peek?: boolean } = {},
  ): Promise<BucketAnswer> {
    const now = this.#now();
    // A flood of distinct keys must not grow memory without bound: full buckets are forgotten.
    if (this.#buckets.size > 10_000) {
      for (const [k, b] of this.#buckets)
        if (refilled(b, now) >= b.limit.burst) this.#buckets.delete(k);
    }
    const bucket = this.#buckets.get(key) ?? { tokens: limit.burst, at: now, limit };
    bucket.tokens = refilled(bucket, now);
    bucket.at = now;
    bucket.limit = limit;
    this.#buckets.set(key, bucket);
    const ok = bucket.tokens >= 1;
    if (ok && !options.peek) bucket.tokens -= 1;
    const missing = 1 - bucket.tokens;
    return {
      ok,
      retryAfterMs: missing <= 0 ? 0 : Math.ceil((missing / limit.perSecond) * 1000),
    };
  }

  async putChange(conversationId: string, change: StoredChange): Promise<void> {
    const changes = this.#changes.get(conversationId) ?? new Map<string, StoredChange>();
    // Deleted first so the key moves to the end: the order is that of the latest changes.
    changes.delete(change.key);
    changes.set(change.key, structuredClone(change));
    this.#changes.set(conversationId, changes);
  }

  async getChanges(conversationId: string): Promise<StoredChange[]> {
    return [...(this.#changes.get(conversationId)?.values() ?? [])].map((c) => structuredClone(c));
  }

  async clearChanges(conversationId: string): Promise<void> {
    this.#changes.delete(conversationId);
  }

  async close(): Promise<void> {}
}

function refilled(bucket: Bucket, now: number): number {
  return Math.min(
    bucket.limit.burst,
    bucket.tokens + ((now - bucket.at) / 1000) * bucket.limit.perSecond,
  );
}
