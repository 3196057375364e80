import type { Namespace, Socket } from 'socket.io';
import type {
  AgentClientEvents,
  AgentServerEvents,
  VisitorClientEvents,
  VisitorServerEvents,
} from '../../protocol/events.ts';
import type { HelperAccount } from '../store/store.ts';

export interface VisitorSocketData {
  conversationId: string;
  /** How the visitor's messages are signed. */
  name: string;
}

export interface AgentSocketData {
  helper: HelperAccount;
  sessionHash: string;
}

type NoEvents = Record<string, never>;

export type VisitorNamespace = Namespace<
  VisitorClientEvents,
  VisitorServerEvents,
  NoEvents,
  VisitorSocketData
>;
export type AgentNamespace = Namespace<
  AgentClientEvents,
  AgentServerEvents,
  NoEvents,
  AgentSocketData
>;
export type VisitorSocket = Socket<
  VisitorClientEvents,
  VisitorServerEvents,
  NoEvents,
  VisitorSocketData
>;
export type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, NoEvents, AgentSocketData>;
