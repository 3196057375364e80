/** Chat events, the same for visitors and helpers; only the actor and the rooms differ. */
import {
  chatHistorySchema,
  chatReadSchema,
  chatSendSchema,
  chatTypingSchema,
} from '../../protocol/schemas.ts';
import { type Actor, conversationFor } from '../domain/access.ts';
import { history, markRead, sendMessage } from '../domain/chat.ts';
import { DeskError } from '../domain/desk-error.ts';
import type { HelpDesk } from '../domain/help-desk.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { handler } from './handler.ts';
import { rooms } from './rooms.ts';
import type { AgentNamespace, VisitorNamespace } from './types.ts';

export interface ChatDeps {
  desk: HelpDesk;
  visitors: VisitorNamespace;
  agents: AgentNamespace;
  /** Called when the visitor's first message changes what the queue shows. */
  onQueuePreview: () => void;
  /** Per-event check that the socket may still act (e.g. its session was not signed out). */
  guard?: () => Promise<DeskError | undefined>;
}

/** The four chat listeners for one socket; the namespace registers them by name. */
export function chatHandlers(
  actor: Actor,
  sendLimiter: { limiter: RateLimiter; key: string },
  deps: ChatDeps,
) {
  const { desk, visitors, agents } = deps;
  const store = desk.store;
  const toBoth = (conversationId: string) => {
    const room = rooms.conversation(conversationId);
    return { visitors: visitors.to(room), agents: agents.to(room) };
  };
  const rateGuard = async () => {
    const refused = await deps.guard?.();
    if (refused) return refused;
    if (sendLimiter.limiter.take(sendLimiter.key)) return undefined;
    const seconds = Math.ceil(sendLimiter.limiter.retryAfterMs(sendLimiter.key) / 1000);
    return new DeskError('rate_limited', `sending too fast; wait ${seconds} s`);
  };

  return {
    send: handler(
      'chat:send',
      chatSendSchema,
      async (payload) => {
        const result = await sendMessage(store, actor, payload);
        // A resend was already delivered; only the ack repeats.
        if (!result.duplicate) {
          const both = toBoth(payload.conversationId);
          both.visitors.emit('chat:message', result.message);
          both.agents.emit('chat:message', result.message);
        }
        if (result.firstMessage) deps.onQueuePreview();
        return result.message;
      },
      rateGuard,
    ),
    typing: handler(
      'chat:typing',
      chatTypingSchema,
      async (payload) => {
        await conversationFor(store, actor, payload.conversationId, 'write');
        const event = {
          conversationId: payload.conversationId,
          from: actor.kind,
          typing: payload.typing,
        };
        const both = toBoth(payload.conversationId);
        // Only the other side needs to know.
        if (actor.kind === 'visitor') both.agents.emit('chat:typing', event);
        else both.visitors.emit('chat:typing', event);
        return null;
      },
      deps.guard,
    ),
    read: handler(
      'chat:read',
      chatReadSchema,
      async (payload) => {
        const by = await markRead(store, actor, payload);
        const event = { conversationId: payload.conversationId, by, upTo: payload.upTo };
        const both = toBoth(payload.conversationId);
        both.visitors.emit('chat:read', event);
        both.agents.emit('chat:read', event);
        return null;
      },
      deps.guard,
    ),
    history: handler(
      'chat:history',
      chatHistorySchema,
      async (payload) => ({
        messages: await history(store, actor, payload),
      }),
      deps.guard,
    ),
  };
}
