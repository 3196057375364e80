import { newToken } from './secrets.ts';

interface Grant {
  conversationId: string;
  helperId: string;
  expiresAt: number;
}

/**
 * Follow tokens: 256 random bits, single use, valid for a minute, bound to one conversation
 * and one helper. The agent page passes one to its copy of the visitor's page, which spends it
 * joining `/follow`. Kept in memory: a restart only means the pane asks for a new one.
 */
export class FollowTokens {
  readonly #grants = new Map<string, Grant>();
  readonly #ttlMs: number;

  constructor(ttlMs = 60_000) {
    this.#ttlMs = ttlMs;
  }

  issue(conversationId: string, helperId: string): { token: string; expiresAt: Date } {
    this.#sweep();
    const token = newToken();
    const expiresAt = Date.now() + this.#ttlMs;
    this.#grants.set(token, { conversationId, helperId, expiresAt });
    return { token, expiresAt: new Date(expiresAt) };
  }

  /** The grant, once: a second use, or a late one, gets nothing. */
  redeem(token: string): Omit<Grant, 'expiresAt'> | undefined {
    const grant = this.#grants.get(token);
    this.#grants.delete(token);
    if (!grant || grant.expiresAt < Date.now()) return undefined;
    return { conversationId: grant.conversationId, helperId: grant.helperId };
  }

  #sweep(): void {
    const now = Date.now();
    for (const [token, grant] of this.#grants)
      if (grant.expiresAt < now) this.#grants.delete(token);
  }
}
