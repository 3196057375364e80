/** Chat operations over the store, with the access rules applied. */
import type { Author, Message } from '../../protocol/domain.ts';
import type {
  ChatHistoryPayload,
  ChatReadPayload,
  ChatSendPayload,
} from '../../protocol/schemas.ts';
import type { Store } from '../store/store.ts';
import { type Actor, conversationFor } from './access.ts';
import { DeskError } from './desk-error.ts';

const FIRST_MESSAGE_PREVIEW = 200;

export interface SendResult {
  message: Message;
  duplicate: boolean;
  /** True when this was the visitor's first message, which the queue shows. */
  firstMessage: boolean;
}

/** Stores a message (once per id) and resolves when it is on disk. */
export async function sendMessage(
  store: Store,
  actor: Actor,
  payload: ChatSendPayload,
): Promise<SendResult> {
  const record = await conversationFor(store, actor, payload.conversationId, 'write');
  const { message, duplicate } = await store.appendMessage(record.id, {
    id: payload.id,
    from: actor.kind,
    authorName: actor.name,
    text: payload.text,
  });
  if (message.from !== actor.kind) {
    // Someone reused an id the other side already holds; refuse rather than misattribute.
    throw new DeskError('conflict', 'that message id is already used in this conversation');
  }
  const firstMessage = !duplicate && actor.kind === 'visitor' && !record.firstMessage;
  if (firstMessage) {
    await store.updateConversation(record.id, {
      firstMessage: payload.text.slice(0, FIRST_MESSAGE_PREVIEW),
    });
  }
  return { message, duplicate, firstMessage };
}

export async function history(
  store: Store,
  actor: Actor,
  payload: ChatHistoryPayload,
): Promise<Message[]> {
  const record = await conversationFor(store, actor, payload.conversationId, 'read');
  return store.listMessages(record.id, payload.after);
}

/** Records that `actor` has read up to a message; the id must exist in the conversation. */
export async function markRead(
  store: Store,
  actor: Actor,
  payload: ChatReadPayload,
): Promise<Author> {
  const record = await conversationFor(store, actor, payload.conversationId, 'participate');
  if (!(await store.hasMessage(record.id, payload.upTo))) {
    throw new DeskError('not_found', 'no such message in this conversation');
  }
  await store.setReadMark(record.id, actor.kind, payload.upTo);
  return actor.kind;
}
