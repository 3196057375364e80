/**
 * The Socket.IO contract: one event map per direction and namespace, used by the server
 * (`Server<…>`) and by the clients (`Socket<…>`) alike. Names are `entity:verb`.
 */
import type { AckCallback } from './ack.ts';
import type {
  CobrowseStatus,
  ControlChange,
  ControlStatus,
  FollowGrant,
  StoredChange,
} from './cobrowse.ts';
import type {
  CobrowseChangePayload,
  ControlAnswerPayload,
  ControlChangePayload,
  PointPayload,
} from './cobrowse-schemas.ts';
import type {
  Author,
  CannedReply,
  ConversationSummary,
  EarlierConversation,
  HelperStatus,
  Message,
  VisitorConversation,
} from './domain.ts';
import type {
  KeptMirrorPart,
  MirrorAction,
  MirrorAnswerPayload,
  MirrorControlPayload,
  MirrorPartPayload,
  MirrorPointPayload,
  MirrorStatus,
} from './mirror.ts';
import type {
  AvailabilityPayload,
  CannedDeletePayload,
  CannedSavePayload,
  ChatHistoryPayload,
  ChatReadPayload,
  ChatSendPayload,
  ChatTypingPayload,
  ConversationRefPayload,
  EarlierMessagesPayload,
  FindByUserPayload,
  IdentifyPayload,
  JoinByCodePayload,
  NoPayload,
  PagePayload,
  TransferPayload,
  VisibilityPayload,
} from './schemas.ts';

export interface ChatTypingEvent {
  conversationId: string;
  from: Author;
  typing: boolean;
}

export interface ChatReadEvent {
  conversationId: string;
  by: Author;
  upTo: string;
}

/**
 * A conversation is no longer this helper's: another helper joined by code and took it over,
 * it was transferred, or it went back to the queue.
 */
export interface ConversationLeftEvent {
  conversationId: string;
  reason: 'taken-over' | 'transferred' | 'requeued';
  /** Who has it now, for "Alex took over this conversation". */
  helperName?: string;
  visitorName?: string;
}

/** Chat events both namespaces accept from their clients. */
export interface ChatClientEvents {
  'chat:send': (payload: ChatSendPayload, ack: AckCallback<Message>) => void;
  'chat:typing': (payload: ChatTypingPayload, ack?: AckCallback<null>) => void;
  'chat:read': (payload: ChatReadPayload, ack?: AckCallback<null>) => void;
  'chat:history': (payload: ChatHistoryPayload, ack: AckCallback<{ messages: Message[] }>) => void;
}

/** Chat events both namespaces send to their clients. */
export interface ChatServerEvents {
  'chat:message': (message: Message) => void;
  'chat:typing': (event: ChatTypingEvent) => void;
  'chat:read': (event: ChatReadEvent) => void;
}

/** `/visitor`: the widget, authenticated by the visitor token from the help request. */
export interface VisitorClientEvents extends ChatClientEvents {
  /** Follow mode: one change on the visitor's page; accepted only while followed. */
  'cobrowse:change': (payload: CobrowseChangePayload, ack?: AckCallback<null>) => void;
  /** Allow / Deny a request for control; `allow: false` later takes control back. */
  'control:answer': (payload: ControlAnswerPayload, ack?: AckCallback<ControlStatus>) => void;
  /** "Stop sharing": the visitor ends follow mode. */
  'cobrowse:stop': (payload: ConversationRefPayload, ack?: AckCallback<CobrowseStatus>) => void;
  /** The widget reports the page it runs on, on every (re)connect: "the page they are on now". */
  'conversation:page': (payload: PagePayload, ack?: AckCallback<null>) => void;
  'conversation:end': (
    payload: ConversationRefPayload,
    ack?: AckCallback<VisitorConversation>,
  ) => void;
  /** `identify()` after the chat started: the helper sees the new details at once. */
  'visitor:identify': (payload: IdentifyPayload, ack?: AckCallback<null>) => void;
  /** The page was shown or hidden: helpers see the visitor as online or away. */
  'visitor:visibility': (payload: VisibilityPayload, ack?: AckCallback<null>) => void;
  /** "Share this page" / "Not now"; `allow: false` later stops sharing. */
  'mirror:answer': (payload: MirrorAnswerPayload, ack?: AckCallback<MirrorStatus>) => void;
  /** "Stop sharing" (or Esc) in mirror mode. */
  'mirror:stop': (payload: ConversationRefPayload, ack?: AckCallback<MirrorStatus>) => void;
  /**
   * A piece of the recording, only while shared. The answer says whether the server wants a
   * fresh snapshot (it kept nothing to build on, or what it kept grew past its limit).
   */
  'mirror:data': (payload: MirrorPartPayload, ack?: AckCallback<{ snapshot: boolean }>) => void;
}

export interface VisitorServerEvents extends ChatServerEvents {
  'conversation:updated': (conversation: VisitorConversation) => void;
  /** Follow mode started or stopped: the widget shows a notice and starts or stops sending. */
  'cobrowse:status': (status: CobrowseStatus) => void;
  /** "Refresh visitor's page". */
  'cobrowse:refresh': (event: { conversationId: string }) => void;
  'control:status': (status: ControlStatus) => void;
  /** While the visitor allows it: a change the helper made, to apply on this page. */
  'control:apply': (change: ControlChange & { conversationId: string }) => void;
  /** "Point": the element pulses on the visitor's page and scrolls into view. */
  'cobrowse:point': (event: { conversationId: string; path: string }) => void;
  /** Mirror mode asked, shared or stopped: the dialog asks, records, or stops recording. */
  'mirror:status': (status: MirrorStatus) => void;
  /** The helper's replay has nothing to show: record a fresh snapshot now. */
  'mirror:snapshot': (event: { conversationId: string }) => void;
  /** "Point" on the replay: the element pulses here. */
  'mirror:point': (event: MirrorPointPayload) => void;
  /** While the visitor allows it: a click or a field's value, to apply on the shared page. */
  'mirror:control': (event: { conversationId: string; action: MirrorAction }) => void;
}

/** `/agent`: the helpers' page, authenticated by the session cookie. */
export interface AgentClientEvents extends ChatClientEvents {
  'helper:availability': (payload: AvailabilityPayload, ack?: AckCallback<HelperStatus>) => void;
  /** The visitor's earlier conversations (same browser, or verified user id), newest first. */
  'visitor:earlier': (
    payload: ConversationRefPayload,
    ack: AckCallback<{ conversations: EarlierConversation[] }>,
  ) => void;
  /** The transcript of one of them. */
  'visitor:earlier-messages': (
    payload: EarlierMessagesPayload,
    ack: AckCallback<{ messages: Message[] }>,
  ) => void;
  /** The desk's canned replies, by shortcut. */
  'canned:list': (payload: NoPayload, ack: AckCallback<{ replies: CannedReply[] }>) => void;
  /** Adds (no id) or changes a canned reply; a shortcut another one has is a `conflict`. */
  'canned:save': (payload: CannedSavePayload, ack: AckCallback<CannedReply>) => void;
  'canned:delete': (payload: CannedDeletePayload, ack?: AckCallback<null>) => void;
  /** Other helpers who could take a transfer now: signed in and available. */
  'helper:colleagues': (
    payload: NoPayload,
    ack: AckCallback<{ helpers: { name: string }[] }>,
  ) => void;
  'conversation:accept': (
    payload: ConversationRefPayload,
    ack?: AckCallback<ConversationSummary>,
  ) => void;
  'conversation:end': (
    payload: ConversationRefPayload,
    ack?: AckCallback<ConversationSummary>,
  ) => void;
  /** Refused with `takeover_needed` when another helper answers it, unless `takeOver`. */
  'conversation:join-by-code': (
    payload: JoinByCodePayload,
    ack?: AckCallback<ConversationSummary>,
  ) => void;
  /**
   * Open conversations of the visitor with this user id, verified ones first: a helper finds
   * the customer they are talking to by the site's own id, then joins by its code.
   */
  'conversation:find-by-user': (
    payload: FindByUserPayload,
    ack?: AckCallback<{ conversations: ConversationSummary[] }>,
  ) => void;
  /** Hands the conversation to another available helper. */
  'conversation:transfer': (
    payload: TransferPayload,
    ack?: AckCallback<ConversationSummary>,
  ) => void;
  /** "Follow page": starts follow mode and grants a token for the helper's copy of the page. */
  'cobrowse:start': (payload: ConversationRefPayload, ack: AckCallback<FollowGrant>) => void;
  'cobrowse:stop': (payload: ConversationRefPayload, ack?: AckCallback<CobrowseStatus>) => void;
  'cobrowse:refresh': (payload: ConversationRefPayload, ack?: AckCallback<null>) => void;
  'cobrowse:point': (payload: PointPayload, ack?: AckCallback<null>) => void;
  /** "Ask for control". */
  'control:request': (payload: ConversationRefPayload, ack?: AckCallback<ControlStatus>) => void;
  /** "Mirror page": asks the visitor to share the page. */
  'mirror:request': (payload: ConversationRefPayload, ack?: AckCallback<MirrorStatus>) => void;
  'mirror:stop': (payload: ConversationRefPayload, ack?: AckCallback<MirrorStatus>) => void;
  /** "Point" on the replay, by the element's number in the recording. */
  'mirror:point': (payload: MirrorPointPayload, ack?: AckCallback<null>) => void;
  /** In control: a click or a field's value on the replay, for the visitor's page. */
  'mirror:control': (payload: MirrorControlPayload, ack?: AckCallback<null>) => void;
  /** The replay opens: the latest snapshot and what followed, kept by the server. */
  'mirror:open': (
    payload: ConversationRefPayload,
    ack: AckCallback<{ parts: KeptMirrorPart[] }>,
  ) => void;
}

export interface AgentServerEvents extends ChatServerEvents {
  /** The helper's own status: sent on connect and after every change. */
  'helper:status': (status: HelperStatus) => void;
  /** Every waiting request, in queue order, with its details: on connecting. */
  'queue:updated': (queue: { waiting: ConversationSummary[] }) => void;
  /**
   * What changed since: requests that joined the queue or changed while in it, and ids that
   * left it. The copy keeps itself in order (protocol/queue.ts), so nothing else is re-sent.
   */
  'queue:changed': (change: { waiting: ConversationSummary[]; gone: string[] }) => void;
  /** One of the helper's conversations changed (assigned, ended). */
  'conversation:updated': (conversation: ConversationSummary) => void;
  /** One of the helper's conversations is no longer theirs; their access to it has ended. */
  'conversation:left': (event: ConversationLeftEvent) => void;
  'cobrowse:status': (status: CobrowseStatus) => void;
  'control:status': (status: ControlStatus) => void;
  /** The visitor's window size and tab focus, for the follow pane. */
  'cobrowse:change': (change: StoredChange & { conversationId: string }) => void;
  'mirror:status': (status: MirrorStatus) => void;
  /** A piece of the visitor's recording, as it arrives. */
  'mirror:data': (part: KeptMirrorPart & { conversationId: string }) => void;
}

/** `/follow`: the helper's copy of the visitor's page, authenticated by a follow token. */
export interface FollowClientEvents {
  /** Only while the visitor has granted control to this helper. */
  'control:change': (payload: ControlChangePayload, ack?: AckCallback<null>) => void;
}

export interface FollowServerEvents {
  /** On joining: the latest value of every key, so the copy catches up at once. */
  'cobrowse:state': (state: { changes: StoredChange[] }) => void;
  'cobrowse:change': (change: StoredChange) => void;
  'cobrowse:status': (status: CobrowseStatus) => void;
  'control:status': (status: ControlStatus) => void;
}

export interface FollowAuth {
  token: string;
}

/** Handshake `auth` payloads. */
export interface VisitorAuth {
  token: string;
}

/** Namespace names, so no one types them twice. */
export const NAMESPACES = { visitor: '/visitor', agent: '/agent', follow: '/follow' } as const;
