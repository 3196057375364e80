/** Stored conversations as fixtures: what a help request from desktop Chrome leaves behind. */
import type { ClientDetails } from '../../protocol/domain.ts';
import { newId } from '../../server/desk/secrets.ts';
import type { ConversationRecord } from '../../server/domain/conversation-types.ts';

export const details: ClientDetails = {
  pageUrl: 'https://shop.example/checkout',
  pageTitle: 'Checkout',
  referrer: '',
  languages: ['en'],
  timezone: 'Europe/London',
  screen: { width: 1920, height: 1080 },
  viewport: { width: 1280, height: 720 },
  pixelRatio: 1,
  userAgent: 'UA',
  agent: { browser: {}, engine: {}, os: {}, device: { type: 'desktop' } },
};

/** A waiting conversation, version 1, with a fresh id unless one is given. */
export function conversationRecord(
  overrides: Partial<ConversationRecord> = {},
): ConversationRecord {
  const id = overrides.id ?? newId();
  return {
    id,
    version: 1,
    status: 'waiting',
    priority: 0,
    joinCode: String(Math.floor(Math.random() * 1e9)).padStart(9, '0'),
    visitorTokenHash: `hash-${id}`,
    details,
    visitor: {},
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}
