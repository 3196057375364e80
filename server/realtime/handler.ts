import type { z } from 'zod';
import { type Ack, type AckCallback, fail } from '../../protocol/ack.ts';
import { parsePayload } from '../../protocol/schemas.ts';
import { DeskError } from '../domain/desk-error.ts';

/** A per-event check that the socket may still act at all (e.g. its session is live). */
export type Guard<C> = (context: C) => Promise<DeskError | undefined>;

/** One event's handling, shared by every socket of a namespace; `context` says whose. */
export type EventHandler<C, T = unknown> = (
  context: C,
  payload: unknown,
  ack: AckCallback<T> | undefined,
) => void;

/** What the acknowledgement of an event of an event map carries. */
type AckData<F> = F extends (payload: never, ack: AckCallback<infer T>) => void
  ? T
  : F extends (payload: never, ack?: AckCallback<infer T>) => void
    ? T
    : never;

/** A namespace's handlers by event name, each checked against the event map's ack type. */
export type HandlerTable<Events, C> = {
  [E in keyof Events & string]: EventHandler<C, AckData<Events[E]>>;
};

/**
 * Wraps an event handler: runs the guard, parses the payload with its schema, runs the
 * handler, answers through the ack. Bad input, a client's mistake, gets an error ack and
 * changes nothing; an unexpected failure, ours, is logged and answered `internal`. The server
 * never throws out of a handler, whatever arrives.
 */
export function handler<C, S extends z.ZodType, T>(
  event: string,
  schema: S,
  run: (context: C, data: z.output<S>) => Promise<T>,
  guard?: Guard<C>,
): EventHandler<C, T> {
  return (context, payload, ack) => {
    void answer(
      event,
      schema,
      (data) => run(context, data),
      payload,
      guard && (() => guard(context)),
    ).then((result) => ack?.(result));
  };
}

/**
 * The one listener a socket gets for all its events (Socket.IO calls it with the socket as
 * `this`). Handlers live in a table made once per namespace, not in closures made per socket:
 * with thousands of idle visitors, those closures cost more memory than anything else of ours.
 */
export function dispatcher<S, C, Events>(
  table: HandlerTable<Events, C>,
  context: (socket: S) => C,
): (this: S, event: string, ...args: unknown[]) => void {
  // Looked up by a name the client chose: each entry was checked against its event when the
  // table was written, so here they are all just handlers.
  const byName = table as unknown as Partial<Record<string, EventHandler<C>>>;
  return function dispatch(this: S, event: string, ...args: unknown[]) {
    const run = Object.hasOwn(byName, event) ? byName[event] : undefined;
    if (!run) return;
    // A client may leave out the payload and send only a callback, or send no callback.
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as AckCallback<unknown>) : undefined;
    const payload = args.length > (ack ? 1 : 0) ? args[0] : undefined;
    run(context(this), payload, ack);
  };
}

async function answer<S extends z.ZodType, T>(
  event: string,
  schema: S,
  run: (data: z.output<S>) => Promise<T>,
  payload: unknown,
  guard: (() => Promise<DeskError | undefined>) | undefined,
): Promise<Ack<T>> {
  const refused = await guard?.();
  if (refused) return { ok: false, error: refused.toAckError() };
  const parsed = parsePayload(schema, payload);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, data: await run(parsed.data) };
  } catch (error) {
    if (error instanceof DeskError) return { ok: false, error: error.toAckError() };
    console.error(`${event} failed`, error);
    return fail('internal', 'something went wrong on our side');
  }
}
