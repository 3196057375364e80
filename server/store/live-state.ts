/**
 * The live-state seam: what matters only while people are connected, and may be lost on a
 * full restart. Nothing here is fsynced. In memory by default (memory-live-state.ts); shaped
 * so Redis can implement it: keys with expiry, atomic take-and-delete, small values.
 */
import type { StoredChange } from '../../protocol/cobrowse.ts';

/** What a follow token grants: one copy of the page, for one helper's follow grant. */
export interface FollowTokenGrant {
  conversationId: string;
  helperId: string;
  grantId: string;
}

/** A token bucket: `burst` tokens, refilled at `perSecond`. */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

/** Whether a token was there, and when the next one will be. */
export interface BucketAnswer {
  ok: boolean;
  retryAfterMs: number;
}

export interface LiveState {
  /** Counts a helper's connection (a socket, identified across processes). */
  helperConnected(helperId: string, connectionId: string): Promise<void>;
  /** Resolves with how many connections the helper still has. */
  helperDisconnected(helperId: string, connectionId: string, at: number): Promise<number>;
  /** Helpers with at least one connection. */
  connectedHelpers(): Promise<Set<string>>;
  /** When the helper's last connection ended; undefined if connected or never seen. */
  offlineSince(helperId: string): Promise<number | undefined>;

  /** Keeps a follow token (by its hash) until it is taken or `ttlMs` passes. */
  putFollowToken(tokenHash: string, grant: FollowTokenGrant, ttlMs: number): Promise<void>;
  /** The grant, once: it is deleted in the same step, so a second use gets nothing. */
  takeFollowToken(tokenHash: string): Promise<FollowTokenGrant | undefined>;

  /**
   * Takes a token from the bucket `key` (full when first seen), in one atomic step, or
   * with `peek` only looks. Answers whether there was one and when the next will be.
   */
  takeToken(key: string, limit: RateLimit, options?: { peek?: boolean }): Promise<BucketAnswer>;

  /** Follow mode: keeps `change` as the latest for its key. */
  putChange(conversationId: string, change: StoredChange): Promise<void>;
  /** The latest change per key, oldest first. */
  getChanges(conversationId: string): Promise<StoredChange[]>;
  clearChanges(conversationId: string): Promise<void>;

  close(): Promise<void>;
}
