import type { z } from 'zod';
import { type Ack, type AckCallback, fail } from '../../protocol/ack.ts';
import { parsePayload } from '../../protocol/schemas.ts';
import { DeskError } from '../domain/desk-error.ts';

/** A per-event check that the socket may still act at all (e.g. its session is live). */
export type Guard = () => Promise<DeskError | undefined>;

/**
 * Wraps an event handler: parses the payload with its schema, runs the handler, answers
 * through the ack. Bad input, a client's mistake, gets an error ack and changes nothing;
 * an unexpected failure, ours, is logged and answered `internal`. The server never throws
 * out of a handler, whatever arrives.
 */
export function handler<S extends z.ZodType, T>(
  event: string,
  schema: S,
  run: (data: z.output<S>) => Promise<T>,
  guard?: Guard,
): (payload: unknown, ack?: AckCallback<T>) => void {
  return (...args: unknown[]) => {
    // A client may leave out the payload and send only a callback, or send no callback.
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as AckCallback<T>) : undefined;
    const payload = args.length > (ack ? 1 : 0) ? args[0] : undefined;
    void answer(event, schema, run, payload, guard).then((result) => ack?.(result));
  };
}

async function answer<S extends z.ZodType, T>(
  event: string,
  schema: S,
  run: (data: z.output<S>) => Promise<T>,
  payload: unknown,
  guard: Guard | undefined,
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
