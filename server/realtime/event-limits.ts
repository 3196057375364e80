import { fail } from '../../protocol/ack.ts';
import type { VisitorClientEvents } from '../../protocol/events.ts';
import { DeskError } from '../domain/desk-error.ts';
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
      void Promise.all([perConversation.take(context.conversationId), perIp.take(context.ip)]).then(
        ([a, b]) => {
          if (a.ok && b.ok) {
            run(context, payload, ack);
            return;
          }
          const seconds = Math.max(1, Math.ceil(Math.max(a.retryAfterMs, b.retryAfterMs) / 1000));
          const refused = new DeskError(
            'rate_limited',
            `too many ${event} at once; wait ${seconds} s`,
          );
          ack?.({ ok: false, error: refused.toAckError() });
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
