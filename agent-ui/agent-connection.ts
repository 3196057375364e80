import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../protocol/ack.ts';
import type { ControlState, FocusValue } from '../protocol/cobrowse.ts';
import type { ConversationSummary, HelperStatus, Message } from '../protocol/domain.ts';
import type {
  AgentClientEvents,
  AgentServerEvents,
  ConversationLeftEvent,
} from '../protocol/events.ts';
import type { KeptMirrorPart, MirrorStatus } from '../protocol/mirror.ts';
import { queueCompare } from '../protocol/queue.ts';
import { TRANSPORTS } from '../protocol/transports.ts';
import { ask, type Payload } from '../widget/chat/ask.ts';
import { strings } from './strings.ts';

type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;
export type ConnectionState = 'connecting' | 'online' | 'offline' | 'signed-out';

export interface PendingReply {
  id: string;
  text: string;
  error?: string;
  /** An internal note: for helpers only. */
  internal?: true;
}

/** One of the helper's conversations, as the page holds it. */
export interface OpenConversation {
  summary: ConversationSummary;
  messages: Message[];
  pending: PendingReply[];
  visitorTyping: boolean;
  /** Whether the helper follows the visitor's page, and the visitor still shares it. */
  following?: boolean;
  viewport?: { width: number; height: number };
  /** Passing control, as the visitor last answered. */
  control?: ControlState;
  visitorFocus?: FocusValue;
  /** Mirror mode: asked, shared, or how it last ended. */
  mirror?: MirrorStatus;
}

export interface AgentConnectionOptions {
  /** A request joined the queue, or a conversation was given to this helper. */
  onArrival: (summary: ConversationSummary) => void;
  /** A conversation is no longer this helper's (taken over, transferred, re-queued). */
  /** With the conversation as this page last had it, for saying which one went. */
  onLeft: (event: ConversationLeftEvent, summary: ConversationSummary | undefined) => void;
}

/**
 * The helper's live connection: helper status, the queue, their conversations with messages,
 * and an outbox of replies that survives a network drop. On every (re)connect it catches up on
 * what it missed and resends what was not acknowledged, with the same ids.
 */
export class AgentConnection implements ReactiveController {
  state: ConnectionState = 'connecting';
  status: HelperStatus | undefined;
  queue: ConversationSummary[] = [];
  conversations = new Map<string, OpenConversation>();

  readonly #host: ReactiveControllerHost;
  readonly #options: AgentConnectionOptions;
  #socket: AgentSocket | undefined;
  /** Undefined until the first queue arrives: what is waiting on page load is not "new". */
  #seenQueue: Set<string> | undefined;
  readonly #typingSent = new Map<string, boolean>();
  /** Who wants the pieces of each conversation's mirror recording (its replay). */
  readonly #mirrorWatchers = new Map<string, Set<(part: KeptMirrorPart) => void>>();

  constructor(host: ReactiveControllerHost, options: AgentConnectionOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  readonly #online = () => this.#socket?.connect();
  readonly #offline = () => {
    // A dead connection can look open for a while; offline is offline.
    this.#socket?.disconnect();
    this.#setState('offline');
  };

  hostConnected(): void {
    addEventListener('online', this.#online);
    addEventListener('offline', this.#offline);
    this.#connect();
  }

  hostDisconnected(): void {
    removeEventListener('online', this.#online);
    removeEventListener('offline', this.#offline);
    this.#socket?.disconnect();
    this.#socket = undefined;
  }

  /** Hands each piece of a conversation's mirror recording to `watcher`; returns the undo. */
  watchMirror(conversationId: string, watcher: (part: KeptMirrorPart) => void): () => void {
    const watchers = this.#mirrorWatchers.get(conversationId) ?? new Set();
    watchers.add(watcher);
    this.#mirrorWatchers.set(conversationId, watchers);
    return () => {
      watchers.delete(watcher);
      if (watchers.size === 0) this.#mirrorWatchers.delete(conversationId);
    };
  }

  /** Ask and wait for the answer; undefined when none came in time. */
  ask<E extends keyof AgentClientEvents & string>(
    event: E,
    payload: Payload<AgentClientEvents[E]>,
  ): ReturnType<typeof ask<AgentSocket, E>> {
    const socket = this.#socket;
    if (!socket?.connected) {
      const offline: Ack<never> = {
        ok: false,
        error: { code: 'internal', message: strings.notConnected },
      };
      return Promise.resolve(offline);
    }
    return ask(socket, event, payload);
  }

  /** A reply to the visitor, or with `internal` a note only helpers read. */
  send(conversationId: string, text: string, { internal = false } = {}): void {
    if (!this.conversations.has(conversationId) || !text.trim()) return;
    const reply: PendingReply = {
      id: crypto.randomUUID(),
      text,
      ...(internal ? { internal: true } : {}),
    };
    this.#patch(conversationId, (open) => ({ pending: [...open.pending, reply] }));
    this.#typing(conversationId, false);
    void this.#deliver(conversationId, reply);
  }

  typing(conversationId: string, typing: boolean): void {
    this.#typing(conversationId, typing);
  }

  /** Everything in this conversation has been seen by the helper. */
  markRead(conversationId: string): void {
    const open = this.conversations.get(conversationId);
    const last = open?.messages.findLast((m) => m.from === 'visitor');
    if (!open || !last || open.summary.readUpTo.helper === last.id) return;
    this.#patch(conversationId, ({ summary }) => ({
      summary: { ...summary, readUpTo: { ...summary.readUpTo, helper: last.id } },
    }));
    this.#socket?.emit('chat:read', { conversationId, upTo: last.id });
  }

  /** Visitor messages after the helper's read mark. */
  unread(open: OpenConversation): number {
    const mark = open.summary.readUpTo.helper;
    const seq = mark ? (open.messages.find((m) => m.id === mark)?.seq ?? 0) : 0;
    return open.messages.filter((m) => m.from === 'visitor' && m.seq > seq).length;
  }

  /** Forgets an ended conversation the helper has finished looking at. */
  dismiss(conversationId: string): void {
    this.conversations.delete(conversationId);
    this.#host.requestUpdate();
  }

  // Internals ---------------------------------------------------------------------------

  /**
   * Replaces a conversation with a changed copy: elements below get a new object and
   * re-render; changing it in place would leave them showing the old state.
   */
  #patch(
    conversationId: string,
    change: (open: OpenConversation) => Partial<OpenConversation>,
  ): void {
    const open = this.conversations.get(conversationId);
    if (!open) return;
    this.conversations.set(conversationId, { ...open, ...change(open) });
    this.#host.requestUpdate();
  }

  #connect(): void {
    const socket: AgentSocket = io('/agent', { withCredentials: true, ...TRANSPORTS });
    this.#socket = socket;
    socket.on('connect', () => {
      this.#setState('online');
      for (const id of this.conversations.keys()) void this.#catchUp(id);
    });
    socket.on('disconnect', () => this.#setState(navigator.onLine ? 'connecting' : 'offline'));
    socket.on('connect_error', (error) => {
      if (error.message.startsWith('unauthorized')) {
        socket.disconnect();
        this.#setState('signed-out');
      } else {
        this.#setState(navigator.onLine ? 'connecting' : 'offline');
      }
    });
    socket.on('helper:status', (status) => {
      this.status = status;
      this.#host.requestUpdate();
    });
    socket.on('queue:updated', ({ waiting }) => this.#setQueue(waiting));
    socket.on('queue:changed', ({ waiting, gone }) => {
      const changed = new Map(waiting.map((entry) => [entry.id, entry]));
      const left = new Set(gone);
      const kept = this.queue.filter((entry) => !changed.has(entry.id) && !left.has(entry.id));
      this.#setQueue([...kept, ...changed.values()].sort(queueCompare));
    });
    socket.on('conversation:updated', (summary) => this.#updated(summary));
    socket.on('conversation:left', (event) => {
      // Access has already ended on the server: the chat and the copy of the page go now.
      const gone = this.conversations.get(event.conversationId);
      this.conversations.delete(event.conversationId);
      this.#options.onLeft(event, gone?.summary);
      this.#host.requestUpdate();
    });
    socket.on('chat:message', (message) => this.#receive(message));
    socket.on('chat:typing', (event) => {
      if (event.from === 'visitor') {
        this.#patch(event.conversationId, () => ({ visitorTyping: event.typing }));
      }
    });
    socket.on('cobrowse:change', (change) => {
      if (change.type === 'resize') {
        this.#patch(change.conversationId, () => ({ viewport: change.value }));
      } else if (change.type === 'focus') {
        this.#patch(change.conversationId, () => ({ visitorFocus: change.value }));
      }
    });
    socket.on('control:status', (status) => {
      this.#patch(status.conversationId, () => ({ control: status.state }));
    });
    socket.on('cobrowse:status', (status) => {
      this.#patch(status.conversationId, () => ({ following: status.active }));
    });
    socket.on('mirror:status', (status) => {
      this.#patch(status.conversationId, () => ({ mirror: status }));
    });
    socket.on('mirror:data', ({ conversationId, ...part }) => {
      for (const watcher of this.#mirrorWatchers.get(conversationId) ?? []) watcher(part);
    });
    socket.on('chat:read', (event) => {
      this.#patch(event.conversationId, ({ summary }) => ({
        summary: { ...summary, readUpTo: { ...summary.readUpTo, [event.by]: event.upTo } },
      }));
    });
  }

  /**
   * The queue in order, chats numbered (messages wait outside the line, unnumbered); a
   * request not seen before is announced.
   */
  #setQueue(waiting: ConversationSummary[]): void {
    let position = 0;
    this.queue = waiting.map(({ queuePosition: _old, ...entry }) =>
      entry.kind === 'message' ? entry : { ...entry, queuePosition: ++position },
    );
    const seen = this.#seenQueue;
    if (seen) for (const entry of waiting) if (!seen.has(entry.id)) this.#options.onArrival(entry);
    this.#seenQueue = new Set(waiting.map((c) => c.id));
    this.#host.requestUpdate();
  }

  #updated(summary: ConversationSummary): void {
    const mine = summary.helperId === this.status?.id;
    const open = this.conversations.get(summary.id);
    if (open) {
      // Taken over by another helper (join by code) or re-queued: it is no longer ours.
      if (!mine && summary.status !== 'ended') this.conversations.delete(summary.id);
      else this.#patch(summary.id, () => ({ summary }));
    } else if (mine && summary.status === 'assigned') {
      this.conversations.set(summary.id, {
        summary,
        messages: [],
        pending: [],
        visitorTyping: false,
      });
      this.#options.onArrival(summary);
      void this.#catchUp(summary.id);
    }
    this.#host.requestUpdate();
  }

  async #catchUp(conversationId: string): Promise<void> {
    const open = this.conversations.get(conversationId);
    if (!open) return;
    const after = open.messages.at(-1)?.id;
    const history = await this.ask('chat:history', {
      conversationId,
      ...(after ? { after } : {}),
    });
    if (history?.ok) for (const message of history.data.messages) this.#receive(message);
    for (const reply of open.pending) if (!reply.error) await this.#deliver(conversationId, reply);
  }

  async #deliver(conversationId: string, reply: PendingReply): Promise<void> {
    // No answer: it stays pending and goes again, same id, on reconnect.
    const answer = await this.ask('chat:send', {
      conversationId,
      id: reply.id,
      text: reply.text,
      ...(reply.internal ? { internal: true } : {}),
    });
    if (!answer) return;
    if (answer.ok) {
      this.#receive(answer.data);
    } else if (this.#socket?.connected) {
      this.#patch(conversationId, (open) => ({
        pending: open.pending.map((p) =>
          p.id === reply.id ? { ...p, error: answer.error.message } : p,
        ),
      }));
    }
  }

  #receive(message: Message): void {
    this.#patch(message.conversationId, (open) => {
      const pending = open.pending.filter((p) => p.id !== message.id);
      if (open.messages.some((m) => m.id === message.id)) return { pending };
      return {
        pending,
        messages: [...open.messages, message].sort((a, b) => a.seq - b.seq),
        visitorTyping: message.from === 'visitor' ? false : open.visitorTyping,
      };
    });
  }

  /** Tells the visitor only when typing starts or stops, not on every key. */
  #typing(conversationId: string, typing: boolean): void {
    if ((this.#typingSent.get(conversationId) ?? false) === typing) return;
    this.#typingSent.set(conversationId, typing);
    this.#socket?.emit('chat:typing', { conversationId, typing });
  }

  #setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.#host.requestUpdate();
  }
}
