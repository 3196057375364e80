/**
 * What the help server POSTs to a site owner's webhook (`HELP_WEBHOOK_URL`) when someone asks
 * for help or leaves a message while nobody is on duty. Types only: the server builds these,
 * the receiver is someone else's code.
 */

export type WebhookEventType = 'help-request.created' | 'offline-message.created';

export interface WebhookEvent {
  /** Unique per event, the same on every retry: receivers drop duplicates by it. */
  id: string;
  type: WebhookEventType;
  /** ISO time the event happened. */
  createdAt: string;
  conversation: {
    id: string;
    joinCode: string;
    pageUrl: string;
    pageTitle: string;
    visitor: { name?: string; email?: string };
    firstMessage?: string;
  };
}
