/** Chat events, the same for visitors and helpers; only the actor differs. */
import {
  chatHistorySchema,
  chatReadSchema,
  chatSendSchema,
  chatTypingSchema,
} from '../../protocol/schemas.ts';
import type { HelpDesk } from '../desk/desk.ts';
import type { Actor } from '../domain/conversation-types.ts';
import { type Guard, handler } from './handler.ts';

/** Who a socket is, as every handler needs it. */
export interface SocketContext {
  actor: Actor;
}

/**
 * The four chat handlers of a namespace. `guard` runs before each; `sendGuard` before a send
 * (a helper's own limit). Visitors' limits wrap the whole table (event-limits.ts).
 */
export function chatHandlers<C extends SocketContext>(
  desk: HelpDesk,
  guard?: Guard<C>,
  sendGuard: Guard<C> | undefined = guard,
) {
  return {
    'chat:send': handler(
      'chat:send',
      chatSendSchema,
      async ({ actor }: C, { conversationId, id, text, internal }) =>
        (await desk.sendMessage(actor, conversationId, { id, text, internal })).message,
      sendGuard,
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
