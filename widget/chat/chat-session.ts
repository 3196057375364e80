import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { io, type Socket } from 'socket.io-client';
import type { ErrorCode } from '../../protocol/ack.ts';
import type { ControlChange, ControlStatus } from '../../protocol/cobrowse.ts';
import type {
  DeskStatus,
  HelpRequestCreated,
  Message,
  Rating,
  VisitorConversation,
} from '../../protocol/domain.ts';
import type { VisitorClientEvents, VisitorServerEvents } from '../../protocol/events.ts';
import type { VisitorClaim } from '../../protocol/schemas.ts';
import { TRANSPORTS } from '../../protocol/transports.ts';
import type { MirrorShare } from '../mirror/mirror-share.ts';
import { randomId } from '../random-id.ts';
import { forgetChat, loadSavedChat, type SavedChat, saveChat } from '../saved-chat.ts';
import { ask } from './ask.ts';
import { collectClientDetails } from './client-details.ts';

type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

/** Where the chat is, from the visitor's point of view. `idle`: no conversation yet. */
export type Phase =
  | 'idle'
  | 'requesting'
  | 'connecting'
  | 'online'
  | 'offline'
  | 'ended'
  | 'failed';

/** Why something failed, as the UI words it: a server's code, or no answer at all. */
export type FailureCode = ErrorCode | 'network';

export interface PendingMessage {
  id: string;
  text: string;
  /**
   * Set when the server refused it (too long, too fast): shown, not retried. A FailureCode;
   * typed as text because it comes back from localStorage, where anything may be.
   */
  error?: string;
  /** Stored with the help request: shown until history brings it, never sent again. */
  stored?: boolean;
}

export interface ChatSessionOptions {
  server: () => string;
  visitorInfo: () => VisitorClaim;
  /** A helper's message arrived; `unread` tells whether the visitor can see it now. */
  onHelperMessage: (message: Message) => void;
  /** The conversation was created here, or this page learnt that it ended. */
  onSession: (type: 'help-session-start' | 'help-session-end', conversationId: string) => void;
  isOpen: () => boolean;
  /** What the visitor has typed and not sent. */
  draft: () => string;
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
  /** Why the last help request failed; "Try again" sends it again. */
  error: FailureCode | undefined;
  /** Whether someone is there and how long answers take, asked when the dialog opens. */
  deskStatus: DeskStatus | undefined;
  /** The visitor's rating of the chat that just ended, once the server took it. */
  rating: Rating | undefined;
  /** Set while a helper follows this page (follow mode). */
  following: { helperName: string } | undefined;
  /** Passing control: asked for, or granted (then Esc takes it back). */
  control: ControlStatus | undefined;
  /** Mirror mode; its code loads when a helper first asks to see the page. */
  mirror: MirrorShare | undefined;
  #mirrorLoading: Promise<MirrorShare> | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #options: ChatSessionOptions;
  #socket: VisitorSocket | undefined;
  #saved: SavedChat | undefined;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #typingSent = false;
  #stopLeading: (() => void) | undefined;
  /** The last Esc that took control back, so mirror mode does not also act on it. */
  #escapeTaken: KeyboardEvent | undefined;
  readonly #escape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || this.control?.state !== 'granted') return;
    // One Esc, one step back: control now; a page shared in mirror mode stays shared.
    this.#escapeTaken = event;
    this.answerControl(false);
  };
  /** The first message, while the help request that carries it is on its way (or failed). */
  #early: PendingMessage[] = [];
  /** What the first request asked, so "Try again" asks the same. */
  #request: { kind: 'chat' | 'message'; email?: string } = { kind: 'chat' };
  /** The ended conversation's token: rating it needs it after the saved chat is forgotten. */
  #endedToken: string | undefined;
  readonly #visibility = () => this.#reportVisibility();
  /**
   * Whatever unloads the page (a reload the site or the helper asked for, the visitor's own, a
   * link), the words being typed are kept: saved as late as possible, so none are lost.
   */
  readonly #pagehide = () => {
    if (!this.#saved) return;
    this.#saved.draft = this.#options.draft() || undefined;
    this.#persist();
  };
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

  /** Whether the chat that just ended on this page can still be rated. */
  get canRate(): boolean {
    return this.#endedToken !== undefined;
  }

  /** The email a message left for later may be answered at (this page load only). */
  get contactEmail(): string | undefined {
    return this.#request.kind === 'message' ? this.#request.email : undefined;
  }

  hostConnected(): void {
    addEventListener('online', this.#online);
    addEventListener('offline', this.#offline);
    document.addEventListener('visibilitychange', this.#visibility);
    addEventListener('pagehide', this.#pagehide);
    this.#saved = loadSavedChat(this.#options.server());
    if (this.#saved) this.#connect();
  }

  hostDisconnected(): void {
    removeEventListener('online', this.#online);
    removeEventListener('offline', this.#offline);
    document.removeEventListener('visibilitychange', this.#visibility);
    removeEventListener('pagehide', this.#pagehide);
    clearTimeout(this.#typingTimer);
    this.#lead(false);
    this.mirror?.end();
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

  /**
   * The dialog opened with no conversation: ask whether anyone is there, so it can greet
   * honestly ("usually answers within 3 minutes", or the offline form). Asks nothing of
   * helpers: a conversation starts with the first message, not with opening.
   */
  async checkDesk(): Promise<void> {
    if (this.#saved) return;
    let status: DeskStatus | undefined;
    try {
      const response = await fetch(`${this.#options.server()}/api/desk-status`);
      if (response.ok) status = (await response.json()) as DeskStatus;
    } catch {
      // Unknown: below.
    }
    // Not knowing, the dialog offers the chat; a send that fails says why, and can be retried.
    this.deskStatus = status ?? { helpersAvailable: true };
    this.#host.requestUpdate();
  }

  /**
   * Asks for help with the first message (`kind: 'chat'`), or leaves it for a helper to
   * answer later (`kind: 'message'`, with an email to write back to). Resolves once the
   * request is answered; a failure keeps the text, and `retry()` sends it again.
   */
  async request(
    text: string,
    how: { kind: 'chat' | 'message'; email?: string } = { kind: 'chat' },
  ): Promise<void> {
    if (this.#saved || this.#early.length > 0 || !text.trim()) return;
    this.#early = [{ id: randomId(), text }];
    this.#request = how;
    await this.retry();
  }

  /** "Try again": the same first message, with the same id, so it is never stored twice. */
  async retry(): Promise<void> {
    const first = this.#early[0];
    if (this.#saved || this.phase === 'requesting' || !first) return;
    this.messages = [];
    this.conversation = undefined;
    this.error = undefined;
    this.#early = this.#early.map(({ error: _old, ...message }) => message);
    this.#setPhase('requesting');
    const { kind, email } = this.#request;
    const visitor: VisitorClaim = { ...this.#options.visitorInfo(), ...(email ? { email } : {}) };
    try {
      const body = await collectClientDetails(visitor);
      const response = await fetch(`${this.#options.server()}/api/help-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, kind, message: { id: first.id, text: first.text } }),
      });
      const answer = (await response.json().catch(() => ({}))) as Partial<HelpRequestCreated> & {
        error?: { code?: ErrorCode };
      };
      if (!response.ok || !answer.conversationId || !answer.visitorToken || !answer.joinCode) {
        this.#fail(answer.error?.code ?? 'internal');
        return;
      }
      this.#saved = {
        conversationId: answer.conversationId,
        token: answer.visitorToken,
        joinCode: answer.joinCode,
        open: this.#options.isOpen(),
        unread: 0,
        // The first is stored with the request: shown until history brings it, not resent.
        outbox: this.#early.map((message, i) => (i === 0 ? { ...message, stored: true } : message)),
      };
      this.#early = [];
      this.#persist();
      this.#connect();
      this.#options.onSession('help-session-start', answer.conversationId);
    } catch {
      this.#fail('network');
    }
  }

  #fail(code: FailureCode): void {
    this.error = code;
    this.#early = this.#early.map((message) => ({ ...message, error: code }));
    this.#setPhase('failed');
  }

  /** Sends a message in the conversation; the first one asks for help. */
  send(text: string): void {
    if (!text.trim()) return;
    if (!this.#saved) {
      // More typed while the help request is on its way waits for it, in order.
      if (this.#early.length > 0) {
        this.#early = [...this.#early, { id: randomId(), text }];
        this.#host.requestUpdate();
      } else {
        void this.request(text);
      }
      return;
    }
    // New arrays, not push: the message list re-renders only when it gets a new array.
    const message = { id: randomId(), text };
    this.#saved.outbox = [...this.#saved.outbox, message];
    this.#persist();
    this.typing(false);
    this.#host.requestUpdate();
    void this.#deliver(message);
  }

  /** `identify()` once the chat has started: the helper sees it at once. */
  identify(visitor: VisitorClaim): void {
    if (!this.#saved || !this.#socket?.connected || Object.keys(visitor).length === 0) return;
    this.#socket.emit('visitor:identify', { conversationId: this.#saved.conversationId, visitor });
  }

  /** Rates the chat that just ended. Resolves false when the server did not take it. */
  async rate(value: Rating['value'], comment: string): Promise<boolean> {
    const token = this.#endedToken;
    if (!token) return false;
    try {
      const response = await fetch(`${this.#options.server()}/api/ratings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ value, ...(comment.trim() ? { comment } : {}) }),
      });
      if (!response.ok) return false;
      this.rating = ((await response.json()) as { data: Rating }).data;
      this.#host.requestUpdate();
      return true;
    } catch {
      return false;
    }
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
    const answer = await ask(this.#socket, 'conversation:end', {
      conversationId: this.#saved.conversationId,
    });
    if (answer?.ok) this.conversation = answer.data;
    this.#finish();
  }

  /**
   * What the message box held when the page went away, given once: a later render must not
   * put it back over what the visitor types next.
   */
  takeDraft(): string | undefined {
    const draft = this.#saved?.draft;
    if (draft) {
      delete this.#saved?.draft;
      this.#persist();
    }
    return draft;
  }

  /** Forgets an ended conversation: the next message asks for help again. */
  reset(): void {
    this.#finish();
    this.phase = 'idle';
    this.messages = [];
    this.conversation = undefined;
    this.rating = undefined;
    this.error = undefined;
    this.deskStatus = undefined;
    this.#early = [];
    this.#endedToken = undefined;
    this.#host.requestUpdate();
  }

  // Internals ---------------------------------------------------------------------------

  #connect(): void {
    const saved = this.#saved;
    if (!saved || this.#socket) return;
    this.#setPhase('connecting');
    const socket: VisitorSocket = io(`${this.#options.server()}/visitor`, {
      auth: { token: saved.token },
      ...TRANSPORTS,
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
      // Only the tab the visitor is looking at; the chat comes back as it was after the load,
      // what was being typed included (saved on pagehide).
      if (this.following && document.visibilityState === 'visible') location.reload();
    });
    socket.on('cobrowse:point', ({ path }) => {
      if (this.following && document.visibilityState === 'visible') {
        void import('../cobrowse/pulse.ts').then(({ pulse }) => pulse(path));
      }
    });
    socket.on('cobrowse:status', (status) => {
      // A name the server does not know is worded by the dialog, in the visitor's language.
      this.following = status.active ? { helperName: status.helperName ?? '' } : undefined;
      // Restarted on every status: after a reconnect the copy gets a fresh snapshot.
      this.#lead(false);
      if (status.active) this.#lead(true);
      this.#host.requestUpdate();
    });
    socket.on('mirror:status', (status) => {
      // Until a helper first asks, a status changes nothing, and no mirror code loads.
      if (this.mirror || status.state !== 'none') {
        void this.#withMirror().then((mirror) => mirror.setStatus(status));
      }
    });
    socket.on('mirror:snapshot', () => this.mirror?.snapshot());
    socket.on('mirror:point', ({ nodeId }) => this.mirror?.point(nodeId));
    socket.on('mirror:control', ({ action }) =>
      this.mirror?.control(action, this.control?.state === 'granted'),
    );
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
    this.#reportVisibility();
    // Pieces sent while the connection was down are lost: the replay starts afresh.
    this.mirror?.snapshot();
    // What the site said on this page load; the server ignores a repeat.
    this.identify(this.#options.visitorInfo());
    const after = this.messages.at(-1)?.id;
    const history = await ask(socket, 'chat:history', {
      conversationId: saved.conversationId,
      ...(after ? { after } : {}),
    });
    if (history?.ok) for (const message of history.data.messages) this.#receive(message, true);
    if (this.phase !== 'ended') this.#setPhase('online');
    for (const message of [...saved.outbox]) {
      if (!message.error && !message.stored) await this.#deliver(message);
    }
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
        m.id === message.id ? { ...m, error: answer.error.code } : m,
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

  #withMirror(): Promise<MirrorShare> {
    this.#mirrorLoading ??= import('../mirror/mirror-share.ts').then(({ MirrorShare }) => {
      this.mirror = new MirrorShare({
        socket: () => this.#socket,
        conversationId: () => this.#saved?.conversationId,
        escapeTaken: (event) => event === this.#escapeTaken || this.control?.state === 'granted',
        update: () => this.#host.requestUpdate(),
      });
      return this.mirror;
    });
    return this.#mirrorLoading;
  }

  /** Online or away, for the helper: the tab shown or hidden. */
  #reportVisibility(): void {
    if (!this.#saved || !this.#socket?.connected) return;
    this.#socket.emit('visitor:visibility', {
      conversationId: this.#saved.conversationId,
      visible: document.visibilityState === 'visible',
    });
  }

  #finish(): void {
    const ended = this.#saved?.conversationId;
    if (this.#saved) this.#endedToken = this.#saved.token;
    this.#lead(false);
    this.mirror?.end();
    this.#setControl(undefined);
    this.following = undefined;
    this.#socket?.disconnect();
    this.#socket = undefined;
    this.#saved = undefined;
    forgetChat(this.#options.server());
    this.#setPhase('ended');
    if (ended) this.#options.onSession('help-session-end', ended);
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
