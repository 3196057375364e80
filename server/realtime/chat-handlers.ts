/** Chat events, the same for visitors and helpers; only the actor differs. */
import {
  chatHistorySchema,
  chatReadSchema,
  chatSendSchema,
  chatTypingSchema,
} from '../../protocol/schemas.ts';
import type { Actor } from '../domain/conversation-types.ts';
import { DeskError } from '../domain/desk-error.ts';
import type { HelpDesk } from '../desk/desk.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { type Guard, handler } from './handler.ts';

/** The four chat listeners for one socket; the namespace registers them by name. */
export function chatHandlers(
  desk: HelpDesk,
  actor: Actor,
  sendLimit: { limiter: RateLimiter; key: string },
  guard?: Guard,
) {
  const rateGuard: Guard = async () => {
    const refused = await guard?.();
    if (refused) return refused;
    const bucket = await sendLimit.limiter.take(sendLimit.key);
    if (bucket.ok) return undefined;
    const seconds = Math.ceil(bucket.retryAfterMs / 1000);
    return new DeskError('rate_limited', `sending too fast; wait ${seconds} s`);
  };

  return {
    send: handler(
      'chat:send',
      chatSendSchema,
      async ({ conversationId, id, text }) =>
        (await desk.sendMessage(actor, conversationId, { id, text })).message,
      rateGuard,
    ),
    typing: handler(
      'chat:typing',
      chatTypingSchema,
      async ({ conversationId, typing }) => {
        await desk.run(conversationId, { type: 'typing', typing }, actor);
        return null;
      },
      guard,
    ),
    read: handler(
      'chat:read',
      chatReadSchema,
      async ({ conversationId, upTo }) => {
        await desk.run(conversationId, { type: 'mark-read', upTo }, actor);
        return null;
      },
      guard,
    ),
    history: handler(
      'chat:history',
      chatHistorySchema,
      async ({ conversationId, after }) => ({
        messages: await desk.history(actor, conversationId, after),
      }),
      guard,
    ),
  };
}
