/**
 * The vocabulary of the conversation core: the stored record, who acts, what they ask
 * (commands) and what happened (events). Types only; the rules are in conversation.ts.
 */
import type {
  CobrowseChange,
  ControlChange,
  StopReason,
  StoredChange,
} from '../../protocol/cobrowse.ts';
import type {
  Author,
  ClientDetails,
  ConversationKind,
  ConversationStatus,
  CurrentPage,
  EndedBy,
  Presence,
  Rating,
  VisitorInfo,
} from '../../protocol/domain.ts';
import type { KeptMirrorPart, MirrorAction, MirrorEndReason } from '../../protocol/mirror.ts';
import type { SessionRules } from '../../protocol/rules.ts';

export type { EndedBy, StopReason };

/** A helper as the rules need to know them. */
export interface HelperRef {
  id: string;
  name: string;
}

/** An open follow grant: the helper following the page, and the grant their copies joined. */
export interface Following {
  helperId: string;
  helperName: string;
  /** Random, one per "Follow page" session; every follow token and copy is bound to it. */
  grantId: string;
  since: string;
}

/** Mirror mode: asked by the assigned helper, then shared by the visitor until either stops. */
export interface MirrorRecord {
  state: 'requested' | 'sharing';
  helperId: string;
  helperName: string;
  /** Random, one per "Mirror page": the visitor's recording names it in every batch. */
  mirrorId: string;
  since: string;
}

export interface ControlRecord {
  state: 'requested' | 'granted' | 'denied';
  helperId: string;
  helperName: string;
}

/** Whether the visitor is there, as their sockets last said, and since when. */
export interface PresenceRecord {
  state: Presence;
  /** Whether any of the visitor's pages holds a connection now. */
  connected: boolean;
  /** ISO time of the last change of `state` or `connected`. */
  since: string;
}

/** The stored conversation. `version` goes up by one with every change. */
export interface ConversationRecord {
  id: string;
  version: number;
  /** Absent on records from before offline messages: a chat. */
  kind?: ConversationKind;
  status: ConversationStatus;
  priority: number;
  joinCode: string;
  /** When the code stops working; a new one replaces it (records from before: never). */
  joinCodeExpiresAt?: string;
  /** sha256 of the visitor token; the token itself is never stored. */
  visitorTokenHash: string;
  helperId?: string;
  helperName?: string;
  details: ClientDetails;
  visitor: VisitorInfo;
  firstMessage?: string;
  /**
   * The widget's id for the visitor's browser on this site: a returning visitor's earlier
   * conversations are found by it. Anyone may send any; it is a hint, never a credential.
   */
  visitorKey?: string;
  currentPage?: CurrentPage;
  /** Set while a helper follows the visitor's page (follow mode). */
  following?: Following;
  /** Set while a helper asks to mirror the page, or the visitor shares it (mirror mode). */
  mirror?: MirrorRecord;
  /** Passing control: asked, granted or refused; absent when no one asked. */
  control?: ControlRecord;
  presence?: PresenceRecord;
  /** What the site's rules say for this page and visitor; absent: everything is allowed. */
  rules?: SessionRules;
  rating?: Rating;
  /** A helper followed the page at some point; never cleared, for reports. */
  followedOnce?: true;
  /** The visitor shared the page in mirror mode at some point; never cleared, for reports. */
  mirroredOnce?: true;
  createdAt: string;
  assignedAt?: string;
  /** When a helper first wrote: the wait the visitor felt ends here. */
  answeredAt?: string;
  endedAt?: string;
  endedBy?: EndedBy;
}

/** Who asks. A follower is the helper's copy of the visitor's page, bound to one grant. */
export type Actor =
  | { kind: 'visitor'; conversationId: string; name: string }
  | { kind: 'helper'; helperId: string; name: string }
  | { kind: 'follower'; helperId: string; grantId: string }
  | { kind: 'system' };

export type HelperActor = Extract<Actor, { kind: 'helper' }>;
export type FollowerActor = Extract<Actor, { kind: 'follower' }>;
export type VisitorActor = Extract<Actor, { kind: 'visitor' }>;

/** How a helper came to have a conversation. */
export type AssignedHow = 'auto' | 'accept' | 'code' | 'transfer';

export type Command =
  /** The system gives a waiting conversation to a helper with room. */
  | { type: 'assign'; helper: HelperRef }
  /** A helper picks a waiting conversation from the queue. */
  | { type: 'accept' }
  /** A helper typed the visitor's code; `takeOver` confirms taking it from another helper. */
  | { type: 'join-by-code'; code: string; takeOver: boolean }
  /** The system replaces a join code that has run out. */
  | { type: 'renew-join-code'; code: string; expiresAt: string }
  /** The assigned helper hands the conversation to another helper. */
  | {
      type: 'transfer';
      to: HelperRef & { available: boolean };
      /** What the new helper should know, kept as an internal note before the handover. */
      note?: { messageId: string; text: string } | undefined;
    }
  /** The system puts it back in the queue: its helper has been gone too long. */
  | { type: 'requeue' }
  | { type: 'end' }
  /** The system learned that a helper signed out or was removed. */
  | { type: 'helper-gone'; helperId: string; reason: 'signed-out' | 'removed' }
  /** `existing`: who wrote the stored message with this id, when there is one (a resend). */
  | {
      type: 'send-message';
      messageId: string;
      text: string;
      existing?: Author | undefined;
      /** An internal note: for helpers only. */
      internal?: boolean | undefined;
    }
  | { type: 'typing'; typing: boolean }
  | { type: 'read-history' }
  /**
   * A helper reads an ended conversation of the visitor they are helping in `current`: a
   * returning visitor's earlier chats.
   */
  | { type: 'read-earlier'; current: ConversationRecord }
  | { type: 'mark-read'; upTo: string }
  | { type: 'report-page'; url: string; title: string }
  | { type: 'follow-start'; grantId: string }
  | { type: 'follow-stop' }
  /** A copy of the page joins with a token of the current grant. */
  | { type: 'follow-join' }
  /** A change on the visitor's page, relayed to the helper's copies. */
  | { type: 'page-change'; change: CobrowseChange }
  /** "Mirror page": the helper asks the visitor to share the page. */
  | { type: 'mirror-request'; mirrorId: string }
  /** "Share this page" or "Not now". */
  | { type: 'mirror-answer'; allow: boolean; unsupported?: true }
  /** Either side stops sharing. */
  | { type: 'mirror-stop' }
  /** A piece of the visitor's recording, for the helper's replay. */
  | { type: 'mirror-part'; part: KeptMirrorPart }
  /** The helper's replay opens; with nothing `kept` to show, the page is asked for a snapshot. */
  | { type: 'mirror-open'; kept: boolean }
  /** The helper's replay needs one of the shared page's images, fonts or stylesheets. */
  | { type: 'mirror-fetch' }
  /** "Point" on the replay: that element of the shared page. */
  | { type: 'mirror-point'; nodeId: number }
  /** In control, on the replay: a click or a field's value, for the visitor's page. */
  | { type: 'mirror-control'; action: MirrorAction }
  | { type: 'control-request' }
  | { type: 'control-answer'; allow: boolean }
  /** A change the helper made on their copy, to apply on the visitor's page. */
  | { type: 'control-change'; change: ControlChange }
  | { type: 'point'; path: string }
  | { type: 'refresh' }
  /** The site told us more about its visitor (`identify()` after the chat started). */
  | { type: 'identify'; visitor: VisitorInfo }
  /** The system counted the visitor's connections: any, and whether any page is shown. */
  | { type: 'presence'; connected: boolean; visible: boolean }
  /** The system checks a visitor with no connection against the time limits. */
  | { type: 'visitor-timeout'; goneAfterMs: number; leaveQueueAfterMs: number }
  /** The system applies the site's rules as they now resolve (page or visitor changed). */
  | { type: 'apply-rules'; rules: SessionRules }
  /** The visitor rates the chat once it has ended. */
  | { type: 'rate'; value: Rating['value']; comment?: string | undefined };

export type CommandType = Command['type'];

export type ConversationEvent =
  | {
      type: 'assigned';
      helper: HelperRef;
      how: AssignedHow;
      at: string;
      previousHelperId?: string;
    }
  | { type: 'requeued'; previousHelperId: string }
  | { type: 'join-code-renewed'; code: string; expiresAt: string }
  | { type: 'ended'; by: EndedBy; at: string; previousStatus: ConversationStatus }
  | {
      type: 'message-posted';
      messageId: string;
      from: Author;
      authorName: string;
      text: string;
      internal?: true;
    }
  /** A resend of a stored message: acknowledged again, delivered once. */
  | { type: 'message-resent'; messageId: string }
  | { type: 'first-message'; preview: string }
  | { type: 'typing'; from: Author; typing: boolean }
  | { type: 'read-marked'; by: Author; upTo: string }
  | { type: 'page-reported'; page: CurrentPage }
  | { type: 'follow-started'; helper: HelperRef; grantId: string; at: string }
  | { type: 'follow-stopped'; helperId: string; grantId: string; reason: StopReason }
  | { type: 'follow-joined'; helperId: string; grantId: string }
  | { type: 'page-changed'; grantId: string; change: StoredChange }
  | { type: 'mirror-requested'; helper: HelperRef; mirrorId: string; at: string }
  | { type: 'mirror-started'; helperId: string; mirrorId: string }
  | { type: 'mirror-stopped'; helperId: string; mirrorId: string; reason: MirrorEndReason }
  | { type: 'mirror-part'; helperId: string; part: KeptMirrorPart }
  | { type: 'mirror-snapshot-asked' }
  | { type: 'mirror-pointed'; nodeId: number }
  | { type: 'mirror-control-applied'; action: MirrorAction }
  | { type: 'control-requested'; helper: HelperRef }
  | { type: 'control-granted'; helperId: string }
  | { type: 'control-denied'; helperId: string }
  | { type: 'control-ended'; helperId: string; reason: StopReason }
  | { type: 'control-applied'; change: ControlChange }
  | { type: 'pointed'; path: string }
  | { type: 'refreshed' }
  /** A helper wrote for the first time. */
  | { type: 'answered'; at: string }
  | { type: 'visitor-identified'; visitor: VisitorInfo }
  | { type: 'presence-changed'; presence: PresenceRecord }
  | { type: 'rated'; rating: Rating }
  | { type: 'rules-applied'; rules: SessionRules };

export type EventType = ConversationEvent['type'];
