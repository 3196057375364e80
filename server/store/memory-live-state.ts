import type { StoredChange } from '../../protocol/cobrowse.ts';
import type { KeptMirrorPart } from '../../protocol/mirror.ts';
import {
  type BackoffPolicy,
  type BucketAnswer,
  backoffMs,
  type FollowTokenGrant,
  type LiveState,
  type MirrorKeep,
  PAGE_KEY,
  type RateLimit,
  RECENT_WAITS,
  startsAnotherPageLoad,
} from './live-state.ts';

interface Bucket {
  tokens: number;
  at: number;
  limit: RateLimit;
}

interface Turn {
  failures: number;
  /** No attempt before this (backing off). */
  notBefore: number;
  /** Held by an attempt until this, unless it ends first. */
  heldUntil: number;
  lastFailureAt: number;
}

/** Past this many keys, ones that would answer as new are dropped. */
const MAX_KEYS = 10_000;

/** The default live state: one process's memory. Expired entries are dropped as they are met. */
export class MemoryLiveState implements LiveState {
  readonly #connections = new Map<string, Set<string>>();
  readonly #offlineSince = new Map<string, number>();
  readonly #tokens = new Map<string, { grant: FollowTokenGrant; expiresAt: number }>();
  readonly #buckets = new Map<string, Bucket>();
  readonly #turns = new Map<string, Turn>();
  /** Per conversation, the latest change per key, in the order keys were last set. */
  readonly #changes = new Map<string, Map<string, StoredChange>>();
  /** Per conversation, the latest mirror snapshot and the batches since, with their size. */
  readonly #mirrors = new Map<string, { parts: KeptMirrorPart[]; bytes: number }>();
  #waits: number[] = [];
  readonly #visitorLeases = new Map<string, number>();
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

  async takeToken(key: string, limit: RateLimit): Promise<BucketAnswer> {
    const bucket = this.#bucket(key, limit);
    const ok = bucket.tokens >= 1;
    if (ok) bucket.tokens -= 1;
    const missing = 1 - bucket.tokens;
    return {
      ok,
      retryAfterMs: missing <= 0 ? 0 : Math.ceil((missing / limit.perSecond) * 1000),
    };
  }

  async returnToken(key: string, limit: RateLimit): Promise<void> {
    const bucket = this.#bucket(key, limit);
    bucket.tokens = Math.min(limit.burst, bucket.tokens + 1);
  }

  /** The bucket as of now, refilled. */
  #bucket(key: string, limit: RateLimit): Bucket {
    const now = this.#now();
    // A flood of distinct keys must not grow memory without bound: full buckets are forgotten.
    if (this.#buckets.size > MAX_KEYS) {
      for (const [k, b] of this.#buckets)
        if (refilled(b, now) >= b.limit.burst) this.#buckets.delete(k);
    }
    const bucket = this.#buckets.get(key) ?? { tokens: limit.burst, at: now, limit };
    bucket.tokens = refilled(bucket, now);
    bucket.at = now;
    bucket.limit = limit;
    this.#buckets.set(key, bucket);
    return bucket;
  }

  async claimTurn(key: string, policy: BackoffPolicy): Promise<BucketAnswer> {
    const now = this.#now();
    if (this.#turns.size > MAX_KEYS) {
      for (const [k, t] of this.#turns) if (forgotten(t, now, policy)) this.#turns.delete(k);
    }
    let turn = this.#turns.get(key);
    if (!turn || forgotten(turn, now, policy)) {
      turn = { failures: 0, notBefore: 0, heldUntil: 0, lastFailureAt: 0 };
    }
    const wait = Math.max(turn.notBefore, turn.heldUntil) - now;
    if (wait > 0) return { ok: false, retryAfterMs: wait };
    turn.heldUntil = now + policy.holdMs;
    this.#turns.set(key, turn);
    return { ok: true, retryAfterMs: 0 };
  }

  async endTurn(key: string, failed: boolean, policy: BackoffPolicy): Promise<void> {
    const turn = this.#turns.get(key);
    if (!failed || !turn) {
      this.#turns.delete(key);
      return;
    }
    const now = this.#now();
    turn.failures += 1;
    turn.lastFailureAt = now;
    turn.heldUntil = 0;
    turn.notBefore = now + backoffMs(turn.failures, policy);
  }

  async putChange(conversationId: string, change: StoredChange): Promise<void> {
    const kept = this.#changes.get(conversationId);
    const changes =
      kept && !startsAnotherPageLoad(kept.get(PAGE_KEY), change)
        ? kept
        : new Map<string, StoredChange>();
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

  async putMirrorPart(
    conversationId: string,
    part: KeptMirrorPart,
    maxBytes: number,
  ): Promise<MirrorKeep> {
    const starts = part.full && part.part === 0;
    const kept = starts ? { parts: [], bytes: 0 } : this.#mirrors.get(conversationId);
    if (!kept) return 'snapshot-needed';
    if (kept.bytes + part.data.byteLength > maxBytes) {
      this.#mirrors.delete(conversationId);
      return 'snapshot-needed';
    }
    // A copy: the caller's buffer may be reused, and a socket's Buffer may be a slice of a pool.
    kept.parts.push({ ...part, data: new Uint8Array(part.data) });
    kept.bytes += part.data.byteLength;
    this.#mirrors.set(conversationId, kept);
    return 'kept';
  }

  async getMirror(conversationId: string): Promise<KeptMirrorPart[]> {
    return [...(this.#mirrors.get(conversationId)?.parts ?? [])];
  }

  async clearMirror(conversationId: string): Promise<void> {
    this.#mirrors.delete(conversationId);
  }

  async holdVisitors(conversationIds: readonly string[], until: number): Promise<void> {
    for (const id of conversationIds) {
      this.#visitorLeases.set(id, Math.max(until, this.#visitorLeases.get(id) ?? 0));
    }
  }

  async visitorLeases(conversationIds: readonly string[]): Promise<(number | undefined)[]> {
    return conversationIds.map((id) => this.#visitorLeases.get(id));
  }

  async noteWait(waitMs: number): Promise<void> {
    this.#waits = [waitMs, ...this.#waits].slice(0, RECENT_WAITS);
  }

  async recentWaits(): Promise<number[]> {
    return this.#waits;
  }

  async close(): Promise<void> {}
}

function refilled(bucket: Bucket, now: number): number {
  return Math.min(
    bucket.limit.burst,
    bucket.tokens + ((now - bucket.at) / 1000) * bucket.limit.perSecond,
  );
}

/** A key nobody holds, not backing off and not failed lately starts again from nothing. */
function forgotten(turn: Turn, now: number, policy: BackoffPolicy): boolean {
  return (
    turn.heldUntil <= now && turn.notBefore <= now && turn.lastFailureAt + policy.forgetMs <= now
  );
}
