/** Helper sign-in and sessions. Cookies carry a random token; the store keeps its hash. */
import type { HelperAccount, Store } from '../store/store.ts';
import { hashPassword, hashToken, newToken, verifyPassword } from './secrets.ts';

/** Compared against when the name is unknown, so a wrong name costs as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

export async function signIn(
  store: Store,
  name: string,
  password: string,
  ttlMs: number,
): Promise<{ token: string; helper: HelperAccount } | undefined> {
  const helper = await store.findHelperByName(name);
  decoyHash ??= hashPassword('decoy password');
  const matches = await verifyPassword(password, helper?.passwordHash ?? (await decoyHash));
  if (!helper || !matches) return undefined;
  const token = newToken();
  const now = Date.now();
  await store.putSession({
    tokenHash: hashToken(token),
    helperId: helper.id,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlMs).toISOString(),
  });
  return { token, helper };
}

/** The helper a session cookie belongs to, if the session is live and the helper still exists. */
export async function helperForSession(
  store: Store,
  token: string | undefined,
): Promise<{ helper: HelperAccount; tokenHash: string } | undefined> {
  if (!token) return undefined;
  const tokenHash = hashToken(token);
  const session = await store.getSession(tokenHash);
  const helper = session && (await store.getHelper(session.helperId));
  return helper ? { helper, tokenHash } : undefined;
}

export async function signOut(store: Store, token: string): Promise<string> {
  const tokenHash = hashToken(token);
  await store.deleteSession(tokenHash);
  return tokenHash;
}
