/**
 * The conversation core's specification, as a table: given a conversation in one state, when
 * this actor sends this command, then these events happen — or this error code. Every
 * command × state × actor is listed; the focused cases below check what the events carry.
 */
import { describe, expect, it } from 'vitest';
import type { ControlChange } from '../../protocol/cobrowse.ts';
import { decide, newConversation, RATING_WINDOW_MS } from '../../server/domain/conversation.ts';
import type {
  Actor,
  Command,
  ConversationEvent,
  ConversationRecord,
} from '../../server/domain/conversation-types.ts';
import { details } from '../support/records.ts';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const alexRef = { id: 'alex', name: 'Alex' };
const samRef = { id: 'sam', name: 'Sam' };

const base: ConversationRecord = {
  id: 'conv-1',
  version: 3,
  status: 'waiting',
  priority: 0,
  joinCode: '482913705',
  joinCodeExpiresAt: '2026-12-02T10:20:00.000Z',
  visitorTokenHash: 'hash',
  details,
  visitor: { name: 'Ann' },
  currentPage: { url: 'https://shop.example/checkout', title: 'Checkout', at: NOW.toISOString() },
  presence: { state: 'online', connected: true, since: '2026-12-02T09:50:00.000Z' },
  createdAt: '2026-12-02T09:50:00.000Z',
};

const assigned: ConversationRecord = {
  ...base,
  status: 'assigned',
  helperId: 'alex',
  helperName: 'Alex',
  assignedAt: '2026-12-02T09:51:00.000Z',
  answeredAt: '2026-12-02T09:52:00.000Z',
  firstMessage: 'Hello',
};
const following: ConversationRecord = {
  ...assigned,
  following: { helperId: 'alex', helperName: 'Alex', grantId: 'g1', since: NOW.toISOString() },
};

const mirrorRecord = (state: 'requested' | 'sharing') => ({
  state,
  helperId: 'alex',
  helperName: 'Alex',
  mirrorId: 'mirror-1',
  since: NOW.toISOString(),
});
const mirroring: ConversationRecord = { ...assigned, mirror: mirrorRecord('sharing') };

const STATES = {
  waiting: base,
  assigned,
  following,
  asked: { ...following, control: { state: 'requested', helperId: 'alex', helperName: 'Alex' } },
  granted: { ...following, control: { state: 'granted', helperId: 'alex', helperName: 'Alex' } },
  mirrorAsked: { ...assigned, mirror: mirrorRecord('requested') },
  mirroring,
  /** Control granted while the helper sees the page only through the mirror. */
  mirrorControl: {
    ...mirroring,
    control: { state: 'granted', helperId: 'alex', helperName: 'Alex' },
  },
  /** Following and mirroring at once, in control. */
  both: {
    ...mirroring,
    following: following.following,
    control: { state: 'granted', helperId: 'alex', helperName: 'Alex' },
  },
  ended: {
    ...assigned,
    status: 'ended',
    endedAt: NOW.toISOString(),
    endedBy: 'visitor',
  },
} satisfies Record<string, ConversationRecord>;
type State = keyof typeof STATES;

/** Table columns, in this order. */
const ACTORS = {
  visitor: { kind: 'visitor', conversationId: 'conv-1', name: 'Ann' },
  stranger: { kind: 'visitor', conversationId: 'conv-2', name: 'Bob' },
  alex: { kind: 'helper', helperId: 'alex', name: 'Alex' },
  sam: { kind: 'helper', helperId: 'sam', name: 'Sam' },
  copy: { kind: 'follower', helperId: 'alex', grantId: 'g1' },
  oldCopy: { kind: 'follower', helperId: 'alex', grantId: 'g0' },
  system: { kind: 'system' },
} satisfies Record<string, Actor>;
const ACTOR_NAMES = Object.keys(ACTORS) as (keyof typeof ACTORS)[];

const scroll: ControlChange = {
  type: 'scroll',
  key: 'window',
  value: { anchor: null, ratioX: 0, ratioY: 0.5 },
};

function mirrorPart(mirrorId: string) {
  return { mirrorId, batch: 0, full: true, part: 0, parts: 1, data: new Uint8Array([1]) };
}

const COMMANDS = {
  assign: { type: 'assign', helper: samRef },
  accept: { type: 'accept' },
  join: { type: 'join-by-code', code: '482913705', takeOver: false },
  takeover: { type: 'join-by-code', code: '482913705', takeOver: true },
  renewCode: {
    type: 'renew-join-code',
    code: '105377264',
    expiresAt: '2026-12-02T10:30:00.000Z',
  },
  transfer: { type: 'transfer', to: { ...samRef, available: true } },
  requeue: { type: 'requeue' },
  end: { type: 'end' },
  signedOut: { type: 'helper-gone', helperId: 'alex', reason: 'signed-out' },
  removed: { type: 'helper-gone', helperId: 'alex', reason: 'removed' },
  send: { type: 'send-message', messageId: 'message-1', text: 'Hi there' },
  note: { type: 'send-message', messageId: 'note-1', text: 'Asked twice', internal: true },
  transferNote: {
    type: 'transfer',
    to: { ...samRef, available: true },
    note: { messageId: 'note-2', text: 'Wants a refund' },
  },
  typing: { type: 'typing', typing: true },
  history: { type: 'read-history' },
  markRead: { type: 'mark-read', upTo: 'message-1' },
  page: { type: 'report-page', url: 'https://shop.example/cart', title: 'Cart' },
  followStart: { type: 'follow-start', grantId: 'g2' },
  followStop: { type: 'follow-stop' },
  followJoin: { type: 'follow-join' },
  pageChange: { type: 'page-change', change: scroll },
  controlRequest: { type: 'control-request' },
  allow: { type: 'control-answer', allow: true },
  deny: { type: 'control-answer', allow: false },
  controlChange: { type: 'control-change', change: scroll },
  point: { type: 'point', path: '#pay' },
  refresh: { type: 'refresh' },
  identify: { type: 'identify', visitor: { name: 'Ann Lee', email: 'ann@localhost' } },
  hidden: { type: 'presence', connected: true, visible: false },
  timeout: { type: 'visitor-timeout', goneAfterMs: 60_000, leaveQueueAfterMs: 600_000 },
  rate: { type: 'rate', value: 'up' },
  mirrorRequest: { type: 'mirror-request', mirrorId: 'mirror-2' },
  share: { type: 'mirror-answer', allow: true },
  notNow: { type: 'mirror-answer', allow: false },
  cannotRecord: { type: 'mirror-answer', allow: false, unsupported: true },
  mirrorStop: { type: 'mirror-stop' },
  mirrorPart: { type: 'mirror-part', part: mirrorPart('mirror-1') },
  stalePart: { type: 'mirror-part', part: mirrorPart('mirror-0') },
  mirrorOpen: { type: 'mirror-open', kept: false },
  mirrorFetch: { type: 'mirror-fetch' },
  mirrorPoint: { type: 'mirror-point', nodeId: 42 },
  mirrorClick: { type: 'mirror-control', action: { kind: 'click', nodeId: 42 } },
  noMirror: {
    type: 'apply-rules',
    rules: {
      priority: 0,
      allow: { follow: true, mirror: false, point: true, control: true },
      block: [],
      mask: [],
    },
  },
  noControl: {
    type: 'apply-rules',
    rules: {
      priority: 2,
      allow: { follow: true, mirror: true, point: true, control: false },
      block: [],
      mask: [],
    },
  },
} satisfies Record<string, Command>;

// Cells: the events, space-separated ('' for none), or `!code` for a refusal.
const F = '!forbidden';
const E = '!ended';
const C = '!conflict';
const N = '!not_found';
const T = '!takeover_needed';
type Row = [string, string, string, string, string, string, string];
const allF: Row = [F, F, F, F, F, F, F];
const helperSwap = 'control-ended:helper-changed follow-stopped:helper-changed assigned:code';
const handedOver = 'control-ended:helper-changed follow-stopped:helper-changed assigned:transfer';

const TRANSFER: Record<State, Row> = {
  waiting: allF,
  assigned: [F, F, 'assigned:transfer', F, F, F, F],
  following: [F, F, 'follow-stopped:helper-changed assigned:transfer', F, F, F, F],
  asked: [F, F, handedOver, F, F, F, F],
  granted: [F, F, handedOver, F, F, F, F],
  mirrorAsked: [F, F, 'mirror-stopped:helper-changed assigned:transfer', F, F, F, F],
  mirroring: [F, F, 'mirror-stopped:helper-changed assigned:transfer', F, F, F, F],
  mirrorControl: [
    F,
    F,
    'control-ended:helper-changed mirror-stopped:helper-changed assigned:transfer',
    F,
    F,
    F,
    F,
  ],
  both: [
    F,
    F,
    'control-ended:helper-changed follow-stopped:helper-changed mirror-stopped:helper-changed assigned:transfer',
    F,
    F,
    F,
    F,
  ],
  ended: [F, F, E, F, F, F, F],
};

/** The same outcomes, with the note posted before anything else where it goes through. */
function withNote(rows: Record<State, Row>): Record<State, Row> {
  const note = (cell: Row[number]) =>
    cell.startsWith('!') || cell === '' ? cell : `message-posted ${cell}`;
  return Object.fromEntries(
    Object.entries(rows).map(([state, row]) => [state, row.map(note) as Row]),
  ) as Record<State, Row>;
}

//                                visitor       stranger alex      sam        copy  oldCopy  system
const SPEC: Record<keyof typeof COMMANDS, Record<State, Row>> = {
  assign: {
    waiting: [F, F, F, F, F, F, 'assigned:auto'],
    assigned: [F, F, F, F, F, F, C],
    following: [F, F, F, F, F, F, C],
    asked: [F, F, F, F, F, F, C],
    granted: [F, F, F, F, F, F, C],
    mirrorAsked: [F, F, F, F, F, F, C],
    mirroring: [F, F, F, F, F, F, C],
    mirrorControl: [F, F, F, F, F, F, C],
    both: [F, F, F, F, F, F, C],
    ended: [F, F, F, F, F, F, E],
  },
  accept: {
    waiting: [F, F, 'assigned:accept', 'assigned:accept', F, F, F],
    assigned: [F, F, '', C, F, F, F],
    following: [F, F, '', C, F, F, F],
    asked: [F, F, '', C, F, F, F],
    granted: [F, F, '', C, F, F, F],
    mirrorAsked: [F, F, '', C, F, F, F],
    mirroring: [F, F, '', C, F, F, F],
    mirrorControl: [F, F, '', C, F, F, F],
    both: [F, F, '', C, F, F, F],
    ended: [F, F, E, E, F, F, F],
  },
  join: {
    waiting: [F, F, 'assigned:code', 'assigned:code', F, F, F],
    assigned: [F, F, '', T, F, F, F],
    following: [F, F, '', T, F, F, F],
    asked: [F, F, '', T, F, F, F],
    granted: [F, F, '', T, F, F, F],
    mirrorAsked: [F, F, '', T, F, F, F],
    mirroring: [F, F, '', T, F, F, F],
    mirrorControl: [F, F, '', T, F, F, F],
    both: [F, F, '', T, F, F, F],
    ended: [F, F, N, N, F, F, F],
  },
  takeover: {
    waiting: [F, F, 'assigned:code', 'assigned:code', F, F, F],
    assigned: [F, F, '', 'assigned:code', F, F, F],
    following: [F, F, '', 'follow-stopped:helper-changed assigned:code', F, F, F],
    asked: [F, F, '', helperSwap, F, F, F],
    granted: [F, F, '', helperSwap, F, F, F],
    mirrorAsked: [F, F, '', 'mirror-stopped:helper-changed assigned:code', F, F, F],
    mirroring: [F, F, '', 'mirror-stopped:helper-changed assigned:code', F, F, F],
    mirrorControl: [
      F,
      F,
      '',
      'control-ended:helper-changed mirror-stopped:helper-changed assigned:code',
      F,
      F,
      F,
    ],
    both: [
      F,
      F,
      '',
      'control-ended:helper-changed follow-stopped:helper-changed mirror-stopped:helper-changed assigned:code',
      F,
      F,
      F,
    ],
    ended: [F, F, N, N, F, F, F],
  },
  renewCode: {
    waiting: [F, F, F, F, F, F, 'join-code-renewed'],
    assigned: [F, F, F, F, F, F, 'join-code-renewed'],
    following: [F, F, F, F, F, F, 'join-code-renewed'],
    asked: [F, F, F, F, F, F, 'join-code-renewed'],
    granted: [F, F, F, F, F, F, 'join-code-renewed'],
    mirrorAsked: [F, F, F, F, F, F, 'join-code-renewed'],
    mirroring: [F, F, F, F, F, F, 'join-code-renewed'],
    mirrorControl: [F, F, F, F, F, F, 'join-code-renewed'],
    both: [F, F, F, F, F, F, 'join-code-renewed'],
    ended: [F, F, F, F, F, F, E],
  },
  transfer: TRANSFER,
  // The note goes in first, while the conversation is still Alex's; then the handover.
  transferNote: withNote(TRANSFER),
  requeue: {
    waiting: [F, F, F, F, F, F, C],
    assigned: [F, F, F, F, F, F, 'requeued'],
    following: [F, F, F, F, F, F, 'follow-stopped:requeued requeued'],
    asked: [F, F, F, F, F, F, 'control-ended:requeued follow-stopped:requeued requeued'],
    granted: [F, F, F, F, F, F, 'control-ended:requeued follow-stopped:requeued requeued'],
    mirrorAsked: [F, F, F, F, F, F, 'mirror-stopped:requeued requeued'],
    mirroring: [F, F, F, F, F, F, 'mirror-stopped:requeued requeued'],
    mirrorControl: [F, F, F, F, F, F, 'control-ended:requeued mirror-stopped:requeued requeued'],
    both: [
      F,
      F,
      F,
      F,
      F,
      F,
      'control-ended:requeued follow-stopped:requeued mirror-stopped:requeued requeued',
    ],
    ended: [F, F, F, F, F, F, E],
  },
  end: {
    waiting: ['ended', F, F, F, F, F, 'ended'],
    assigned: ['ended', F, 'ended', F, F, F, 'ended'],
    following: [
      'follow-stopped:ended ended',
      F,
      'follow-stopped:ended ended',
      F,
      F,
      F,
      'follow-stopped:ended ended',
    ],
    asked: [
      'control-ended:ended follow-stopped:ended ended',
      F,
      'control-ended:ended follow-stopped:ended ended',
      F,
      F,
      F,
      'control-ended:ended follow-stopped:ended ended',
    ],
    granted: [
      'control-ended:ended follow-stopped:ended ended',
      F,
      'control-ended:ended follow-stopped:ended ended',
      F,
      F,
      F,
      'control-ended:ended follow-stopped:ended ended',
    ],
    mirrorAsked: [
      'mirror-stopped:ended ended',
      F,
      'mirror-stopped:ended ended',
      F,
      F,
      F,
      'mirror-stopped:ended ended',
    ],
    mirroring: [
      'mirror-stopped:ended ended',
      F,
      'mirror-stopped:ended ended',
      F,
      F,
      F,
      'mirror-stopped:ended ended',
    ],
    mirrorControl: [
      'control-ended:ended mirror-stopped:ended ended',
      F,
      'control-ended:ended mirror-stopped:ended ended',
      F,
      F,
      F,
      'control-ended:ended mirror-stopped:ended ended',
    ],
    both: [
      'control-ended:ended follow-stopped:ended mirror-stopped:ended ended',
      F,
      'control-ended:ended follow-stopped:ended mirror-stopped:ended ended',
      F,
      F,
      F,
      'control-ended:ended follow-stopped:ended mirror-stopped:ended ended',
    ],
    ended: ['', F, '', F, F, F, ''],
  },
  signedOut: {
    waiting: [F, F, F, F, F, F, ''],
    assigned: [F, F, F, F, F, F, ''],
    following: [F, F, F, F, F, F, 'follow-stopped:signed-out'],
    asked: [F, F, F, F, F, F, 'control-ended:signed-out follow-stopped:signed-out'],
    granted: [F, F, F, F, F, F, 'control-ended:signed-out follow-stopped:signed-out'],
    mirrorAsked: [F, F, F, F, F, F, 'mirror-stopped:signed-out'],
    mirroring: [F, F, F, F, F, F, 'mirror-stopped:signed-out'],
    mirrorControl: [F, F, F, F, F, F, 'control-ended:signed-out mirror-stopped:signed-out'],
    both: [
      F,
      F,
      F,
      F,
      F,
      F,
      'control-ended:signed-out follow-stopped:signed-out mirror-stopped:signed-out',
    ],
    ended: [F, F, F, F, F, F, ''],
  },
  removed: {
    waiting: [F, F, F, F, F, F, ''],
    assigned: [F, F, F, F, F, F, 'requeued'],
    following: [F, F, F, F, F, F, 'follow-stopped:removed requeued'],
    asked: [F, F, F, F, F, F, 'control-ended:removed follow-stopped:removed requeued'],
    granted: [F, F, F, F, F, F, 'control-ended:removed follow-stopped:removed requeued'],
    mirrorAsked: [F, F, F, F, F, F, 'mirror-stopped:removed requeued'],
    mirroring: [F, F, F, F, F, F, 'mirror-stopped:removed requeued'],
    mirrorControl: [F, F, F, F, F, F, 'control-ended:removed mirror-stopped:removed requeued'],
    both: [
      F,
      F,
      F,
      F,
      F,
      F,
      'control-ended:removed follow-stopped:removed mirror-stopped:removed requeued',
    ],
    ended: [F, F, F, F, F, F, ''],
  },
  send: {
    waiting: ['message-posted first-message', F, F, F, F, F, F],
    assigned: ['message-posted', F, 'message-posted', F, F, F, F],
    following: ['message-posted', F, 'message-posted', F, F, F, F],
    asked: ['message-posted', F, 'message-posted', F, F, F, F],
    granted: ['message-posted', F, 'message-posted', F, F, F, F],
    mirrorAsked: ['message-posted', F, 'message-posted', F, F, F, F],
    mirroring: ['message-posted', F, 'message-posted', F, F, F, F],
    mirrorControl: ['message-posted', F, 'message-posted', F, F, F, F],
    both: ['message-posted', F, 'message-posted', F, F, F, F],
    ended: [E, F, E, F, F, F, F],
  },
  // Notes: the assigned helper's own, never the visitor's, never after the end.
  note: {
    waiting: [F, F, F, F, F, F, F],
    assigned: [F, F, 'message-posted', F, F, F, F],
    following: [F, F, 'message-posted', F, F, F, F],
    asked: [F, F, 'message-posted', F, F, F, F],
    granted: [F, F, 'message-posted', F, F, F, F],
    mirrorAsked: [F, F, 'message-posted', F, F, F, F],
    mirroring: [F, F, 'message-posted', F, F, F, F],
    mirrorControl: [F, F, 'message-posted', F, F, F, F],
    both: [F, F, 'message-posted', F, F, F, F],
    ended: [E, F, E, F, F, F, F],
  },
  typing: {
    waiting: ['typing', F, F, F, F, F, F],
    assigned: ['typing', F, 'typing', F, F, F, F],
    following: ['typing', F, 'typing', F, F, F, F],
    asked: ['typing', F, 'typing', F, F, F, F],
    granted: ['typing', F, 'typing', F, F, F, F],
    mirrorAsked: ['typing', F, 'typing', F, F, F, F],
    mirroring: ['typing', F, 'typing', F, F, F, F],
    mirrorControl: ['typing', F, 'typing', F, F, F, F],
    both: ['typing', F, 'typing', F, F, F, F],
    ended: [E, F, E, F, F, F, F],
  },
  history: {
    waiting: ['', F, '', '', F, F, F],
    assigned: ['', F, '', F, F, F, F],
    following: ['', F, '', F, F, F, F],
    asked: ['', F, '', F, F, F, F],
    granted: ['', F, '', F, F, F, F],
    mirrorAsked: ['', F, '', F, F, F, F],
    mirroring: ['', F, '', F, F, F, F],
    mirrorControl: ['', F, '', F, F, F, F],
    both: ['', F, '', F, F, F, F],
    ended: ['', F, '', F, F, F, F],
  },
  markRead: {
    waiting: ['read-marked', F, F, F, F, F, F],
    assigned: ['read-marked', F, 'read-marked', F, F, F, F],
    following: ['read-marked', F, 'read-marked', F, F, F, F],
    asked: ['read-marked', F, 'read-marked', F, F, F, F],
    granted: ['read-marked', F, 'read-marked', F, F, F, F],
    mirrorAsked: ['read-marked', F, 'read-marked', F, F, F, F],
    mirroring: ['read-marked', F, 'read-marked', F, F, F, F],
    mirrorControl: ['read-marked', F, 'read-marked', F, F, F, F],
    both: ['read-marked', F, 'read-marked', F, F, F, F],
    ended: ['read-marked', F, 'read-marked', F, F, F, F],
  },
  page: {
    waiting: ['page-reported', F, F, F, F, F, F],
    assigned: ['page-reported', F, F, F, F, F, F],
    following: ['page-reported', F, F, F, F, F, F],
    asked: ['page-reported', F, F, F, F, F, F],
    granted: ['page-reported', F, F, F, F, F, F],
    mirrorAsked: ['page-reported', F, F, F, F, F, F],
    mirroring: ['page-reported', F, F, F, F, F, F],
    mirrorControl: ['page-reported', F, F, F, F, F, F],
    both: ['page-reported', F, F, F, F, F, F],
    ended: [E, F, F, F, F, F, F],
  },
  followStart: {
    waiting: allF,
    assigned: [F, F, 'follow-started', F, F, F, F],
    following: [F, F, '', F, F, F, F],
    asked: [F, F, '', F, F, F, F],
    granted: [F, F, '', F, F, F, F],
    mirrorAsked: [F, F, 'follow-started', F, F, F, F],
    mirroring: [F, F, 'follow-started', F, F, F, F],
    mirrorControl: [F, F, 'follow-started', F, F, F, F],
    both: [F, F, '', F, F, F, F],
    ended: [F, F, E, F, F, F, F],
  },
  followStop: {
    waiting: ['', F, F, F, F, F, F],
    assigned: ['', F, '', F, F, F, F],
    following: ['follow-stopped:visitor', F, 'follow-stopped:helper', F, F, F, F],
    asked: [
      'control-ended:visitor follow-stopped:visitor',
      F,
      'control-ended:helper follow-stopped:helper',
      F,
      F,
      F,
      F,
    ],
    granted: [
      'control-ended:visitor follow-stopped:visitor',
      F,
      'control-ended:helper follow-stopped:helper',
      F,
      F,
      F,
      F,
    ],
    mirrorAsked: ['', F, '', F, F, F, F],
    mirroring: ['', F, '', F, F, F, F],
    mirrorControl: ['', F, '', F, F, F, F],
    both: ['follow-stopped:visitor', F, 'follow-stopped:helper', F, F, F, F],
    ended: ['', F, '', F, F, F, F],
  },
  followJoin: {
    waiting: allF,
    assigned: allF,
    following: [F, F, F, F, 'follow-joined', F, F],
    asked: [F, F, F, F, 'follow-joined', F, F],
    granted: [F, F, F, F, 'follow-joined', F, F],
    mirrorAsked: [F, F, F, F, F, F, F],
    mirroring: [F, F, F, F, F, F, F],
    mirrorControl: [F, F, F, F, F, F, F],
    both: [F, F, F, F, 'follow-joined', F, F],
    ended: allF,
  },
  pageChange: {
    waiting: allF,
    assigned: allF,
    following: ['page-changed', F, F, F, F, F, F],
    asked: ['page-changed', F, F, F, F, F, F],
    granted: ['page-changed', F, F, F, F, F, F],
    mirrorAsked: [F, F, F, F, F, F, F],
    mirroring: [F, F, F, F, F, F, F],
    mirrorControl: [F, F, F, F, F, F, F],
    both: ['page-changed', F, F, F, F, F, F],
    ended: [E, F, F, F, F, F, F],
  },
  controlRequest: {
    waiting: allF,
    assigned: allF,
    following: [F, F, 'control-requested', F, F, F, F],
    asked: [F, F, '', F, F, F, F],
    granted: [F, F, '', F, F, F, F],
    mirrorAsked: [F, F, F, F, F, F, F],
    mirroring: [F, F, 'control-requested', F, F, F, F],
    mirrorControl: [F, F, '', F, F, F, F],
    both: [F, F, '', F, F, F, F],
    ended: [F, F, E, F, F, F, F],
  },
  allow: {
    waiting: [C, F, F, F, F, F, F],
    assigned: [C, F, F, F, F, F, F],
    following: [C, F, F, F, F, F, F],
    asked: ['control-granted', F, F, F, F, F, F],
    granted: [C, F, F, F, F, F, F],
    mirrorAsked: [C, F, F, F, F, F, F],
    mirroring: [C, F, F, F, F, F, F],
    mirrorControl: [C, F, F, F, F, F, F],
    both: [C, F, F, F, F, F, F],
    ended: [C, F, F, F, F, F, F],
  },
  deny: {
    waiting: ['', F, F, F, F, F, F],
    assigned: ['', F, F, F, F, F, F],
    following: ['', F, F, F, F, F, F],
    asked: ['control-denied', F, F, F, F, F, F],
    granted: ['control-ended:visitor', F, F, F, F, F, F],
    mirrorAsked: ['', F, F, F, F, F, F],
    mirroring: ['', F, F, F, F, F, F],
    mirrorControl: ['control-ended:visitor', F, F, F, F, F, F],
    both: ['control-ended:visitor', F, F, F, F, F, F],
    ended: ['', F, F, F, F, F, F],
  },
  controlChange: {
    waiting: allF,
    assigned: allF,
    following: allF,
    asked: allF,
    granted: [F, F, F, F, 'control-applied', F, F],
    mirrorAsked: [F, F, F, F, F, F, F],
    mirroring: [F, F, F, F, F, F, F],
    mirrorControl: [F, F, F, F, F, F, F],
    both: [F, F, F, F, 'control-applied', F, F],
    ended: allF,
  },
  point: {
    waiting: allF,
    assigned: allF,
    following: [F, F, 'pointed', F, F, F, F],
    asked: [F, F, 'pointed', F, F, F, F],
    granted: [F, F, 'pointed', F, F, F, F],
    mirrorAsked: [F, F, F, F, F, F, F],
    mirroring: [F, F, 'pointed', F, F, F, F],
    mirrorControl: [F, F, 'pointed', F, F, F, F],
    both: [F, F, 'pointed', F, F, F, F],
    ended: [F, F, E, F, F, F, F],
  },
  refresh: {
    waiting: allF,
    assigned: allF,
    following: [F, F, 'refreshed', F, F, F, F],
    asked: [F, F, 'refreshed', F, F, F, F],
    granted: [F, F, 'refreshed', F, F, F, F],
    mirrorAsked: [F, F, F, F, F, F, F],
    mirroring: [F, F, 'refreshed', F, F, F, F],
    mirrorControl: [F, F, 'refreshed', F, F, F, F],
    both: [F, F, 'refreshed', F, F, F, F],
    ended: [F, F, E, F, F, F, F],
  },
  identify: {
    waiting: ['visitor-identified', F, F, F, F, F, F],
    assigned: ['visitor-identified', F, F, F, F, F, F],
    following: ['visitor-identified', F, F, F, F, F, F],
    asked: ['visitor-identified', F, F, F, F, F, F],
    granted: ['visitor-identified', F, F, F, F, F, F],
    mirrorAsked: ['visitor-identified', F, F, F, F, F, F],
    mirroring: ['visitor-identified', F, F, F, F, F, F],
    mirrorControl: ['visitor-identified', F, F, F, F, F, F],
    both: ['visitor-identified', F, F, F, F, F, F],
    ended: [E, F, F, F, F, F, F],
  },
  hidden: {
    waiting: [F, F, F, F, F, F, 'presence-changed'],
    assigned: [F, F, F, F, F, F, 'presence-changed'],
    following: [F, F, F, F, F, F, 'presence-changed'],
    asked: [F, F, F, F, F, F, 'presence-changed'],
    granted: [F, F, F, F, F, F, 'presence-changed'],
    mirrorAsked: [F, F, F, F, F, F, 'presence-changed'],
    mirroring: [F, F, F, F, F, F, 'presence-changed'],
    mirrorControl: [F, F, F, F, F, F, 'presence-changed'],
    both: [F, F, F, F, F, F, 'presence-changed'],
    ended: [F, F, F, F, F, F, ''],
  },
  // Connected visitors: nothing to time out (the focused cases below have them leave).
  timeout: {
    waiting: [F, F, F, F, F, F, ''],
    assigned: [F, F, F, F, F, F, ''],
    following: [F, F, F, F, F, F, ''],
    asked: [F, F, F, F, F, F, ''],
    granted: [F, F, F, F, F, F, ''],
    mirrorAsked: [F, F, F, F, F, F, ''],
    mirroring: [F, F, F, F, F, F, ''],
    mirrorControl: [F, F, F, F, F, F, ''],
    both: [F, F, F, F, F, F, ''],
    ended: [F, F, F, F, F, F, ''],
  },
  mirrorRequest: {
    waiting: [F, F, F, F, F, F, F],
    assigned: [F, F, 'mirror-requested', F, F, F, F],
    following: [F, F, 'mirror-requested', F, F, F, F],
    asked: [F, F, 'mirror-requested', F, F, F, F],
    granted: [F, F, 'mirror-requested', F, F, F, F],
    mirrorAsked: [F, F, '', F, F, F, F],
    mirroring: [F, F, '', F, F, F, F],
    mirrorControl: [F, F, '', F, F, F, F],
    both: [F, F, '', F, F, F, F],
    ended: [F, F, E, F, F, F, F],
  },
  share: {
    waiting: [C, F, F, F, F, F, F],
    assigned: [C, F, F, F, F, F, F],
    following: [C, F, F, F, F, F, F],
    asked: [C, F, F, F, F, F, F],
    granted: [C, F, F, F, F, F, F],
    mirrorAsked: ['mirror-started', F, F, F, F, F, F],
    mirroring: [C, F, F, F, F, F, F],
    mirrorControl: [C, F, F, F, F, F, F],
    both: [C, F, F, F, F, F, F],
    ended: [E, F, F, F, F, F, F],
  },
  notNow: {
    waiting: ['', F, F, F, F, F, F],
    assigned: ['', F, F, F, F, F, F],
    following: ['', F, F, F, F, F, F],
    asked: ['', F, F, F, F, F, F],
    granted: ['', F, F, F, F, F, F],
    mirrorAsked: ['mirror-stopped:declined', F, F, F, F, F, F],
    mirroring: ['mirror-stopped:visitor', F, F, F, F, F, F],
    mirrorControl: ['control-ended:visitor mirror-stopped:visitor', F, F, F, F, F, F],
    both: ['mirror-stopped:visitor', F, F, F, F, F, F],
    ended: ['', F, F, F, F, F, F],
  },
  // A browser without CompressionStream answers for its visitor: declined, saying why.
  cannotRecord: {
    waiting: ['', F, F, F, F, F, F],
    assigned: ['', F, F, F, F, F, F],
    following: ['', F, F, F, F, F, F],
    asked: ['', F, F, F, F, F, F],
    granted: ['', F, F, F, F, F, F],
    mirrorAsked: ['mirror-stopped:unsupported', F, F, F, F, F, F],
    mirroring: ['mirror-stopped:visitor', F, F, F, F, F, F],
    mirrorControl: ['control-ended:visitor mirror-stopped:visitor', F, F, F, F, F, F],
    both: ['mirror-stopped:visitor', F, F, F, F, F, F],
    ended: ['', F, F, F, F, F, F],
  },
  mirrorStop: {
    waiting: ['', F, F, F, F, F, F],
    assigned: ['', F, '', F, F, F, F],
    following: ['', F, '', F, F, F, F],
    asked: ['', F, '', F, F, F, F],
    granted: ['', F, '', F, F, F, F],
    mirrorAsked: ['mirror-stopped:declined', F, 'mirror-stopped:helper', F, F, F, F],
    mirroring: ['mirror-stopped:visitor', F, 'mirror-stopped:helper', F, F, F, F],
    mirrorControl: [
      'control-ended:visitor mirror-stopped:visitor',
      F,
      'control-ended:helper mirror-stopped:helper',
      F,
      F,
      F,
      F,
    ],
    both: ['mirror-stopped:visitor', F, 'mirror-stopped:helper', F, F, F, F],
    ended: ['', F, '', F, F, F, F],
  },
  mirrorPart: {
    waiting: [F, F, F, F, F, F, F],
    assigned: [F, F, F, F, F, F, F],
    following: [F, F, F, F, F, F, F],
    asked: [F, F, F, F, F, F, F],
    granted: [F, F, F, F, F, F, F],
    mirrorAsked: [F, F, F, F, F, F, F],
    mirroring: ['mirror-part', F, F, F, F, F, F],
    mirrorControl: ['mirror-part', F, F, F, F, F, F],
    both: ['mirror-part', F, F, F, F, F, F],
    ended: [E, F, F, F, F, F, F],
  },
  mirrorPoint: {
    waiting: allF,
    assigned: allF,
    following: allF,
    asked: allF,
    granted: allF,
    mirrorAsked: allF,
    mirroring: [F, F, 'mirror-pointed', F, F, F, F],
    mirrorControl: [F, F, 'mirror-pointed', F, F, F, F],
    both: [F, F, 'mirror-pointed', F, F, F, F],
    ended: [F, F, E, F, F, F, F],
  },
  // Control asked and granted on the replay; never without it.
  mirrorClick: {
    waiting: allF,
    assigned: allF,
    following: allF,
    asked: allF,
    granted: allF,
    mirrorAsked: allF,
    mirroring: allF,
    mirrorControl: [F, F, 'mirror-control-applied', F, F, F, F],
    both: [F, F, 'mirror-control-applied', F, F, F, F],
    ended: [F, F, E, F, F, F, F],
  },
  mirrorFetch: {
    waiting: allF,
    assigned: allF,
    following: allF,
    asked: allF,
    granted: allF,
    mirrorAsked: allF,
    mirroring: [F, F, '', F, F, F, F],
    mirrorControl: [F, F, '', F, F, F, F],
    both: [F, F, '', F, F, F, F],
    ended: [F, F, E, F, F, F, F],
  },
  mirrorOpen: {
    waiting: allF,
    assigned: allF,
    following: allF,
    asked: allF,
    granted: allF,
    mirrorAsked: allF,
    mirroring: [F, F, 'mirror-snapshot-asked', F, F, F, F],
    mirrorControl: [F, F, 'mirror-snapshot-asked', F, F, F, F],
    both: [F, F, 'mirror-snapshot-asked', F, F, F, F],
    ended: [F, F, E, F, F, F, F],
  },
  stalePart: {
    waiting: [F, F, F, F, F, F, F],
    assigned: [F, F, F, F, F, F, F],
    following: [F, F, F, F, F, F, F],
    asked: [F, F, F, F, F, F, F],
    granted: [F, F, F, F, F, F, F],
    mirrorAsked: [F, F, F, F, F, F, F],
    mirroring: [F, F, F, F, F, F, F],
    mirrorControl: [F, F, F, F, F, F, F],
    both: [F, F, F, F, F, F, F],
    ended: [E, F, F, F, F, F, F],
  },
  noMirror: {
    waiting: [F, F, F, F, F, F, 'rules-applied'],
    assigned: [F, F, F, F, F, F, 'rules-applied'],
    following: [F, F, F, F, F, F, 'rules-applied'],
    asked: [F, F, F, F, F, F, 'rules-applied'],
    granted: [F, F, F, F, F, F, 'rules-applied'],
    mirrorAsked: [F, F, F, F, F, F, 'mirror-stopped:not-allowed rules-applied'],
    mirroring: [F, F, F, F, F, F, 'mirror-stopped:not-allowed rules-applied'],
    mirrorControl: [
      F,
      F,
      F,
      F,
      F,
      F,
      'control-ended:not-allowed mirror-stopped:not-allowed rules-applied',
    ],
    both: [F, F, F, F, F, F, 'mirror-stopped:not-allowed rules-applied'],
    ended: [F, F, F, F, F, F, ''],
  },
  noControl: {
    waiting: [F, F, F, F, F, F, 'rules-applied'],
    assigned: [F, F, F, F, F, F, 'rules-applied'],
    following: [F, F, F, F, F, F, 'rules-applied'],
    asked: [F, F, F, F, F, F, 'control-ended:not-allowed rules-applied'],
    granted: [F, F, F, F, F, F, 'control-ended:not-allowed rules-applied'],
    mirrorAsked: [F, F, F, F, F, F, 'rules-applied'],
    mirroring: [F, F, F, F, F, F, 'rules-applied'],
    mirrorControl: [F, F, F, F, F, F, 'control-ended:not-allowed rules-applied'],
    both: [F, F, F, F, F, F, 'control-ended:not-allowed rules-applied'],
    ended: [F, F, F, F, F, F, ''],
  },
  rate: {
    waiting: [C, F, F, F, F, F, F],
    assigned: [C, F, F, F, F, F, F],
    following: [C, F, F, F, F, F, F],
    asked: [C, F, F, F, F, F, F],
    granted: [C, F, F, F, F, F, F],
    mirrorAsked: [C, F, F, F, F, F, F],
    mirroring: [C, F, F, F, F, F, F],
    mirrorControl: [C, F, F, F, F, F, F],
    both: [C, F, F, F, F, F, F],
    ended: ['rated', F, F, F, F, F, F],
  },
};

/**
 * What `decide` answered, in the table's notation: each event's type, with how a helper came
 * to have it (`assigned:code`) or why something stopped (`follow-stopped:visitor`).
 */
function outcome(record: ConversationRecord, command: Command, actor: Actor): string {
  const decision = decide(record, command, actor, NOW);
  if (!decision.ok) return `!${decision.error.code}`;
  return decision.events
    .map((e: ConversationEvent | unknown) => {
      if (typeof e !== 'object' || e === null || !('type' in e)) return JSON.stringify(e);
      const event = e as ConversationEvent;
      if (event.type === 'assigned') return `assigned:${event.how}`;
      if (
        event.type === 'follow-stopped' ||
        event.type === 'control-ended' ||
        event.type === 'mirror-stopped'
      ) {
        return `${event.type}:${event.reason}`;
      }
      return event.type;
    })
    .join(' ');
}

function run(record: ConversationRecord, command: Command, actor: Actor) {
  const decision = decide(record, command, actor, NOW);
  if (!decision.ok) throw new Error(`refused: ${decision.error.code} ${decision.error.message}`);
  return decision;
}

/** Why `decide` refused, in words; '' when it did not. */
function refusal(record: ConversationRecord, command: Command, actor: Actor): string {
  const decision = decide(record, command, actor, NOW);
  return decision.ok ? '' : decision.error.message;
}

describe('the conversation core, command × state × actor', () => {
  const cases = Object.entries(SPEC).flatMap(([command, byState]) =>
    Object.entries(byState).flatMap(([state, row]) =>
      ACTOR_NAMES.map((actor, i) => ({ command, state, actor, expected: row[i] })),
    ),
  );

  it.each(cases)(
    '$command in $state by $actor → $expected',
    ({ command, state, actor, expected }) => {
      const record = STATES[state as State];
      const cmd = COMMANDS[command as keyof typeof COMMANDS];
      expect(outcome(record, cmd, ACTORS[actor as keyof typeof ACTORS])).toBe(expected);
    },
  );

  it('never changes the record it was given', () => {
    for (const state of Object.values(STATES)) {
      const before = structuredClone(state);
      for (const command of Object.values(COMMANDS)) {
        for (const actor of Object.values(ACTORS)) decide(state, command, actor, NOW);
      }
      expect(state).toEqual(before);
    }
  });
});

describe('the conversation core, what the events carry', () => {
  it('mirror mode: asked, shared, relayed, stopped, each by whom it should be', () => {
    const asked = run(STATES.assigned, COMMANDS.mirrorRequest, ACTORS.alex);
    expect(asked.events).toEqual<ConversationEvent[]>([
      { type: 'mirror-requested', helper: alexRef, mirrorId: 'mirror-2', at: NOW.toISOString() },
    ]);
    expect(asked.record.mirror).toEqual({
      state: 'requested',
      helperId: 'alex',
      helperName: 'Alex',
      mirrorId: 'mirror-2',
      since: NOW.toISOString(),
    });
    const shared = run(asked.record, COMMANDS.share, ACTORS.visitor);
    expect(shared.events).toEqual([
      { type: 'mirror-started', helperId: 'alex', mirrorId: 'mirror-2' },
    ]);
    expect(shared.record.mirror?.state).toBe('sharing');
    expect(shared.record.version).toBe(asked.record.version + 1);
    const part = { ...COMMANDS.mirrorPart.part, mirrorId: 'mirror-2' };
    const relayed = run(shared.record, { type: 'mirror-part', part }, ACTORS.visitor);
    // Relayed to the helper who sees it; nothing stored changes, however much is sent.
    expect(relayed.events).toEqual([{ type: 'mirror-part', helperId: 'alex', part }]);
    expect(relayed.record).toBe(shared.record);
    const stopped = run(shared.record, COMMANDS.mirrorStop, ACTORS.alex);
    expect(stopped.events).toEqual([
      { type: 'mirror-stopped', helperId: 'alex', mirrorId: 'mirror-2', reason: 'helper' },
    ]);
    expect(stopped.record.mirror).toBeUndefined();
  });

  it('a new "Mirror page" after a takeover names a new share; the old one’s batches are refused', () => {
    const taken = run(STATES.mirroring, COMMANDS.takeover, ACTORS.sam);
    expect(taken.record.mirror).toBeUndefined();
    const asked = run(taken.record, COMMANDS.mirrorRequest, ACTORS.sam);
    expect(asked.record.mirror).toMatchObject({ helperId: 'sam', mirrorId: 'mirror-2' });
    const shared = run(asked.record, COMMANDS.share, ACTORS.visitor);
    expect(refusal(shared.record, COMMANDS.mirrorPart, ACTORS.visitor)).toBe(
      'this page is not being shared',
    );
    expect(refusal(STATES.mirroring, COMMANDS.share, ACTORS.visitor)).toBe(
      'no one is asking to see this page',
    );
    expect(refusal(STATES.mirroring, COMMANDS.followStart, ACTORS.alex)).toBe('');
  });

  it('a replay that opens asks for a snapshot only when none is kept', () => {
    expect(run(STATES.mirroring, { type: 'mirror-open', kept: true }, ACTORS.alex).events).toEqual(
      [],
    );
    expect(run(STATES.mirroring, COMMANDS.mirrorOpen, ACTORS.alex).events).toEqual([
      { type: 'mirror-snapshot-asked' },
    ]);
  });

  it('relaying, pointing and acting on a shared page change nothing stored', () => {
    for (const command of [COMMANDS.mirrorOpen, COMMANDS.mirrorPoint, COMMANDS.mirrorClick]) {
      const { record } = run(STATES.mirrorControl, command, ACTORS.alex);
      expect(record).toBe(STATES.mirrorControl);
    }
  });

  it('a share is the helper’s it was shared with: another helper’s departure leaves it, and nothing of it is another’s', () => {
    const samGone = { type: 'helper-gone', helperId: 'sam', reason: 'signed-out' } as const;
    expect(run(STATES.mirroring, samGone, ACTORS.system).events).toEqual([]);
    // States no rule makes, to show each check stands on its own.
    const sharedWithSam = { ...assigned, mirror: { ...mirrorRecord('sharing'), helperId: 'sam' } };
    expect(refusal(sharedWithSam, COMMANDS.point, ACTORS.alex)).toBe(
      'follow or mirror the page first',
    );
    expect(
      refusal(
        { ...sharedWithSam, following: following.following },
        COMMANDS.mirrorOpen,
        ACTORS.alex,
      ),
    ).toBe('this page is not being shared with you');
    const samInControl = {
      ...STATES.mirroring,
      control: { state: 'granted', helperId: 'sam', helperName: 'Sam' },
    } as ConversationRecord;
    expect(refusal(samInControl, COMMANDS.mirrorClick, ACTORS.alex)).toBe(
      'the visitor has not given you control',
    );
    // A stale share of another helper ends before Alex asks anew.
    expect(run(sharedWithSam, COMMANDS.mirrorRequest, ACTORS.alex).events).toEqual([
      { type: 'mirror-stopped', helperId: 'sam', mirrorId: 'mirror-1', reason: 'helper-changed' },
      { type: 'mirror-requested', helper: alexRef, mirrorId: 'mirror-2', at: NOW.toISOString() },
    ]);
    // Control of Alex's, with the page shared with Sam only, ends with Alex's follow mode.
    const followedShared = {
      ...sharedWithSam,
      following: following.following,
      control: { state: 'granted', helperId: 'alex', helperName: 'Alex' },
    } as ConversationRecord;
    expect(outcome(followedShared, COMMANDS.followStop, ACTORS.alex)).toBe(
      'control-ended:helper follow-stopped:helper',
    );
  });

  it('the site’s rules stop "Mirror page" and pointing on the replay, and end control once', () => {
    const rules = (allow: Partial<Record<'follow' | 'mirror' | 'point' | 'control', boolean>>) => ({
      priority: 0,
      allow: { follow: true, mirror: true, point: true, control: true, ...allow },
      block: [],
      mask: [],
    });
    expect(
      refusal(
        { ...assigned, rules: rules({ mirror: false }) },
        COMMANDS.mirrorRequest,
        ACTORS.alex,
      ),
    ).toBe('the site does not allow mirror on this page');
    expect(
      refusal(
        { ...STATES.mirroring, rules: rules({ point: false }) },
        COMMANDS.mirrorPoint,
        ACTORS.alex,
      ),
    ).toBe('the site does not allow point on this page');
    const neither = {
      type: 'apply-rules',
      rules: rules({ follow: false, control: false }),
    } as const;
    expect(outcome(STATES.granted, neither, ACTORS.system)).toBe(
      'control-ended:not-allowed follow-stopped:not-allowed rules-applied',
    );
    // Following and sharing, in control: follow mode ends, and control too, for its own reason.
    expect(outcome(STATES.both, neither, ACTORS.system)).toBe(
      'control-ended:not-allowed follow-stopped:not-allowed rules-applied',
    );
  });

  it('control asked in mirror mode is granted there, and outlives follow mode while shared', () => {
    const asked = run(STATES.mirroring, COMMANDS.controlRequest, ACTORS.alex);
    const granted = run(asked.record, COMMANDS.allow, ACTORS.visitor);
    expect(granted.record.control?.state).toBe('granted');
    const followed = run(granted.record, COMMANDS.followStart, ACTORS.alex);
    const unfollowed = run(followed.record, COMMANDS.followStop, ACTORS.alex);
    expect(unfollowed.record.control?.state).toBe('granted');
    const unshared = run(unfollowed.record, COMMANDS.mirrorStop, ACTORS.visitor);
    expect(unshared.record.control).toBeUndefined();
  });

  it('a takeover closes the former helper’s grant and control, and names who had it', () => {
    const { record, events } = run(STATES.granted, COMMANDS.takeover, ACTORS.sam);
    expect(events).toEqual<ConversationEvent[]>([
      { type: 'control-ended', helperId: 'alex', reason: 'helper-changed' },
      { type: 'follow-stopped', helperId: 'alex', grantId: 'g1', reason: 'helper-changed' },
      {
        type: 'assigned',
        helper: samRef,
        how: 'code',
        at: NOW.toISOString(),
        previousHelperId: 'alex',
      },
    ]);
    expect(record).toMatchObject({ status: 'assigned', helperId: 'sam', helperName: 'Sam' });
    expect(record.following).toBeUndefined();
    expect(record.control).toBeUndefined();
    expect(record.assignedAt).toBe(NOW.toISOString());
    expect(record.version).toBe(STATES.granted.version + 1);
  });

  it('asking to join a conversation another helper answers names them and the visitor', () => {
    const decision = decide(STATES.assigned, COMMANDS.join, ACTORS.sam, NOW);
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.error.toAckError()).toMatchObject({
      code: 'takeover_needed',
      context: { helperName: 'Alex', visitorName: 'Ann' },
    });
  });

  it('a transfer goes only to another helper who is available', () => {
    const { record, events } = run(STATES.assigned, COMMANDS.transfer, ACTORS.alex);
    expect(events).toEqual([
      {
        type: 'assigned',
        helper: samRef,
        how: 'transfer',
        at: NOW.toISOString(),
        previousHelperId: 'alex',
      },
    ]);
    expect(record.helperId).toBe('sam');
    const away = { type: 'transfer', to: { ...samRef, available: false } } as const;
    expect(outcome(STATES.assigned, away, ACTORS.alex)).toBe('!conflict');
    const self = { type: 'transfer', to: { ...alexRef, available: true } } as const;
    expect(outcome(STATES.assigned, self, ACTORS.alex)).toBe('!conflict');
  });

  it('an internal note is marked internal, by its helper, and does not count as an answer', () => {
    const unanswered = { ...STATES.assigned, answeredAt: undefined };
    const { record, events } = run(unanswered, COMMANDS.note, ACTORS.alex);
    expect(events).toEqual([
      {
        type: 'message-posted',
        messageId: 'note-1',
        from: 'helper',
        authorName: 'Alex',
        text: 'Asked twice',
        internal: true,
      },
    ]);
    expect(record.answeredAt).toBeUndefined();
    // A plain message from the same helper is not internal, and is the answer.
    const plain = run(unanswered, COMMANDS.send, ACTORS.alex).events;
    expect(plain[0]).not.toHaveProperty('internal');
    expect(plain.map((e) => e.type)).toContain('answered');
  });

  it('a transfer with a note writes it as the old helper’s note, before the handover', () => {
    const { record, events } = run(STATES.assigned, COMMANDS.transferNote, ACTORS.alex);
    expect(events[0]).toEqual({
      type: 'message-posted',
      messageId: 'note-2',
      from: 'helper',
      authorName: 'Alex',
      text: 'Wants a refund',
      internal: true,
    });
    expect(events[1]).toMatchObject({ type: 'assigned', helper: samRef, how: 'transfer' });
    expect(record.helperId).toBe('sam');
  });

  it('a returning visitor’s earlier chats are read only by the helper answering them now', () => {
    const now = { ...STATES.assigned, visitorKey: 'browser-key-0001-aaaa' };
    const earlier = {
      ...STATES.ended,
      id: 'conv-0',
      helperId: 'sam',
      helperName: 'Sam',
      visitorKey: 'browser-key-0001-aaaa',
    };
    const read = { type: 'read-earlier', current: now } as const;
    expect(outcome(earlier, read, ACTORS.alex)).toBe('');
    expect(outcome(now, read, ACTORS.alex)).toBe('');
    // Not Sam, who helped then but not now; not the visitor; not a stranger.
    expect(outcome(earlier, read, ACTORS.sam)).toBe('!forbidden');
    expect(outcome(earlier, read, ACTORS.visitor)).toBe('!forbidden');
    expect(outcome(earlier, read, ACTORS.stranger)).toBe('!forbidden');
    // Another visitor's, one still open, or one with only a claimed (unverified) user id.
    expect(outcome({ ...earlier, visitorKey: 'browser-key-0002-bbbb' }, read, ACTORS.alex)).toBe(
      '!forbidden',
    );
    expect(outcome({ ...earlier, status: 'assigned' }, read, ACTORS.alex)).toBe('!forbidden');
    const claimed = { ...now, visitorKey: undefined, visitor: { userId: 'u-1' } };
    const claimedBefore = { ...earlier, visitorKey: undefined, visitor: { userId: 'u-1' } };
    expect(outcome(claimedBefore, { ...read, current: claimed }, ACTORS.alex)).toBe('!forbidden');
    const verified = { ...claimed, visitor: { userId: 'u-1', verified: true } };
    const verifiedBefore = { ...claimedBefore, visitor: { userId: 'u-1', verified: true } };
    expect(outcome(verifiedBefore, { ...read, current: verified }, ACTORS.alex)).toBe('');
    // Once Alex no longer answers the visitor, the look back ends too.
    const ended = { ...now, status: 'ended' as const };
    expect(outcome(earlier, { ...read, current: ended }, ACTORS.alex)).toBe('!ended');
  });

  it('a requeue forgets the helper and keeps the conversation’s age', () => {
    const { record, events } = run(STATES.assigned, COMMANDS.requeue, ACTORS.system);
    expect(events).toEqual([{ type: 'requeued', previousHelperId: 'alex' }]);
    expect(record.status).toBe('waiting');
    expect(record).not.toHaveProperty('helperId');
    expect(record).not.toHaveProperty('helperName');
    expect(record).not.toHaveProperty('assignedAt');
    expect(record.createdAt).toBe(base.createdAt);
  });

  it('an end says who ended it and when; a second end changes nothing', () => {
    const { record } = run(STATES.assigned, COMMANDS.end, ACTORS.alex);
    expect(record).toMatchObject({
      status: 'ended',
      endedAt: NOW.toISOString(),
      endedBy: 'helper',
    });
    const again = run(record, COMMANDS.end, ACTORS.visitor);
    expect(again.record).toBe(record);
  });

  it('the visitor’s first message is previewed for the queue, cut to 200 characters', () => {
    const long = { ...COMMANDS.send, text: 'x'.repeat(250) };
    const { record, events } = run(STATES.waiting, long, ACTORS.visitor);
    expect(events[0]).toEqual({
      type: 'message-posted',
      messageId: 'message-1',
      from: 'visitor',
      authorName: 'Ann',
      text: 'x'.repeat(250),
    });
    expect(record.firstMessage).toBe('x'.repeat(200));
    expect(record.version).toBe(base.version + 1);
  });

  it('a message id the other side already used is refused; a resend is acknowledged again', () => {
    const resend = { ...COMMANDS.send, existing: 'visitor' } as const;
    expect(outcome(STATES.assigned, resend, ACTORS.visitor)).toBe('message-resent');
    // Stored before the end: its resend after the end is still acknowledged.
    expect(outcome(STATES.ended, resend, ACTORS.visitor)).toBe('message-resent');
    expect(outcome(STATES.assigned, resend, ACTORS.alex)).toBe('!conflict');
    const helpers = { ...COMMANDS.send, existing: 'helper' } as const;
    expect(outcome(STATES.assigned, helpers, ACTORS.visitor)).toBe('!conflict');
    expect(run(STATES.waiting, resend, ACTORS.visitor).record.firstMessage).toBeUndefined();
  });

  it('live commands leave the record and its version alone', () => {
    for (const [command, actor] of [
      [COMMANDS.typing, ACTORS.visitor],
      [COMMANDS.pageChange, ACTORS.visitor],
      [COMMANDS.point, ACTORS.alex],
      [COMMANDS.refresh, ACTORS.alex],
      [COMMANDS.controlChange, ACTORS.copy],
      [COMMANDS.followJoin, ACTORS.copy],
    ] as const) {
      expect(run(STATES.granted, command, actor).record).toBe(STATES.granted);
    }
  });

  it('a page change is stamped and goes to the open grant', () => {
    const { events } = run(STATES.following, COMMANDS.pageChange, ACTORS.visitor);
    expect(events).toEqual([
      { type: 'page-changed', grantId: 'g1', change: { ...scroll, at: NOW.toISOString() } },
    ]);
  });

  it('a follow started again needs a new Allow', () => {
    const stopped = run(STATES.granted, COMMANDS.followStop, ACTORS.visitor).record;
    const restarted = run(stopped, COMMANDS.followStart, ACTORS.alex).record;
    expect(restarted.following?.grantId).toBe('g2');
    const newCopy = { kind: 'follower', helperId: 'alex', grantId: 'g2' } as const;
    expect(outcome(restarted, COMMANDS.followJoin, newCopy)).toBe('follow-joined');
    expect(outcome(restarted, COMMANDS.controlChange, newCopy)).toBe('!forbidden');
    // The copies of the first grant are done for.
    expect(outcome(restarted, COMMANDS.followJoin, ACTORS.copy)).toBe('!forbidden');
  });

  it('control never takes the visitor to another site', () => {
    const navigate = (url: string): Command => ({
      type: 'control-change',
      change: { type: 'navigate', key: 'page', value: { url, title: '' } },
    });
    expect(outcome(STATES.granted, navigate('https://shop.example/cart'), ACTORS.copy)).toBe(
      'control-applied',
    );
    expect(outcome(STATES.granted, navigate('https://evil.example/'), ACTORS.copy)).toBe(
      '!forbidden',
    );
    expect(outcome(STATES.granted, navigate('http://shop.example/cart'), ACTORS.copy)).toBe(
      '!forbidden',
    );
  });

  it('control granted to a helper who no longer has the conversation drives nothing', () => {
    // A record as no rule would leave it: kept to show the copy's check does not trust it.
    const stale: ConversationRecord = { ...STATES.granted, helperId: 'sam', helperName: 'Sam' };
    expect(outcome(stale, COMMANDS.controlChange, ACTORS.copy)).toBe('!forbidden');
    expect(outcome(stale, COMMANDS.point, ACTORS.alex)).toBe('!forbidden');
  });

  it('follow mode starts with a grant and the time, and stopping it forgets both', () => {
    const { record, events } = run(STATES.assigned, COMMANDS.followStart, ACTORS.alex);
    expect(events).toEqual([
      { type: 'follow-started', helper: alexRef, grantId: 'g2', at: NOW.toISOString() },
    ]);
    expect(record.following).toEqual({
      helperId: 'alex',
      helperName: 'Alex',
      grantId: 'g2',
      since: NOW.toISOString(),
    });
    const stopped = run(record, COMMANDS.followStop, ACTORS.alex);
    expect(stopped.events).toEqual([
      { type: 'follow-stopped', helperId: 'alex', grantId: 'g2', reason: 'helper' },
    ]);
    expect(stopped.record).not.toHaveProperty('following');
  });

  it('control is asked, granted, refused and taken back as the visitor says', () => {
    const asked = run(STATES.following, COMMANDS.controlRequest, ACTORS.alex).record;
    expect(asked.control).toEqual({ state: 'requested', helperId: 'alex', helperName: 'Alex' });
    expect(run(asked, COMMANDS.allow, ACTORS.visitor).record.control?.state).toBe('granted');
    expect(run(asked, COMMANDS.deny, ACTORS.visitor).record.control?.state).toBe('denied');
    const taken = run(STATES.granted, COMMANDS.deny, ACTORS.visitor);
    expect(taken.events).toEqual([{ type: 'control-ended', helperId: 'alex', reason: 'visitor' }]);
    expect(taken.record).not.toHaveProperty('control');
    // After a refusal the helper may ask again.
    const denied = run(asked, COMMANDS.deny, ACTORS.visitor).record;
    expect(outcome(denied, COMMANDS.controlRequest, ACTORS.alex)).toBe('control-requested');
  });

  it('a page report and a read mark carry what was said', () => {
    expect(run(STATES.assigned, COMMANDS.page, ACTORS.visitor).record.currentPage).toEqual({
      url: 'https://shop.example/cart',
      title: 'Cart',
      at: NOW.toISOString(),
    });
    expect(run(STATES.assigned, COMMANDS.markRead, ACTORS.alex).events).toEqual([
      { type: 'read-marked', by: 'helper', upTo: 'message-1' },
    ]);
    expect(run(STATES.assigned, COMMANDS.typing, ACTORS.alex).events).toEqual([
      { type: 'typing', from: 'helper', typing: true },
    ]);
  });
});

describe('the conversation core, in words and in states no rule leaves behind', () => {
  const allCases = () =>
    Object.values(STATES).flatMap((record) =>
      Object.values(COMMANDS).flatMap((command) =>
        Object.values(ACTORS).map((actor) => decide(record, command, actor, NOW)),
      ),
    );

  it('says why in words whenever it refuses', () => {
    for (const decision of allCases()) {
      if (!decision.ok) expect(decision.error.message.length).toBeGreaterThan(12);
    }
  });

  it('words the refusals a helper is most likely to meet', () => {
    const message = refusal;
    expect(message(STATES.waiting, COMMANDS.send, ACTORS.alex)).toBe(
      'accept this conversation first',
    );
    expect(message(STATES.assigned, COMMANDS.send, ACTORS.sam)).toBe(
      'this conversation is not assigned to you',
    );
    expect(message(STATES.assigned, COMMANDS.accept, ACTORS.sam)).toBe('Alex has taken it');
    expect(message(STATES.assigned, COMMANDS.join, ACTORS.sam)).toMatch(/^Alex is answering/);
    expect(message(STATES.assigned, COMMANDS.assign, ACTORS.system)).toBe(
      'this conversation is no longer waiting',
    );
    expect(message(STATES.waiting, COMMANDS.requeue, ACTORS.system)).toBe(
      'this conversation is not assigned',
    );
    expect(message(STATES.ended, COMMANDS.send, ACTORS.visitor)).toBe(
      'this conversation has ended',
    );
    expect(message(STATES.assigned, COMMANDS.point, ACTORS.alex)).toBe(
      'follow or mirror the page first',
    );
    expect(message(STATES.assigned, COMMANDS.pageChange, ACTORS.visitor)).toBe(
      'this page is not being followed',
    );
    expect(message(STATES.following, COMMANDS.controlChange, ACTORS.copy)).toBe(
      'the visitor has not given you control',
    );
    const toSelf = { type: 'transfer', to: { ...alexRef, available: true } } as const;
    expect(message(STATES.assigned, toSelf, ACTORS.alex)).toBe(
      'this conversation is already yours',
    );
    const toAway = { type: 'transfer', to: { ...samRef, available: false } } as const;
    expect(message(STATES.assigned, toAway, ACTORS.alex)).toBe('Sam is not available');
    const offSite: Command = {
      type: 'control-change',
      change: { type: 'navigate', key: 'page', value: { url: 'https://evil.example/', title: '' } },
    };
    expect(message(STATES.granted, offSite, ACTORS.copy)).toBe(
      "control never leaves the visitor's site",
    );
    const helperWrote = { ...COMMANDS.send, existing: 'helper' } as const;
    expect(message(STATES.assigned, helperWrote, ACTORS.visitor)).toBe(
      'that message id is already used in this conversation',
    );
    const unnamed = { ...STATES.assigned, helperName: undefined } as ConversationRecord;
    expect(message(unnamed, COMMANDS.accept, ACTORS.sam)).toBe('another helper has taken it');
    expect(message(unnamed, COMMANDS.join, ACTORS.sam)).toMatch(/^another helper is answering/);
  });

  it('starts every conversation waiting, at version 1, whatever it was given', () => {
    const { version: _v, status: _s, ...fields } = STATES.ended;
    const fresh = newConversation({ ...fields, version: 7, status: 'ended' } as typeof fields);
    expect(fresh).toEqual({ ...fields, version: 1, status: 'waiting' });
  });

  it('a join code works only until it runs out or is replaced, and a renewal replaces it', () => {
    const join = (record: ConversationRecord, code: string, at: Date) =>
      decide(record, { type: 'join-by-code', code, takeOver: false }, ACTORS.sam, at);
    const justBefore = new Date('2026-12-02T10:19:59.999Z');
    const atExpiry = new Date('2026-12-02T10:20:00.000Z');
    expect(join(STATES.waiting, '482913705', justBefore).ok).toBe(true);
    const late = join(STATES.waiting, '482913705', atExpiry);
    expect(late.ok ? '' : late.error.code).toBe('not_found');
    const { record } = run(STATES.waiting, COMMANDS.renewCode, ACTORS.system);
    expect(record).toMatchObject({
      joinCode: '105377264',
      joinCodeExpiresAt: '2026-12-02T10:30:00.000Z',
      version: STATES.waiting.version + 1,
    });
    const old = join(record, '482913705', NOW);
    expect(old.ok ? '' : old.error).toMatchObject({
      code: 'not_found',
      message: 'no open conversation has that code',
    });
    expect(join(record, '105377264', atExpiry).ok).toBe(true);
    // A record from before codes expired keeps its code working.
    const { joinCodeExpiresAt: _e, ...timeless } = STATES.waiting;
    expect(join(timeless, '482913705', new Date('2030-01-01')).ok).toBe(true);
  });

  it('names who a copy of the page belongs to when it joins', () => {
    expect(run(STATES.following, COMMANDS.followJoin, ACTORS.copy).events).toEqual([
      { type: 'follow-joined', helperId: 'alex', grantId: 'g1' },
    ]);
  });

  it('keeps a helper’s sign-out from touching another helper’s page', () => {
    const samGone = { type: 'helper-gone', helperId: 'sam', reason: 'signed-out' } as const;
    expect(run(STATES.granted, samGone, ACTORS.system).events).toEqual([]);
    const samRemoved = { ...samGone, reason: 'removed' } as const;
    expect(run(STATES.granted, samRemoved, ACTORS.system).events).toEqual([]);
  });

  it('notes when a helper first answers, once', () => {
    const unanswered = { ...STATES.assigned, answeredAt: undefined } as ConversationRecord;
    const first = run(unanswered, COMMANDS.send, ACTORS.alex);
    expect(first.events.map((e) => e.type)).toEqual(['message-posted', 'answered']);
    expect(first.record.answeredAt).toBe(NOW.toISOString());
    expect(outcome(first.record, COMMANDS.send, ACTORS.alex)).toBe('message-posted');
    // The visitor writing is no answer.
    expect(outcome(unanswered, COMMANDS.send, ACTORS.visitor)).toBe('message-posted');
  });

  it('signs the visitor’s messages with the name the site gave last', () => {
    const renamed = run(STATES.assigned, COMMANDS.identify, ACTORS.visitor).record;
    const posted = run(renamed, COMMANDS.send, ACTORS.visitor).events[0];
    expect(posted).toMatchObject({ type: 'message-posted', authorName: 'Ann Lee' });
  });

  it('merges what identify() says into what was known, and ignores a repeat', () => {
    const known = {
      ...STATES.assigned,
      visitor: { name: 'Ann', custom: { plan: 'pro', team: 'a' } },
    } as ConversationRecord;
    const identify = {
      type: 'identify',
      visitor: { email: 'ann@localhost', custom: { team: 'b' } },
    } as const;
    const { record } = run(known, identify, ACTORS.visitor);
    expect(record.visitor).toEqual({
      name: 'Ann',
      email: 'ann@localhost',
      custom: { plan: 'pro', team: 'b' },
    });
    expect(outcome(record, identify, ACTORS.visitor)).toBe('');
  });

  it('adds no empty custom fields, and counts presence from nothing', () => {
    const plain = run(STATES.assigned, COMMANDS.identify, ACTORS.visitor).record;
    expect(plain.visitor).toEqual({ name: 'Ann Lee', email: 'ann@localhost' });
    const { presence: _none, ...unknown } = STATES.waiting;
    expect(run(unknown, COMMANDS.hidden, ACTORS.system).record.presence).toEqual({
      state: 'away',
      connected: true,
      since: NOW.toISOString(),
    });
    // Nothing to time out without presence, nor once ended, however long ago they left.
    expect(outcome(unknown, COMMANDS.timeout, ACTORS.system)).toBe('');
    const leftLongAgo = {
      ...STATES.ended,
      presence: { state: 'away', connected: false, since: '2026-12-01T10:00:00.000Z' },
    } as ConversationRecord;
    expect(outcome(leftLongAgo, COMMANDS.timeout, ACTORS.system)).toBe('');
  });

  it('tells online from away, and says nothing when nothing changed', () => {
    const away = run(STATES.waiting, COMMANDS.hidden, ACTORS.system).record;
    expect(away.presence).toEqual({ state: 'away', connected: true, since: NOW.toISOString() });
    expect(outcome(away, COMMANDS.hidden, ACTORS.system)).toBe('');
    const back = { type: 'presence', connected: true, visible: true } as const;
    expect(run(away, back, ACTORS.system).record.presence?.state).toBe('online');
    // No connection at all: away until the time limits say gone.
    const left = { type: 'presence', connected: false, visible: false } as const;
    expect(run(away, left, ACTORS.system).record.presence).toEqual({
      state: 'away',
      connected: false,
      since: NOW.toISOString(),
    });
  });

  it('shows a visitor with no connection as gone after a while, and closes their waiting chat later', () => {
    const leftAt = (minutesAgo: number) =>
      ({
        state: 'away',
        connected: false,
        since: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(),
      }) as const;
    const leftFor = (record: ConversationRecord, minutesAgo: number) =>
      ({ ...record, presence: leftAt(minutesAgo) }) as ConversationRecord;
    const timeout = COMMANDS.timeout;
    expect(outcome(leftFor(STATES.waiting, 0.5), timeout, ACTORS.system)).toBe('');
    const gone = run(leftFor(STATES.assigned, 1), timeout, ACTORS.system).record;
    // "Gone" since the connection closed, not since the sweep noticed.
    expect(gone.presence).toEqual({ ...leftAt(1), state: 'gone' });
    expect(outcome(gone, timeout, ACTORS.system)).toBe('');
    // A waiting chat leaves the queue at the limit; an assigned one stays with its helper.
    const closed = run(leftFor(STATES.waiting, 10), timeout, ACTORS.system);
    expect(closed.events).toEqual([
      { type: 'ended', by: 'system', at: NOW.toISOString(), previousStatus: 'waiting' },
    ]);
    expect(outcome(leftFor(STATES.assigned, 60), timeout, ACTORS.system)).toBe('presence-changed');
    // A message left for later waits however long the visitor is away.
    const message = { ...leftFor(STATES.waiting, 600), kind: 'message' } as ConversationRecord;
    expect(outcome(message, timeout, ACTORS.system)).toBe('presence-changed');
  });

  it('lets the site’s rules forbid following, pointing and control, and ends what they no longer allow', () => {
    const rules = (allow: Partial<Record<'follow' | 'point' | 'control', boolean>>) => ({
      priority: 0,
      allow: { follow: true, mirror: true, point: true, control: true, ...allow },
      block: [],
      mask: [],
    });
    const withRules = (state: ConversationRecord, allow: Parameters<typeof rules>[0]) =>
      ({ ...state, rules: rules(allow) }) as ConversationRecord;
    expect(
      outcome(withRules(STATES.assigned, { follow: false }), COMMANDS.followStart, ACTORS.alex),
    ).toBe('!forbidden');
    expect(
      outcome(withRules(STATES.assigned, { point: false }), COMMANDS.followStart, ACTORS.alex),
    ).toBe('follow-started');
    expect(
      outcome(withRules(STATES.following, { point: false }), COMMANDS.point, ACTORS.alex),
    ).toBe('!forbidden');
    expect(
      outcome(
        withRules(STATES.following, { control: false }),
        COMMANDS.controlRequest,
        ACTORS.alex,
      ),
    ).toBe('!forbidden');
    expect(
      outcome(withRules(STATES.following, { control: false }), COMMANDS.point, ACTORS.alex),
    ).toBe('pointed');
    expect(
      outcome(withRules(STATES.following, { point: false }), COMMANDS.controlRequest, ACTORS.alex),
    ).toBe('control-requested');
    const refused = decide(
      withRules(STATES.assigned, { follow: false }),
      COMMANDS.followStart,
      ACTORS.alex,
      NOW,
    );
    expect(refused.ok ? '' : refused.error.message).toBe(
      'the site does not allow follow on this page',
    );
    // The visitor moved to a page where following is not allowed: the copies close now.
    const stop = { type: 'apply-rules', rules: rules({ follow: false }) } as const;
    expect(outcome(STATES.granted, stop, ACTORS.system)).toBe(
      'control-ended:not-allowed follow-stopped:not-allowed rules-applied',
    );
    const { record } = run(STATES.waiting, COMMANDS.noControl, ACTORS.system);
    expect(record).toMatchObject({ priority: 2, rules: COMMANDS.noControl.rules });
    // The same rules again change nothing.
    expect(outcome(record, COMMANDS.noControl, ACTORS.system)).toBe('');
  });

  it('never hands out a message left for later; a helper accepts it', () => {
    const message = { ...STATES.waiting, kind: 'message' } as ConversationRecord;
    expect(outcome(message, COMMANDS.assign, ACTORS.system)).toBe('!conflict');
    expect(outcome(message, COMMANDS.accept, ACTORS.sam)).toBe('assigned:accept');
  });

  it('takes a rating for five minutes after the end, and none from a record that never ended', () => {
    const rate = { type: 'rate', value: 'up' } as const;
    const endedAgo = (minutes: number) =>
      ({
        ...STATES.ended,
        endedAt: new Date(NOW.getTime() - minutes * 60_000).toISOString(),
      }) as ConversationRecord;
    expect(outcome(endedAgo(4.9), rate, ACTORS.visitor)).toBe('rated');
    const late = decide(endedAgo(5.1), rate, ACTORS.visitor, NOW);
    expect(late.ok ? 'taken' : late.error.message).toMatch(/too long ago/);
    const { endedAt: _none, ...noEnd } = STATES.ended;
    expect(outcome(noEnd as ConversationRecord, rate, ACTORS.visitor)).toBe('!conflict');
    const open = decide(STATES.assigned, rate, ACTORS.visitor, NOW);
    expect(open.ok ? 'taken' : open.error.message).toMatch(/once it has ended/);
    const message = { ...STATES.waiting, kind: 'message' } as ConversationRecord;
    const assign = decide(message, COMMANDS.assign, ACTORS.system, NOW);
    expect(assign.ok ? 'assigned' : assign.error.message).toMatch(/accept it/);
  });

  it('takes a rating for a few minutes after the end, with a trimmed comment', () => {
    const rate = { type: 'rate', value: 'down', comment: '  slow  ' } as const;
    const { record } = run(STATES.ended, rate, ACTORS.visitor);
    expect(record.rating).toEqual({ value: 'down', comment: 'slow', at: NOW.toISOString() });
    const blank = run(STATES.ended, { ...rate, comment: '   ' }, ACTORS.visitor).record;
    expect(blank.rating).toEqual({ value: 'down', at: NOW.toISOString() });
    const longAgo = {
      ...STATES.ended,
      endedAt: new Date(NOW.getTime() - RATING_WINDOW_MS - 1).toISOString(),
    };
    expect(outcome(longAgo, rate, ACTORS.visitor)).toBe('!ended');
    const justInTime = {
      ...longAgo,
      endedAt: new Date(NOW.getTime() - RATING_WINDOW_MS).toISOString(),
    };
    expect(outcome(justInTime, rate, ACTORS.visitor)).toBe('rated');
  });

  it('previews only a visitor’s first message, never a helper’s', () => {
    const quiet = { ...STATES.assigned, firstMessage: undefined } as ConversationRecord;
    const { record, events } = run(quiet, COMMANDS.send, ACTORS.alex);
    expect(events.map((e) => e.type)).toEqual(['message-posted']);
    expect(record).toBe(quiet);
  });

  it('leaves the record alone for messages, read marks and resends', () => {
    for (const [command, actor] of [
      [COMMANDS.send, ACTORS.visitor],
      [COMMANDS.send, ACTORS.alex],
      [COMMANDS.markRead, ACTORS.alex],
      [{ ...COMMANDS.send, existing: 'visitor' }, ACTORS.visitor],
    ] as const) {
      expect(run(STATES.assigned, command, actor).record).toBe(STATES.assigned);
    }
  });

  it('does not trust a record that says more than the rules would have left', () => {
    // Each of these breaks one thing the rules keep true; each check holds on its own.
    const endedButFollowed = { ...STATES.granted, status: 'ended' } as ConversationRecord;
    expect(outcome(endedButFollowed, COMMANDS.followJoin, ACTORS.copy)).toBe('!forbidden');
    expect(outcome(endedButFollowed, COMMANDS.allow, ACTORS.visitor)).toBe('!conflict');
    const endedButAsked = { ...STATES.asked, status: 'ended' } as ConversationRecord;
    expect(outcome(endedButAsked, COMMANDS.allow, ACTORS.visitor)).toBe('!conflict');
    const grantOfSam = {
      ...STATES.granted,
      following: { ...following.following, helperId: 'sam', helperName: 'Sam' },
    } as ConversationRecord;
    expect(outcome(grantOfSam, COMMANDS.followJoin, ACTORS.copy)).toBe('!forbidden');
    const handedToSam = { ...STATES.following, helperId: 'sam', helperName: 'Sam' };
    expect(outcome(handedToSam, COMMANDS.followJoin, ACTORS.copy)).toBe('!forbidden');
    const controlOfSam = {
      ...STATES.granted,
      control: { state: 'granted', helperId: 'sam', helperName: 'Sam' },
    } as ConversationRecord;
    expect(outcome(controlOfSam, COMMANDS.controlChange, ACTORS.copy)).toBe('!forbidden');
    // Someone else's grant still open when Alex starts following: it is closed first.
    expect(outcome(grantOfSam, COMMANDS.followStart, ACTORS.alex)).toBe(
      'control-ended:helper-changed follow-stopped:helper-changed follow-started',
    );
  });

  it('lets a bug surface as an exception, never as a refusal', () => {
    const badUrl: Command = {
      type: 'control-change',
      change: { type: 'navigate', key: 'page', value: { url: 'not a url', title: '' } },
    };
    expect(() => decide(STATES.granted, badUrl, ACTORS.copy, NOW)).toThrow(TypeError);
  });
});
