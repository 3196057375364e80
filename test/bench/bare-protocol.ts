/**
 * The bare relay's contract (bare-relay-server.ts): the chat events of the real protocol,
 * with the same names and payloads, and nothing else. Handshakes name the people directly,
 * since the relay has no help requests, sessions or tokens.
 */
import type { AckCallback } from '../../protocol/ack.ts';
import type { Message } from '../../protocol/domain.ts';
import type { ChatSendPayload } from '../../protocol/schemas.ts';

/** `/agent` handshake: which simulated helper this socket is. */
export interface BareHelperAuth {
  helper: string;
}

/** `/visitor` handshake: the conversation, and the helper whose socket should receive it. */
export interface BareVisitorAuth {
  conversationId: string;
  helper: string;
}

export interface BareVisitorClientEvents {
  'chat:send': (payload: ChatSendPayload, ack: AckCallback<Message>) => void;
}

export interface BareServerEvents {
  /** Sent once the socket is in its rooms, so the first message cannot miss its helper. */
  'bare:ready': () => void;
  'chat:message': (message: Message) => void;
}

export type BareClientEvents = BareVisitorClientEvents;
