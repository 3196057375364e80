/** Helper sign-in and sessions. Cookies carry a random token; the store keeps its hash. */
import type { HelperAccount } from '../domain/helper-types.ts';
import type { Store } from '../store/store.ts';
import { hashPassword, hashToken, newToken, verifyPassword } from './secrets.ts';

/** Compared against when the name is unknown, so a wrong name costs as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

export class Sessions {
  readonly #store: Store;
  readonly #ttlMs: number;

  constructor(store: Store, ttlMs: number) {
    this.#store = store;
    this.#ttlMs = ttlMs;
  }

  async signIn(
    name: string,
    password: string,
  ): Promise<{ token: string; helper: HelperAccount } | undefined> {
    const helper = await this.#store.findHelperByName(name);
    decoyHash ??= hashPassword('decoy password');
    const matches = await verifyPassword(password, helper?.passwordHash ?? (await decoyHash));
    if (!helper || !matches) return undefined;
    const token = newToken();
    const now = Date.now();
    await this.#store.putSession({
      tokenHash: hashToken(token),
      helperId: helper.id,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.#ttlMs).toISOString(),
    });
    return { token, helper };
  }

  /** The helper a session cookie belongs to, if the session is live and the helper exists. */
  async helperFor(
    token: string | undefined,
  ): Promise<{ helper: HelperAccount; tokenHash: string } | undefined> {
    if (!token) return undefined;
    const tokenHash = hashToken(token);
    const session = await this.#store.getSession(tokenHash);
    const helper = session && (await this.#store.getHelper(session.helperId));
    return helper ? { helper, tokenHash } : undefined;
  }

  /** Ends the session; resolves with its hash and helper, if it was live. */
  async signOut(token: string): Promise<{ tokenHash: string; helperId?: string }> {
    const tokenHash = hashToken(token);
    const session = await this.#store.getSession(tokenHash);
    await this.#store.deleteSession(tokenHash);
    return { tokenHash, ...(session ? { helperId: session.helperId } : {}) };
  }
}
