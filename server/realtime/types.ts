import type { Namespace, Socket } from 'socket.io';
import type {
  AgentClientEvents,
  AgentServerEvents,
  FollowClientEvents,
  FollowServerEvents,
  VisitorClientEvents,
  VisitorServerEvents,
} from '../../protocol/events.ts';

/**
 * What each socket carries. Nothing secret: with a cluster adapter, socket data travels
 * between processes. Session hashes and tokens stay in the connection handler's closure.
 */
export interface VisitorSocketData {
  conversationId: string;
  /** How the visitor's messages are signed. */
  name: string;
  /** The client's address, as limits count it (through trusted proxies only). */
  ip: string;
  /** Whether the page is shown (`visibilitychange`); unset until the widget says. */
  visible?: boolean;
}

export interface AgentSocketData {
  helperId: string;
  name: string;
}

export interface FollowSocketData {
  conversationId: string;
  helperId: string;
  grantId: string;
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
export type FollowNamespace = Namespace<
  FollowClientEvents,
  FollowServerEvents,
  NoEvents,
  FollowSocketData
>;
export type VisitorSocket = Socket<
  VisitorClientEvents,
  VisitorServerEvents,
  NoEvents,
  VisitorSocketData
>;
export type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, NoEvents, AgentSocketData>;
export type FollowSocket = Socket<
  FollowClientEvents,
  FollowServerEvents,
  NoEvents,
  FollowSocketData
>;

/** The three namespaces, as the publisher and the handlers reach them. */
export interface Namespaces {
  visitors: VisitorNamespace;
  agents: AgentNamespace;
  follow: FollowNamespace;
}
