import type { WebhookEvent } from '../protocol/webhook.ts';
import type { DeskNews } from './desk/desk.ts';
import { newId } from './desk/secrets.ts';
import type { Webhook } from './webhook.ts';

/**
 * What the site owner's webhook hears of the desk: a conversation as soon as it has its first
 * message (a help request is made by it), as a help request or, when no one was available, an
 * offline message. Nothing else of the conversation leaves: no token, no details beyond these.
 */
export function webhookListener(webhook: Webhook): (news: DeskNews) => void {
  return (news) => {
    if (news.kind !== 'applied') return;
    const { record, events } = news.applied;
    const first = events.find((e) => e.type === 'first-message');
    if (!first) return;
    const event: WebhookEvent = {
      id: newId(),
      type: record.kind === 'message' ? 'offline-message.created' : 'help-request.created',
      createdAt: record.createdAt,
      conversation: {
        id: record.id,
        joinCode: record.joinCode,
        pageUrl: record.details.pageUrl,
        pageTitle: record.details.pageTitle,
        visitor: {
          ...(record.visitor.name ? { name: record.visitor.name } : {}),
          ...(record.visitor.email ? { email: record.visitor.email } : {}),
        },
        ...(record.firstMessage ? { firstMessage: record.firstMessage } : {}),
      },
    };
    webhook.send(event);
  };
}
