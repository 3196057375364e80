import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { io, type Socket } from 'socket.io-client';
import type { ControlChange, ControlStatus } from '../../protocol/cobrowse.ts';
import type {
  HelpRequestCreated,
  Message,
  VisitorConversation,
  VisitorInfo,
} from '../../protocol/domain.ts';
import type { VisitorClientEvents, VisitorServerEvents } from '../../protocol/events.ts';
import { forgetChat, loadSavedChat, type SavedChat, saveChat } from '../saved-chat.ts';
import { ask } from './ask.ts';
import { collectClientDetails } from './client-details.ts';

type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

/** Where the chat is, from the visitor's point of view. */
export type Phase =
  | 'idle'
  | 'requesting'
  | 'connecting'
  | 'online'
  | 'offline'
  | 'ended'
  | 'failed';

export interface PendingMessage {
  id: string;
  text: string;
  /** Set when the server refused it (too long, too fast): shown, not retried. */
  error?: string;
}

export interface ChatSessionOptions {
  server: () => string;
  visitorInfo: () => VisitorInfo;
  /** A helper's message arrived; `unread` tells whether the visitor can see it now. */
  onHelperMessage: (message: Message) => void;
  isOpen: () => boolean;
}

const TYPING_IDLE_MS = 4000;

/**
 * The visitor's side of one conversation: the help request, the socket, history catch-up,
 * the outbox of unacknowledged messages and the unread count. Survives reloads through
 * localStorage. What `hostConnected` opens, `hostDisconnected` closes.
 */
export class ChatSession implements ReactiveController {
  phase: Phase = 'idle';
  conversation: VisitorConversation | undefined;
  messages: Message[] = [];
  helperTyping = false;
  error = '';
  /** Set while a helper follows this page (follow mode). */
  following: { helperName: string } | undefined;
  /** Passing control: asked for, or granted (then Esc takes it back). */
  control: ControlStatus | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #options: ChatSessionOptions;
  #socket: VisitorSocket | undefined;
  #saved: SavedChat | undefined;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #typingSent = false;
  #stopLeading: (() => void) | undefined;
  readonly #escape = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && this.control?.state === 'granted') this.answerControl(false);
  };
  /** Typed while the help request is on its way: joins the outbox once it exists. */
  #early: PendingMessage[] = [];
  readonly #online = () => this.#socket?.connect();
  readonly #offline = () => {
    // Chromium keeps a dead websocket open for a while; offline is offline.
    this.#socket?.disconnect();
    this.#setPhase('offline');
  };

  constructor(host: ReactiveControllerHost, options: ChatSessionOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get pending(): PendingMessage[] {
    return this.#saved?.outbox ?? this.#early;
  }

  get unread(): number {
    return this.#saved?.unread ?? 0;
  }

  get active(): boolean {
    return this.#saved !== undefined;
  }

  hostConnected(): void {
    addEventListener('online', this.#online);
    addEventListener('offline', this.#offline);
    this.#saved = loadSavedChat(this.#options.server());
    if (this.#saved) this.#connect();
  }

  hostDisconnected(): void {
    removeEventListener('online', this.#online);
    removeEventListener('offline', this.#offline);
    clearTimeout(this.#typingTimer);
    this.#lead(false);
    removeEventListener('keydown', this.#escape, true);
    this.#socket?.disconnect();
    this.#socket = undefined;
  }

  /** Allow / Deny, or "Take back control" (false). */
  answerControl(allow: boolean): void {
    if (!this.#saved || !this.#socket?.connected) return;
    // Taking control back is immediate here, whatever the network does.
    if (!allow && this.control) this.#setControl({ ...this.control, state: 'none' });
    this.#socket.emit('control:answer', { conversationId: this.#saved.conversationId, allow });
  }

  #setControl(status: ControlStatus | undefined): void {
    this.control = status && status.state !== 'none' ? status : undefined;
    if (this.control?.state === 'granted') addEventListener('keydown', this.#escape, true);
    else removeEventListener('keydown', this.#escape, true);
    this.#host.requestUpdate();
  }

  /** "Stop sharing": ends follow mode at once. */
  stopSharing(): void {
    this.#lead(false);
    this.following = undefined;
    this.#host.requestUpdate();
    if (this.#saved && this.#socket?.connected) {
      this.#socket.emit('cobrowse:stop', { conversationId: this.#saved.conversationId });
    }
  }

  /** Opens the conversation: resumes the saved one or asks for help. */
  async start(): Promise<void> {
    if (this.#saved || this.phase === 'requesting') return;
    this.messages = [];
    this.conversation = undefined;
    this.error = '';
    this.#setPhase('requesting');
    try {
      const response = await fetch(`${this.#options.server()}/api/help-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(await collectClientDetails(this.#options.visitorInfo())),
      });
      const body = (await response.json()) as HelpRequestCreated & { error?: { message: string } };
      if (!response.ok) throw new Error(body.error?.message ?? `status ${response.status}`);
      this.#saved = {
        conversationId: body.conversationId,
        token: body.visitorToken,
        joinCode: body.joinCode,
        open: this.#options.isOpen(),
        unread: 0,
        outbox: this.#early,
      };
      this.#early = [];
      this.#persist();
      this.#connect();
    } catch (error) {
      this.error = `We could not reach the help service (${(error as Error).message}). Please try again.`;
      this.#setPhase('failed');
    }
  }

  send(text: string): void {
    if (!text.trim()) return;
    const message = { id: crypto.randomUUID(), text };
    // New arrays, not push: the message list re-renders only when it gets a new array.
    if (!this.#saved) {
      this.#early = [...this.#early, message];
      this.#host.requestUpdate();
      return;
    }
    this.#saved.outbox = [...this.#saved.outbox, message];
    this.#persist();
    this.typing(false);
    this.#host.requestUpdate();
    void this.#deliver(message);
  }

  /** Called as the visitor types; tells the helper, and stops telling after a pause. */
  typing(active: boolean): void {
    clearTimeout(this.#typingTimer);
    if (active) this.#typingTimer = setTimeout(() => this.typing(false), TYPING_IDLE_MS);
    if (active === this.#typingSent || !this.#socket?.connected || !this.#saved) return;
    this.#typingSent = active;
    this.#socket.emit('chat:typing', {
      conversationId: this.#saved.conversationId,
      typing: active,
    });
  }

  /** The visitor sees every message: clear the unread count and tell the helper. */
  markRead(): void {
    if (!this.#saved) return;
    const last = this.messages.findLast((m) => m.from === 'helper');
    const seenSeq = this.messages.at(-1)?.seq ?? 0;
    if (this.#saved.unread !== 0 || (this.#saved.seenSeq ?? 0) < seenSeq) {
      this.#saved.unread = 0;
      this.#saved.seenSeq = seenSeq;
      this.#persist();
    }
    if (last && this.conversation?.readUpTo.visitor !== last.id && this.#socket?.connected) {
      this.#socket.emit('chat:read', { conversationId: last.conversationId, upTo: last.id });
    }
  }

  setOpen(open: boolean): void {
    if (!this.#saved || this.#saved.open === open) return;
    this.#saved.open = open;
    this.#persist();
  }

  /** Ends the conversation for both sides; the next press starts a new one. */
  async end(): Promise<void> {
    if (!this.#saved || !this.#socket) return;
    await ask(this.#socket, 'conversation:end', { conversationId: this.#saved.conversationId });
    this.#finish();
  }

  /** Forgets an ended conversation so the next `start()` asks for help again. */
  reset(): void {
    this.#finish();
    this.phase = 'idle';
    this.messages = [];
    this.conversation = undefined;
    this.#host.requestUpdate();
  }

  // Internals ---------------------------------------------------------------------------

  #connect(): void {
    const saved = this.#saved;
    if (!saved || this.#socket) return;
    this.#setPhase('connecting');
    const socket: VisitorSocket = io(`${this.#options.server()}/visitor`, {
      auth: { token: saved.token },
    });
    this.#socket = socket;
    socket.on('connect', () => void this.#catchUp());
    socket.on('disconnect', () => {
      if (this.phase !== 'ended') this.#setPhase(navigator.onLine ? 'connecting' : 'offline');
    });
    socket.on('connect_error', (error) => {
      if (error.message.startsWith('unauthorized')) {
        // The server no longer knows this conversation: start afresh next time.
        this.#finish();
        this.#setPhase('idle');
      } else {
        this.#setPhase(navigator.onLine ? 'connecting' : 'offline');
      }
    });
    socket.on('conversation:updated', (conversation) => {
      this.conversation = conversation;
      if (conversation.status === 'ended') this.#finish();
      this.#host.requestUpdate();
    });
    socket.on('chat:message', (message) => this.#receive(message));
    socket.on('control:status', (status) => this.#setControl(status));
    socket.on('control:apply', (change) => {
      if (this.control?.state !== 'granted' || document.visibilityState !== 'visible') return;
      const { conversationId: _ignored, ...rest } = change;
      void import('../cobrowse/control-apply.ts').then(({ applyControlChange }) =>
        applyControlChange(rest as ControlChange),
      );
    });
    socket.on('cobrowse:refresh', () => {
      // Only the tab the visitor is looking at; the chat comes back open after the load.
      if (this.following && document.visibilityState === 'visible') location.reload();
    });
    socket.on('cobrowse:point', ({ path }) => {
      if (this.following && document.visibilityState === 'visible') {
        void import('../cobrowse/pulse.ts').then(({ pulse }) => pulse(path));
      }
    });
    socket.on('cobrowse:status', (status) => {
      this.following = status.active
        ? { helperName: status.helperName ?? 'Your helper' }
        : undefined;
      // Restarted on every status: after a reconnect the copy gets a fresh snapshot.
      this.#lead(false);
      if (status.active) this.#lead(true);
      this.#host.requestUpdate();
    });
    socket.on('chat:typing', (event) => {
      this.helperTyping = event.typing;
      this.#host.requestUpdate();
    });
    socket.on('chat:read', (event) => {
      if (!this.conversation) return;
      this.conversation = {
        ...this.conversation,
        readUpTo: { ...this.conversation.readUpTo, [event.by]: event.upTo },
      };
      this.#host.requestUpdate();
    });
  }

  /** On every (re)connect: fetch what we missed, then send what is waiting in the outbox. */
  async #catchUp(): Promise<void> {
    const saved = this.#saved;
    const socket = this.#socket;
    if (!saved || !socket) return;
    socket.emit('conversation:page', {
      conversationId: saved.conversationId,
      url: location.href,
      title: document.title.slice(0, 500),
    });
    const after = this.messages.at(-1)?.id;
    const history = await ask(socket, 'chat:history', {
      conversationId: saved.conversationId,
      ...(after ? { after } : {}),
    });
    if (history?.ok) for (const message of history.data.messages) this.#receive(message, true);
    if (this.phase !== 'ended') this.#setPhase('online');
    for (const message of [...saved.outbox]) if (!message.error) await this.#deliver(message);
  }

  async #deliver(message: PendingMessage): Promise<void> {
    const saved = this.#saved;
    const socket = this.#socket;
    if (!saved || !socket?.connected) return;
    // No answer: it stays in the outbox and goes again, same id, on reconnect.
    const answer = await ask(socket, 'chat:send', {
      conversationId: saved.conversationId,
      id: message.id,
      text: message.text,
    });
    if (!answer) return;
    if (answer.ok) {
      saved.outbox = saved.outbox.filter((m) => m.id !== message.id);
      this.#receive(answer.data);
    } else {
      saved.outbox = saved.outbox.map((m) =>
        m.id === message.id ? { ...m, error: answer.error.message } : m,
      );
    }
    this.#persist();
    this.#host.requestUpdate();
  }

  #receive(message: Message, fromHistory = false): void {
    if (this.messages.some((m) => m.id === message.id)) return;
    this.messages = [...this.messages, message].sort((a, b) => a.seq - b.seq);
    if (this.#saved) this.#saved.outbox = this.#saved.outbox.filter((m) => m.id !== message.id);
    if (message.from === 'helper') {
      this.helperTyping = false;
      if (!fromHistory) this.#options.onHelperMessage(message);
    }
    // Counted from what was seen, not from arrivals: messages that came while the visitor was
    // between pages arrive as history, and still count.
    if (this.#saved && !this.#options.isOpen()) {
      const seen = this.#saved.seenSeq ?? 0;
      this.#saved.unread = this.messages.filter((m) => m.from === 'helper' && m.seq > seen).length;
    }
    this.#persist();
    this.#host.requestUpdate();
  }

  /** Starts or stops reporting this page; the code for it loads only when first needed. */
  #lead(on: boolean): void {
    this.#stopLeading?.();
    this.#stopLeading = undefined;
    if (!on) return;
    let stopped = false;
    this.#stopLeading = () => {
      stopped = true;
    };
    void import('../cobrowse/leader.ts').then(({ startLeading }) => {
      if (stopped) return;
      this.#stopLeading = startLeading((change) => {
        const socket = this.#socket;
        if (!this.#saved || !socket?.connected) return;
        // Scroll is a stream: a stale position may be dropped; a navigation may not.
        const channel = change.type === 'scroll' ? socket.volatile : socket;
        channel.emit('cobrowse:change', { conversationId: this.#saved.conversationId, ...change });
      });
    });
  }

  #finish(): void {
    this.#lead(false);
    this.#setControl(undefined);
    this.following = undefined;
    this.#socket?.disconnect();
    this.#socket = undefined;
    this.#saved = undefined;
    forgetChat(this.#options.server());
    this.#setPhase('ended');
  }

  #persist(): void {
    if (this.#saved) saveChat(this.#options.server(), this.#saved);
  }

  #setPhase(phase: Phase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.#host.requestUpdate();
  }
}
