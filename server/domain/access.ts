/** Who may touch which conversation. Checked on every event, not only at the handshake. */
import type { ConversationRecord, Store } from '../store/store.ts';
import { DeskError } from './desk-error.ts';

export type Actor =
  | { kind: 'visitor'; conversationId: string; name: string }
  | { kind: 'helper'; helperId: string; name: string };

export function helperActor(helper: { id: string; name: string }): Actor {
  return { kind: 'helper', helperId: helper.id, name: helper.name };
}

/**
 * `read`: history. `participate`: read marks (only those in the conversation, ended or not).
 * `write`: messages and typing (only while it is open).
 */
export type Intent = 'read' | 'participate' | 'write';

export async function conversationFor(
  store: Store,
  actor: Actor,
  conversationId: string,
  intent: Intent,
): Promise<ConversationRecord> {
  // A visitor learns nothing about other conversations, not even whether they exist.
  if (actor.kind === 'visitor' && actor.conversationId !== conversationId) {
    throw new DeskError('forbidden', 'this is not your conversation');
  }
  const record = await store.getConversation(conversationId);
  if (!record) throw new DeskError('not_found', 'no such conversation');
  if (actor.kind === 'helper' && !helperMay(record, actor.helperId, intent)) {
    throw new DeskError(
      'forbidden',
      record.status === 'waiting'
        ? 'accept this conversation before writing in it'
        : 'this conversation is not assigned to you',
    );
  }
  if (intent === 'write' && record.status === 'ended') {
    throw new DeskError('ended', 'this conversation has ended');
  }
  return record;
}

function helperMay(record: ConversationRecord, helperId: string, intent: Intent): boolean {
  if (record.helperId === helperId) return true;
  // Waiting requests are visible to every helper so they can decide to accept one.
  return intent === 'read' && record.status === 'waiting';
}
