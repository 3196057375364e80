/** Follow mode over the store: who follows, and the latest value per key. */
import type { CobrowseStatus, StoredChange } from '../../protocol/cobrowse.ts';
import type { CobrowseChangePayload } from '../../protocol/cobrowse-schemas.ts';
import type { ConversationRecord, HelperAccount, Store } from '../store/store.ts';
import { type Actor, conversationFor, helperActor } from './access.ts';
import { DeskError } from './desk-error.ts';

export function statusOf(record: ConversationRecord): CobrowseStatus {
  return record.following
    ? { conversationId: record.id, active: true, helperName: record.following.helperName }
    : { conversationId: record.id, active: false };
}

/** The assigned helper starts (or resumes) following the visitor's page. */
export async function startFollowing(
  store: Store,
  helper: HelperAccount,
  conversationId: string,
): Promise<ConversationRecord> {
  const record = await conversationFor(store, helperActor(helper), conversationId, 'write');
  if (record.following?.helperId === helper.id) return record;
  return store.updateConversation(record.id, {
    following: { helperId: helper.id, helperName: helper.name, since: new Date().toISOString() },
  });
}

/**
 * Refresh, point and asking for control act on the visitor's page: only for the assigned
 * helper who is following it now.
 */
export async function conversationFollowedBy(
  store: Store,
  helper: HelperAccount,
  conversationId: string,
): Promise<ConversationRecord> {
  const record = await conversationFor(store, helperActor(helper), conversationId, 'write');
  if (record.following?.helperId !== helper.id) {
    throw new DeskError('forbidden', 'follow the page first');
  }
  return record;
}

/** Either side ends follow mode; what the page last showed is forgotten with it. */
export async function stopFollowing(
  store: Store,
  actor: Actor,
  conversationId: string,
): Promise<ConversationRecord> {
  const record = await conversationFor(store, actor, conversationId, 'participate');
  if (!record.following) return record;
  await store.clearCobrowseState(record.id);
  // Control ends with following.
  return store.updateConversation(record.id, { following: undefined, control: undefined });
}

/**
 * A change from the visitor's page. Refused unless the page is being followed: nothing about
 * the page leaves the visitor's browser before they are told it does.
 */
export async function recordChange(
  store: Store,
  actor: Actor,
  payload: CobrowseChangePayload,
): Promise<StoredChange> {
  const record = await conversationFor(store, actor, payload.conversationId, 'write');
  if (!record.following) throw new DeskError('forbidden', 'this page is not being followed');
  const { conversationId: _ignored, ...change } = payload;
  const stored = { ...change, at: new Date().toISOString() } as StoredChange;
  // Relayed at once; the latest-value store is for late joiners, so it is not awaited.
  store.putCobrowseChange(record.id, stored).catch((error: unknown) => {
    console.error('storing a follow-mode change failed', error);
  });
  return stored;
}
