import type { Socket } from 'socket.io-client';
import type { Ack, AckCallback } from '../../protocol/ack.ts';

type EmitEvents<S> = S extends Socket<infer _Listen, infer Emit> ? Emit : never;
type AckData<F> = F extends (payload: never, ack: AckCallback<infer T>) => void ? T : never;
export type Payload<F> = F extends (payload: infer P, ...rest: never[]) => void ? P : never;

/**
 * An acknowledged emit that gives up after `timeoutMs`, resolving undefined without an answer.
 * `socket.timeout().emitWithAck()` loses the contract's types; they are restored here from
 * the socket's own event map. Shared by the widget and the agent page.
 */
export function ask<S extends Socket, E extends keyof EmitEvents<S> & string>(
  socket: S,
  event: E,
  payload: Payload<EmitEvents<S>[E]>,
  timeoutMs = 10_000,
): Promise<Ack<AckData<EmitEvents<S>[E]>> | undefined> {
  // The typed overloads cannot take a generic event name; the signature above is the contract.
  const timed = socket.timeout(timeoutMs) as unknown as {
    emitWithAck(event: string, payload: unknown): Promise<Ack<AckData<EmitEvents<S>[E]>>>;
  };
  return timed.emitWithAck(event, payload).catch(() => undefined);
}
