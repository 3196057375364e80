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

/** Who a socket is, as every handler needs it. */
export interface SocketContext {
  actor: Actor;
  /** Rate limits are per socket. */
  socketId: string;
}

/** The four chat handlers of a namespace. */
export function chatHandlers<C extends SocketContext>(
  desk: HelpDesk,
  sendLimiter: RateLimiter,
  guard?: Guard<C>,
) {
  const rateGuard: Guard<C> = async (context) => {
    const refused = await guard?.(context);
    if (refused) return refused;
    const bucket = await sendLimiter.take(context.socketId);
    if (bucket.ok) return undefined;
    const seconds = Math.ceil(bucket.retryAfterMs / 1000);
    return new DeskError('rate_limited', `sending too fast; wait ${seconds} s`);
  };

  return {
    'chat:send': handler(
      'chat:send',
      chatSendSchema,
      async ({ actor }: C, { conversationId, id, text }) =>
        (await desk.sendMessage(actor, conversationId, { id, text })).message,
      rateGuard,
    ),
    'chat:typing': handler(
      'chat:typing',
      chatTypingSchema,
      async ({ actor }: C, { conversationId, typing }) => {
        await desk.run(conversationId, { type: 'typing', typing }, actor);
        return null;
      },
      guard,
    ),
    'chat:read': handler(
      'chat:read',
      chatReadSchema,
      async ({ actor }: C, { conversationId, upTo }) => {
        await desk.run(conversationId, { type: 'mark-read', upTo }, actor);
        return null;
      },
      guard,
    ),
    'chat:history': handler(
      'chat:history',
      chatHistorySchema,
      async ({ actor }: C, { conversationId, after }) => ({
        messages: await desk.history(actor, conversationId, after),
      }),
      guard,
    ),
  };
}
