/**
 * Follow mode: the visitor's page (the leader) reports changes, each a type, a key and a
 * value; the server keeps the latest value per key and relays it to the helper's copy of the
 * page (the follower). Types only; the schemas are in cobrowse-schemas.ts.
 */

/** Where the top of a scrolled area is: an element, and how far into it, as a ratio. */
export interface ScrollAnchor {
  path: string;
  offsetRatio: number;
}

export interface NavigateValue {
  url: string;
  title: string;
  /**
   * Which page load of the visitor's tab says so. Another one (a reload, another tab) means
   * what was kept of the page before no longer holds. Absent: the same as before.
   */
  load?: string;
}

export interface ScrollValue {
  /** The element at the top of the scrolled area; null when none could be named. */
  anchor: ScrollAnchor | null;
  /** Fallback: scroll position as a ratio of the scrollable range, 0..1. */
  ratioX: number;
  ratioY: number;
}

/**
 * A form control's value. Masked controls (passwords, card fields, one-time codes, anything
 * inside `[data-help-mask]`) send `{masked: true}` and nothing else.
 */
export type FieldValue =
  | { value: string }
  | { checked: boolean }
  | { selectedIndex: number }
  | { masked: true };

/** A point in the page's text: an element and a character offset within its text. */
export interface TextPoint {
  path: string;
  offset: number;
}

export interface SelectValue {
  ranges: { start: TextPoint; end: TextPoint }[];
}

/**
 * `key` is `page` for navigation, `window` or an element path for scroll, the control's path
 * for a field, `selection` for the highlighted text.
 */
export type CobrowseChange =
  | { type: 'navigate'; key: 'page'; value: NavigateValue }
  | { type: 'scroll'; key: string; value: ScrollValue }
  | { type: 'field'; key: string; value: FieldValue }
  | { type: 'select'; key: 'selection'; value: SelectValue }
  | { type: 'resize'; key: 'viewport'; value: { width: number; height: number } }
  | { type: 'focus'; key: 'focus'; value: FocusValue };

/** Which of the visitor's tabs is in use: the copy follows the one they look at. */
export interface FocusValue {
  visible: boolean;
  focused: boolean;
  tabId: string;
}

export type StoredChange = CobrowseChange & { at: string };

/** Why follow mode, control or mirror mode ended. */
export type StopReason =
  | 'visitor'
  | 'helper'
  | 'helper-changed'
  | 'requeued'
  | 'ended'
  | 'signed-out'
  | 'removed'
  /** The site's rules no longer allow it here (another page, another visitor). */
  | 'not-allowed';

/** Whether a conversation's page is being followed, and by whom. */
export interface CobrowseStatus {
  conversationId: string;
  active: boolean;
  helperName?: string;
}

/** What the agent page hands its copy of the page to join as a follower. */
export interface FollowGrant {
  conversationId: string;
  /** Single use, short-lived, bound to this conversation and helper. */
  token: string;
  expiresAt: string;
  /** The current state, so the pane can start on the right page at once. */
  state: StoredChange[];
}

/** postMessage between the agent page and its copy of the visitor's page. */
export type FollowMessage =
  | { source: 'help-widget'; type: 'follow:hello' }
  | { source: 'help-agent'; type: 'follow:grant'; conversationId: string; token: string }
  | { source: 'help-agent'; type: 'follow:point-mode'; on: boolean }
  | { source: 'help-widget'; type: 'follow:point'; path: string };

/** Passing control: off by default, asked by the helper, granted or refused by the visitor. */
export type ControlState = 'none' | 'requested' | 'granted' | 'denied';

export interface ControlStatus {
  conversationId: string;
  state: ControlState;
  helperName?: string;
}

/** What the helper may do on the visitor's page while in control. */
export type ControlChange = Extract<CobrowseChange, { type: 'navigate' | 'scroll' | 'field' }>;
