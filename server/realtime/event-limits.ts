import { fail } from '../../protocol/ack.ts';
import type { VisitorClientEvents } from '../../protocol/events.ts';
import type { RateLimiter } from '../rate-limit.ts';
import type { EventHandler, HandlerTable } from './handler.ts';

export type VisitorEvent = keyof VisitorClientEvents & string;

/** Each visitor event's buckets: per conversation, and per client address. */
export type VisitorEventLimiters = Record<
  VisitorEvent,
  { perConversation: RateLimiter; perIp: RateLimiter }
>;

/**
 * Every visitor event is counted per conversation and per client address, in live-state
 * buckets: ten sockets on one visitor token share one allowance, a reconnect refills nothing,
 * and (with a shared live state) neither does moving to another process.
 */
export function limitVisitorEvents<Events, C extends { conversationId: string; ip: string }>(
  table: HandlerTable<Events, C>,
  limiters: VisitorEventLimiters,
): HandlerTable<Events, C> {
  const limited = {} as Record<string, EventHandler<C>>;
  for (const [event, run] of Object.entries(table) as [VisitorEvent, EventHandler<C>][]) {
    const { perConversation, perIp } = limiters[event];
    limited[event] = (context, payload, ack) => {
      void passes(perConversation, perIp, context).then(
        (waitMs) => {
          if (waitMs === 0) {
            run(context, payload, ack);
            return;
          }
          // A flood is answered as cheaply as possible: no Error (and no stack) per refusal.
          const seconds = Math.max(1, Math.ceil(waitMs / 1000));
          ack?.(fail('rate_limited', `too many ${event} at once; wait ${seconds} s`));
        },
        (error: unknown) => {
          console.error(`${event}: the rate limit could not be checked`, error);
          ack?.(fail('internal', 'something went wrong on our side'));
        },
      );
    };
  }
  return limited as HandlerTable<Events, C>;
}

/**
 * 0 when both buckets had a token; else how long to wait. The address is not charged for
 * what the conversation's own limit refuses.
 */
async function passes(
  perConversation: RateLimiter,
  perIp: RateLimiter,
  context: { conversationId: string; ip: string },
): Promise<number> {
  const own = await perConversation.take(context.conversationId);
  if (!own.ok) return Math.max(1, own.retryAfterMs);
  const address = await perIp.take(context.ip);
  return address.ok ? 0 : Math.max(1, address.retryAfterMs);
}
