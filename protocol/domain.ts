/** Shared domain types: what the server stores and what both ends see. No runtime code. */
import type { SessionRules } from './rules.ts';

export type ConversationStatus = 'waiting' | 'assigned' | 'ended';
export type Availability = 'available' | 'away';
export type Author = 'visitor' | 'helper';
/** A live chat, or a message left while no helper was available (answered when one is). */
export type ConversationKind = 'chat' | 'message';
/** Who ended a conversation; `system`: the visitor left a waiting chat and did not come back. */
export type EndedBy = 'visitor' | 'helper' | 'system';
/** Whether the visitor is still there: the page open and shown, hidden, or gone a while. */
export type Presence = 'online' | 'away' | 'gone';

/** The visitor's verdict on an ended chat. */
export interface Rating {
  value: 'up' | 'down';
  comment?: string;
  /** ISO time it was given. */
  at: string;
}

/** What the widget asks before a conversation exists: who is there, and how long it takes. */
export interface DeskStatus {
  helpersAvailable: boolean;
  /** Median minutes to a helper's first answer over recent chats; absent without data. */
  usualWaitMinutes?: number;
}

export interface Size {
  width: number;
  height: number;
}

/** User-Agent Client Hints as the browser reports them (navigator.userAgentData). */
export interface ClientHints {
  brands?: { brand: string; version: string }[];
  fullVersionList?: { brand: string; version: string }[];
  mobile?: boolean;
  platform?: string;
  platformVersion?: string;
  model?: string;
  architecture?: string;
}

/** What the server made of the user agent. Fields are absent when unknown. */
export interface ParsedAgent {
  browser: { name?: string; version?: string };
  engine: { name?: string; version?: string };
  os: { name?: string; version?: string };
  device: { type: 'desktop' | 'mobile' | 'tablet' | 'other'; vendor?: string; model?: string };
}

/** What a site may tell us about its visitor through `identify()`. */
export interface VisitorInfo {
  name?: string;
  email?: string;
  custom?: Record<string, string>;
  /** The site's own id for this visitor, from `identify({userId, userHash})`. */
  userId?: string;
  /** Whether `userHash` proved the id (identity verification); otherwise it is only claimed. */
  verified?: boolean;
}

/** Everything known about the visitor's browser and page when they asked for help. */
export interface ClientDetails {
  pageUrl: string;
  pageTitle: string;
  referrer: string;
  languages: string[];
  timezone: string;
  screen: Size;
  viewport: Size;
  pixelRatio: number;
  userAgent: string;
  clientHints?: ClientHints;
  agent: ParsedAgent;
}

export interface Message {
  /** Client-made id: a resend with the same id is the same message. */
  id: string;
  conversationId: string;
  /** Order within the conversation, from 1. */
  seq: number;
  from: Author;
  authorName: string;
  text: string;
  /** ISO time the server stored it. */
  sentAt: string;
  /** A helper's internal note: helpers read it, the visitor never receives it. */
  internal?: true;
}

export interface CurrentPage {
  url: string;
  title: string;
  /** ISO time the widget reported it. */
  at: string;
}

/** What a visitor sees of their own conversation. */
export interface VisitorConversation {
  id: string;
  kind: ConversationKind;
  status: ConversationStatus;
  joinCode: string;
  helperName?: string;
  /** 1 for the next in line; absent unless waiting. */
  queuePosition?: number;
  /** Whether any helper is available now, so the widget can be honest about waiting. */
  helpersAvailable: boolean;
  /** The last message each side has read. */
  readUpTo: { visitor?: string; helper?: string };
  createdAt: string;
  endedAt?: string;
  endedBy?: EndedBy;
  rating?: Rating;
}

/** What a helper sees of a conversation (queue entry or their own). */
export interface ConversationSummary {
  id: string;
  kind: ConversationKind;
  status: ConversationStatus;
  priority: number;
  joinCode: string;
  helperId?: string;
  helperName?: string;
  queuePosition?: number;
  details: ClientDetails;
  visitor: VisitorInfo;
  /** A friendly number for an anonymous visitor ("Visitor 4821"), the same for their browser. */
  visitorNumber: string;
  firstMessage?: string;
  /** The page the visitor has open now, as the widget last reported it. */
  currentPage?: CurrentPage;
  readUpTo: { visitor?: string; helper?: string };
  /** Absent for conversations from before presence was kept. */
  presence?: Presence;
  /** What the site's rules allow here, and how urgent it is; absent on older records. */
  rules?: SessionRules;
  createdAt: string;
  assignedAt?: string;
  /** When a helper first wrote. */
  answeredAt?: string;
  endedAt?: string;
  endedBy?: EndedBy;
  rating?: Rating;
}

/** A ready answer helpers share: typed `/` and its shortcut in the message box. */
export interface CannedReply {
  id: string;
  /** What a helper types after `/`: letters, digits, `-` and `_`; unique, whatever its case. */
  shortcut: string;
  text: string;
  /** Who saved it last, and when (ISO). */
  updatedBy: string;
  updatedAt: string;
}

/** A helper's own state as the server sees it. */
export interface HelperStatus {
  id: string;
  name: string;
  availability: Availability;
  capacity: number;
  openConversations: number;
  connected: boolean;
}

/** Answer to a help request. The token is the visitor's only credential: keep it private. */
export interface HelpRequestCreated {
  conversationId: string;
  visitorToken: string;
  joinCode: string;
}

/** One of a returning visitor's earlier conversations, as the helper answering them sees it. */
export interface EarlierConversation {
  id: string;
  kind: ConversationKind;
  createdAt: string;
  endedAt: string;
  endedBy?: EndedBy;
  helperName?: string;
  pageTitle: string;
  pageUrl: string;
  firstMessage?: string;
  rating?: Rating;
}

/** One ended conversation in a helper's history, with its whole transcript. */
export interface HistoryEntry {
  id: string;
  kind: ConversationKind;
  createdAt: string;
  endedAt: string;
  endedBy?: EndedBy;
  rating?: Rating;
  helperName: string;
  visitor: VisitorInfo;
  /** As in ConversationSummary: "Visitor 4821" for a visitor the site did not name. */
  visitorNumber: string;
  details: Pick<ClientDetails, 'pageUrl' | 'pageTitle' | 'agent'>;
  joinCode: string;
  messageCount: number;
  firstMessage?: string;
  /** Oldest first. */
  messages: Message[];
}
