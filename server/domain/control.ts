/** Passing control of the visitor's page: only with the visitor's consent, ended at will. */
import type { ControlChange, ControlStatus } from '../../protocol/cobrowse.ts';
import type { ConversationRecord, HelperAccount, Store } from '../store/store.ts';
import { type Actor, conversationFor } from './access.ts';
import { conversationFollowedBy } from './cobrowse.ts';
import { DeskError } from './desk-error.ts';

export function controlStatusOf(record: ConversationRecord): ControlStatus {
  return record.control
    ? {
        conversationId: record.id,
        state: record.control.state,
        helperName: record.control.helperName,
      }
    : { conversationId: record.id, state: 'none' };
}

/** "Ask for control": only the helper following the page may ask. */
export async function requestControl(
  store: Store,
  helper: HelperAccount,
  conversationId: string,
): Promise<ConversationRecord> {
  const record = await conversationFollowedBy(store, helper, conversationId);
  if (record.control?.state === 'granted') return record;
  return store.updateConversation(record.id, {
    control: { state: 'requested', helperId: helper.id, helperName: helper.name },
  });
}

/** The visitor's Allow / Deny, or "Take back control" (allow: false) at any time. */
export async function answerControl(
  store: Store,
  actor: Actor,
  conversationId: string,
  allow: boolean,
): Promise<ConversationRecord> {
  const record = await conversationFor(store, actor, conversationId, 'participate');
  const control = record.control;
  if (allow) {
    if (control?.state !== 'requested' || !record.following) {
      throw new DeskError('conflict', 'no one is asking for control');
    }
    return store.updateConversation(record.id, { control: { ...control, state: 'granted' } });
  }
  if (!control) return record;
  // Refusing a request says so; taking control back simply ends it.
  return store.updateConversation(record.id, {
    control: control.state === 'requested' ? { ...control, state: 'denied' } : undefined,
  });
}

/** A change the helper made on the copy may drive the visitor's page only while granted. */
export async function checkControl(
  store: Store,
  conversationId: string,
  helperId: string,
  change: ControlChange,
): Promise<void> {
  const record = await store.getConversation(conversationId);
  const control = record?.control;
  if (!record || control?.state !== 'granted' || control.helperId !== helperId) {
    throw new DeskError('forbidden', 'the visitor has not given you control');
  }
  if (change.type === 'navigate' && record.currentPage) {
    // Never to another site: only within the origin the visitor is on.
    if (new URL(change.value.url).origin !== new URL(record.currentPage.url).origin) {
      throw new DeskError('forbidden', "control never leaves the visitor's site");
    }
  }
}
