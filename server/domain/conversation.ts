/**
 * The conversation core: every rule of a conversation, in one pure state machine.
 * `decide(record, command, actor, now)` answers what someone asked with events, or refuses
 * with a coded DeskError; `evolve(record, event)` folds an event into the record. No I/O, no
 * clock, no randomness: the desk passes `now` and ids in, then stores and publishes.
 *
 * The rules, in plain words:
 * 1. A conversation is `waiting` (in the queue), `assigned` (one helper answers it) or
 *    `ended`. Nothing comes back from `ended`, and nothing is written to it but read marks.
 * 2. The visitor may read their own conversation, write in it while it is open (messages,
 *    typing, the page they are on, changes on a followed page) and end it. They never learn
 *    anything about another conversation, not even whether it exists.
 * 3. Every helper may read a waiting conversation and accept it. Only the assigned helper may
 *    read an assigned one, write in it, end it, transfer it, and follow, point at, refresh
 *    or ask for control of the visitor's page. An ended one is read by its last helper only.
 * 4. A helper with the visitor's join code takes a waiting conversation at once; one that
 *    another helper answers only once they confirm the takeover. The assigned helper may
 *    transfer it to another available helper. The system assigns waiting conversations and
 *    puts back in the queue those whose helper has been gone longer than the grace period.
 *    A join code works until it runs out; the system then replaces it, and an old, expired or
 *    ended conversation's code finds nothing.
 * 5. Follow mode: "Follow page" opens a follow grant; copies of the page join with tokens
 *    bound to that grant. The visitor's page sends changes only while a grant is open; either
 *    side stops it.
 * 6. Control: the following helper asks, the visitor allows or denies, and takes it back at
 *    any time. While granted, that helper's copy may scroll, fill fields and navigate within
 *    the visitor's site; never to another origin.
 * 7. Any change of helper (takeover, transfer, requeue), an end, and the helper signing out
 *    or being removed close the follow grant — every copy and every unused token with it —
 *    and end control. Stopping follow mode ends control too: a new follow needs a new Allow.
 * 8. A conversation is asked for with the visitor's first message. One asked for while no
 *    helper was available is a *message*: it waits where every helper sees it and the system
 *    never hands it out; a helper accepts it to answer. The site may tell more about its
 *    visitor while the conversation is open.
 * 9. The visitor is online (a page shown), away (pages hidden, or no connection for a short
 *    while) or gone (no connection for longer). A waiting chat whose visitor has had no
 *    connection for longer than the queue's limit ends, by the system; messages never do.
 * 10. Once it has ended, the visitor may rate the conversation, for RATING_WINDOW_MS.
 * 11. The site's rules, resolved for the visitor's page and verified identity, say whether a
 *    helper may follow, mirror, point or take control, and set the priority. When the page or
 *    the visitor changes, the system applies them again; what they no longer allow ends at once.
 * 12. Mirror mode: the assigned helper asks to see the page; nothing of it is sent until the
 *    visitor shares it ("Share this page"), and then only by the visitor, naming that share.
 *    Either side stops it; rule 7's changes end it as they end follow mode. Pointing, refreshing
 *    and control need the helper to see the page (follow or mirror); control ends with the last
 *    view of the page its helper had.
 */
import type { ConversationStatus } from '../../protocol/domain.ts';
import type { Allowable } from '../../protocol/rules.ts';
import type {
  Actor,
  Command,
  ControlRecord,
  ConversationEvent,
  ConversationRecord,
  Following,
  HelperRef,
  StopReason,
} from './conversation-types.ts';
import { DeskError } from './desk-error.ts';
import { sameVisitor } from './returning-visitor.ts';
import { sameRules } from './rules.ts';

/** What the queue shows of the visitor's first message. */
export const FIRST_MESSAGE_PREVIEW = 200;

/** How long after the end a visitor may rate: the widget asks at once, so minutes are plenty. */
export const RATING_WINDOW_MS = 5 * 60_000;

export type Decision =
  | { ok: true; record: ConversationRecord; events: ConversationEvent[] }
  | { ok: false; error: DeskError };

/** The one place that decides who may do what to a conversation. */
export function decide(
  record: ConversationRecord,
  command: Command,
  actor: Actor,
  now: Date,
): Decision {
  try {
    const events = eventsFor(record, command, actor, now.toISOString());
    return { ok: true, record: fold(record, events), events };
  } catch (error) {
    if (error instanceof DeskError) return { ok: false, error };
    throw error;
  }
}

/** Applies events in order; the version goes up once when anything stored changed. */
export function fold(record: ConversationRecord, events: readonly ConversationEvent[]) {
  const next = events.reduce(evolve, record);
  return next === record ? record : { ...next, version: record.version + 1 };
}

/** Folds one event into the record. Events that change nothing stored return it unchanged. */
export function evolve(record: ConversationRecord, event: ConversationEvent): ConversationRecord {
  switch (event.type) {
    case 'assigned':
      return {
        ...record,
        status: 'assigned',
        helperId: event.helper.id,
        helperName: event.helper.name,
        assignedAt: event.at,
      };
    case 'requeued': {
      const { helperId: _h, helperName: _n, assignedAt: _a, ...rest } = record;
      return { ...rest, status: 'waiting' };
    }
    case 'join-code-renewed':
      return { ...record, joinCode: event.code, joinCodeExpiresAt: event.expiresAt };
    case 'ended':
      return { ...record, status: 'ended', endedAt: event.at, endedBy: event.by };
    case 'first-message':
      return { ...record, firstMessage: event.preview };
    case 'page-reported':
      return { ...record, currentPage: event.page };
    case 'answered':
      return { ...record, answeredAt: event.at };
    case 'visitor-identified':
      return { ...record, visitor: event.visitor };
    case 'presence-changed':
      return { ...record, presence: event.presence };
    case 'rated':
      return { ...record, rating: event.rating };
    case 'rules-applied':
      return { ...record, rules: event.rules, priority: event.rules.priority };
    case 'follow-started':
      return {
        ...record,
        followedOnce: true,
        following: {
          helperId: event.helper.id,
          helperName: event.helper.name,
          grantId: event.grantId,
          since: event.at,
        },
      };
    case 'follow-stopped': {
      const { following: _f, ...rest } = record;
      return rest;
    }
    case 'mirror-requested':
      return {
        ...record,
        mirror: {
          state: 'requested',
          helperId: event.helper.id,
          helperName: event.helper.name,
          mirrorId: event.mirrorId,
          since: event.at,
        },
      };
    case 'mirror-started':
      return record.mirror
        ? { ...record, mirroredOnce: true, mirror: { ...record.mirror, state: 'sharing' } }
        : record;
    case 'mirror-stopped': {
      const { mirror: _m, ...rest } = record;
      return rest;
    }
    case 'control-requested':
      return {
        ...record,
        control: { state: 'requested', helperId: event.helper.id, helperName: event.helper.name },
      };
    case 'control-granted':
      return record.control
        ? { ...record, control: { ...record.control, state: 'granted' } }
        : record;
    case 'control-denied':
      return record.control
        ? { ...record, control: { ...record.control, state: 'denied' } }
        : record;
    case 'control-ended': {
      const { control: _c, ...rest } = record;
      return rest;
    }
    case 'message-posted':
    case 'message-resent':
    case 'typing':
    case 'read-marked':
    case 'follow-joined':
    case 'page-changed':
    case 'control-applied':
    case 'pointed':
    case 'refreshed':
    case 'mirror-part':
    case 'mirror-snapshot-asked':
    case 'mirror-pointed':
    case 'mirror-control-applied':
      return record;
  }
}

/** A new conversation, waiting in the queue. */
export function newConversation(
  fields: Omit<ConversationRecord, 'version' | 'status'>,
): ConversationRecord {
  return { ...fields, version: 1, status: 'waiting' };
}

// The rules --------------------------------------------------------------------------------

function eventsFor(
  record: ConversationRecord,
  command: Command,
  actor: Actor,
  at: string,
): ConversationEvent[] {
  onlyOwn(actor, record.id);
  switch (command.type) {
    case 'assign': {
      onlySystem(actor);
      mustBe(record, 'waiting');
      if (record.kind === 'message') {
        throw new DeskError('conflict', 'a message waits for a helper to accept it');
      }
      return [{ type: 'assigned', helper: command.helper, how: 'auto', at }];
    }
    case 'accept': {
      const helper = asHelper(actor);
      if (record.status === 'ended') throw ended();
      if (record.helperId === helper.id) return [];
      if (record.status === 'assigned') {
        throw new DeskError('conflict', `${record.helperName ?? 'another helper'} has taken it`);
      }
      return [{ type: 'assigned', helper, how: 'accept', at }];
    }
    case 'join-by-code': {
      const helper = asHelper(actor);
      // An ended conversation's code, a replaced one and one out of time are as if they never
      // existed: a guesser learns nothing from them.
      if (record.status === 'ended' || record.joinCode !== command.code || codeExpired(record, at))
        throw new DeskError('not_found', 'no open conversation has that code');
      if (record.helperId === helper.id) return [];
      if (record.status === 'waiting') return [{ type: 'assigned', helper, how: 'code', at }];
      if (!command.takeOver) {
        throw new DeskError(
          'takeover_needed',
          `${record.helperName ?? 'another helper'} is answering this conversation; confirm to take it over`,
          {
            ...(record.helperName ? { helperName: record.helperName } : {}),
            ...(record.visitor.name ? { visitorName: record.visitor.name } : {}),
          },
        );
      }
      return changeOfHelper(record, helper, 'code', at);
    }
    case 'transfer': {
      const helper = assignedHelper(record, actor);
      mustBe(record, 'assigned');
      if (command.to.id === helper.id) {
        throw new DeskError('conflict', 'this conversation is already yours');
      }
      if (!command.to.available) {
        throw new DeskError('conflict', `${command.to.name} is not available`);
      }
      const { available: _a, ...to } = command.to;
      // The note is written while the conversation is still this helper's, then handed over.
      const handover = command.note
        ? [note(command.note.messageId, helper.name, command.note.text)]
        : [];
      return [...handover, ...changeOfHelper(record, to, 'transfer', at)];
    }
    case 'renew-join-code': {
      onlySystem(actor);
      if (record.status === 'ended') throw ended();
      return [{ type: 'join-code-renewed', code: command.code, expiresAt: command.expiresAt }];
    }
    case 'requeue': {
      onlySystem(actor);
      mustBe(record, 'assigned');
      return [
        ...stopViews(record, 'requeued', BOTH),
        { type: 'requeued', previousHelperId: record.helperId ?? '' },
      ];
    }
    case 'end': {
      if (actor.kind === 'helper') assignedHelper(record, actor);
      else if (actor.kind !== 'visitor' && actor.kind !== 'system') throw forbidden();
      if (record.status === 'ended') return [];
      return [
        ...stopViews(record, 'ended', BOTH),
        { type: 'ended', by: actor.kind, at, previousStatus: record.status },
      ];
    }
    case 'helper-gone': {
      onlySystem(actor);
      if (record.status === 'ended') return [];
      const events = stopViews(record, command.reason, {
        follow: record.following?.helperId === command.helperId,
        mirror: record.mirror?.helperId === command.helperId,
      });
      // A removed helper's conversations go back to the queue; one who signed out keeps
      // theirs for the grace period, like any helper whose connection dropped.
      if (command.reason === 'removed' && record.helperId === command.helperId) {
        events.push({ type: 'requeued', previousHelperId: command.helperId });
      }
      return events;
    }
    case 'send-message': {
      if (command.existing) {
        const author = writerOrEnded(record, actor);
        // Someone reused an id the other side already holds: refused, never misattributed.
        if (!sameAuthor({ from: command.existing }, author.kind)) throw idTaken();
        // Stored before, perhaps before the end: acknowledged again, delivered once.
        return [{ type: 'message-resent', messageId: command.messageId }];
      }
      const author = writer(record, actor);
      if (command.internal) {
        // Notes are the helpers' own: the visitor neither writes nor ever receives one.
        if (author.kind !== 'helper') throw forbidden();
        return [note(command.messageId, author.name, command.text)];
      }
      const events: ConversationEvent[] = [
        {
          type: 'message-posted',
          messageId: command.messageId,
          from: author.kind,
          authorName: author.name,
          text: command.text,
        },
      ];
      if (author.kind === 'visitor' && record.firstMessage === undefined) {
        events.push({
          type: 'first-message',
          preview: command.text.slice(0, FIRST_MESSAGE_PREVIEW),
        });
      }
      if (author.kind === 'helper' && record.answeredAt === undefined) {
        events.push({ type: 'answered', at });
      }
      return events;
    }
    case 'typing': {
      const author = writer(record, actor);
      return [{ type: 'typing', from: author.kind, typing: command.typing }];
    }
    case 'read-history': {
      reader(record, actor);
      return [];
    }
    case 'read-earlier': {
      // Only the helper answering the visitor now, and only that visitor's ended chats.
      assignedHelper(command.current, actor);
      mustBe(command.current, 'assigned');
      // Asked of the current conversation itself: may this helper look back at all.
      if (record.id === command.current.id) return [];
      if (record.status !== 'ended' || !sameVisitor(record, command.current)) throw forbidden();
      return [];
    }
    case 'mark-read': {
      const by = participant(record, actor);
      return [{ type: 'read-marked', by, upTo: command.upTo }];
    }
    case 'report-page': {
      if (actor.kind !== 'visitor') throw forbidden();
      writer(record, actor);
      return [{ type: 'page-reported', page: { url: command.url, title: command.title, at } }];
    }
    case 'follow-start': {
      const helper = assignedHelper(record, actor);
      mustBe(record, 'assigned');
      if (record.following?.helperId === helper.id) return [];
      allowedBySite(record, 'follow');
      return [
        ...stopViews(record, 'helper-changed', { follow: true, mirror: false }),
        { type: 'follow-started', helper, grantId: command.grantId, at },
      ];
    }
    case 'follow-stop': {
      // The visitor, or the helper who has (or last had) the conversation.
      const by = writerOrEnded(record, actor).kind;
      return stopViews(record, by, { follow: true, mirror: false });
    }
    case 'follow-join': {
      const { helperId, grantId } = currentGrantOf(record, actor);
      return [{ type: 'follow-joined', helperId, grantId }];
    }
    case 'page-change': {
      if (actor.kind !== 'visitor') throw forbidden();
      writer(record, actor);
      // Nothing about the page leaves the visitor's browser before they are told it does.
      if (!record.following) throw new DeskError('forbidden', 'this page is not being followed');
      return [
        {
          type: 'page-changed',
          grantId: record.following.grantId,
          change: { ...command.change, at },
        },
      ];
    }
    case 'mirror-request': {
      const helper = assignedHelper(record, actor);
      mustBe(record, 'assigned');
      if (record.mirror?.helperId === helper.id) return [];
      allowedBySite(record, 'mirror');
      return [
        ...stopViews(record, 'helper-changed', { follow: false, mirror: true }),
        { type: 'mirror-requested', helper, mirrorId: command.mirrorId, at },
      ];
    }
    case 'mirror-answer': {
      if (actor.kind !== 'visitor') throw forbidden();
      const mirror = record.mirror;
      if (!command.allow) {
        const events = stopViews(record, 'visitor', { follow: false, mirror: true });
        // A browser that cannot record answers for its visitor: the helper is told why.
        return command.unsupported ? events.map(unsupportedDecline) : events;
      }
      writer(record, actor);
      if (mirror?.state !== 'requested') {
        throw new DeskError('conflict', 'no one is asking to see this page');
      }
      return [{ type: 'mirror-started', helperId: mirror.helperId, mirrorId: mirror.mirrorId }];
    }
    case 'mirror-stop': {
      // The visitor, or the helper who has (or last had) the conversation.
      const by = writerOrEnded(record, actor).kind;
      return stopViews(record, by, { follow: false, mirror: true });
    }
    case 'mirror-part': {
      if (actor.kind !== 'visitor') throw forbidden();
      writer(record, actor);
      const mirror = record.mirror;
      // A batch of a share that has ended, or of an earlier one, reaches no one.
      if (mirror?.state !== 'sharing' || mirror.mirrorId !== command.part.mirrorId) {
        throw new DeskError('forbidden', 'this page is not being shared');
      }
      return [{ type: 'mirror-part', helperId: mirror.helperId, part: command.part }];
    }
    case 'mirror-open': {
      mirroringHelper(record, actor);
      return command.kept ? [] : [{ type: 'mirror-snapshot-asked' }];
    }
    case 'mirror-fetch': {
      mirroringHelper(record, actor);
      return [];
    }
    case 'mirror-point': {
      mirroringHelper(record, actor);
      allowedBySite(record, 'point');
      return [{ type: 'mirror-pointed', nodeId: command.nodeId }];
    }
    case 'mirror-control': {
      const helper = mirroringHelper(record, actor);
      if (record.control?.state !== 'granted' || record.control.helperId !== helper.id) {
        throw new DeskError('forbidden', 'the visitor has not given you control');
      }
      return [{ type: 'mirror-control-applied', action: command.action }];
    }
    case 'control-request': {
      const helper = seeingHelper(record, actor);
      allowedBySite(record, 'control');
      if (record.control?.state === 'granted' || record.control?.state === 'requested') {
        return [];
      }
      return [{ type: 'control-requested', helper }];
    }
    case 'control-answer': {
      if (actor.kind !== 'visitor') throw forbidden();
      participant(record, actor);
      const control = record.control;
      if (command.allow) {
        if (
          control?.state !== 'requested' ||
          !sees(record, control.helperId) ||
          record.status !== 'assigned'
        ) {
          throw new DeskError('conflict', 'no one is asking for control');
        }
        return [{ type: 'control-granted', helperId: control.helperId }];
      }
      if (!control) return [];
      // Refusing a request says so; taking control back simply ends it.
      return control.state === 'requested'
        ? [{ type: 'control-denied', helperId: control.helperId }]
        : [controlEnded(control, 'visitor')];
    }
    case 'control-change': {
      currentGrantOf(record, actor);
      const control = record.control;
      if (control?.state !== 'granted' || control.helperId !== record.helperId) {
        throw new DeskError('forbidden', 'the visitor has not given you control');
      }
      const change = command.change;
      if (change.type === 'navigate' && record.currentPage) {
        // Never to another site: only within the origin the visitor is on.
        if (new URL(change.value.url).origin !== new URL(record.currentPage.url).origin) {
          throw new DeskError('forbidden', "control never leaves the visitor's site");
        }
      }
      return [{ type: 'control-applied', change }];
    }
    case 'point': {
      seeingHelper(record, actor);
      allowedBySite(record, 'point');
      return [{ type: 'pointed', path: command.path }];
    }
    case 'refresh': {
      seeingHelper(record, actor);
      return [{ type: 'refreshed' }];
    }
    case 'identify': {
      if (actor.kind !== 'visitor') throw forbidden();
      writer(record, actor);
      const visitor = { ...record.visitor, ...command.visitor };
      const custom = { ...record.visitor.custom, ...command.visitor.custom };
      if (Object.keys(custom).length > 0) visitor.custom = custom;
      return JSON.stringify(visitor) === JSON.stringify(record.visitor)
        ? []
        : [{ type: 'visitor-identified', visitor }];
    }
    case 'presence': {
      onlySystem(actor);
      if (record.status === 'ended') return [];
      const state = command.connected && command.visible ? 'online' : 'away';
      const now = record.presence;
      if (now?.state === state && now.connected === command.connected) return [];
      return [
        { type: 'presence-changed', presence: { state, connected: command.connected, since: at } },
      ];
    }
    case 'visitor-timeout': {
      onlySystem(actor);
      const presence = record.presence;
      if (record.status === 'ended' || !presence || presence.connected) return [];
      const away = Date.parse(at) - Date.parse(presence.since);
      if (
        record.status === 'waiting' &&
        record.kind !== 'message' &&
        away >= command.leaveQueueAfterMs
      ) {
        return [{ type: 'ended', by: 'system', at, previousStatus: record.status }];
      }
      if (presence.state === 'gone' || away < command.goneAfterMs) return [];
      // `since` stays: the queue's limit counts from when the last connection closed.
      return [{ type: 'presence-changed', presence: { ...presence, state: 'gone' } }];
    }
    case 'apply-rules': {
      onlySystem(actor);
      if (record.status === 'ended' || sameRules(record.rules, command.rules)) return [];
      const { allow } = command.rules;
      // What the rules no longer allow ends now, on every page and copy.
      const events = stopViews(record, 'not-allowed', {
        follow: !allow.follow,
        mirror: !allow.mirror,
        control: !allow.control,
      });
      return [...events, { type: 'rules-applied', rules: command.rules }];
    }
    case 'rate': {
      if (actor.kind !== 'visitor') throw forbidden();
      if (record.status !== 'ended' || !record.endedAt) {
        throw new DeskError('conflict', 'a chat is rated once it has ended');
      }
      if (Date.parse(at) - Date.parse(record.endedAt) > RATING_WINDOW_MS) {
        throw new DeskError('ended', 'this chat ended too long ago to rate');
      }
      const rating = {
        value: command.value,
        ...(command.comment?.trim() ? { comment: command.comment.trim() } : {}),
        at,
      };
      return [{ type: 'rated', rating }];
    }
  }
}

/** An internal note by a helper: stored in the transcript, for helpers' eyes only. */
function note(messageId: string, authorName: string, text: string): ConversationEvent {
  return { type: 'message-posted', messageId, from: 'helper', authorName, text, internal: true };
}

/** Takeover and transfer: the former helper's grant and control end with the change. */
function changeOfHelper(
  record: ConversationRecord,
  to: HelperRef,
  how: 'code' | 'transfer',
  at: string,
): ConversationEvent[] {
  return [
    ...stopViews(record, 'helper-changed', BOTH),
    {
      type: 'assigned',
      helper: to,
      how,
      at,
      ...(record.helperId ? { previousHelperId: record.helperId } : {}),
    },
  ];
}

const BOTH = { follow: true, mirror: true } as const;

/**
 * Ends follow mode (closing its grant) and/or mirror mode, and control with them unless its
 * helper still sees the page another way; `control: true` ends control whatever remains. A
 * share the visitor had not answered yet was declined, not stopped.
 */
function stopViews(
  record: ConversationRecord,
  reason: StopReason,
  which: { follow: boolean; mirror: boolean; control?: boolean },
): ConversationEvent[] {
  const events: ConversationEvent[] = [];
  const following = which.follow ? record.following : undefined;
  const mirror = which.mirror ? record.mirror : undefined;
  const control = record.control;
  if (control) {
    const keepsFollow = !following && record.following?.helperId === control.helperId;
    const keepsMirror =
      !mirror && record.mirror?.state === 'sharing' && record.mirror.helperId === control.helperId;
    if (which.control || (!keepsFollow && !keepsMirror)) {
      // Control never outlives the helper's view of the page.
      events.push(controlEnded(control, reason));
    }
  }
  if (following) {
    events.push({
      type: 'follow-stopped',
      helperId: following.helperId,
      grantId: following.grantId,
      reason,
    });
  }
  if (mirror) {
    events.push({
      type: 'mirror-stopped',
      helperId: mirror.helperId,
      mirrorId: mirror.mirrorId,
      reason: reason === 'visitor' && mirror.state === 'requested' ? 'declined' : reason,
    });
  }
  return events;
}

/** A share declined by a browser that cannot record it, rather than by the visitor. */
function unsupportedDecline(event: ConversationEvent): ConversationEvent {
  return event.type === 'mirror-stopped' && event.reason === 'declined'
    ? { ...event, reason: 'unsupported' }
    : event;
}

function controlEnded(control: ControlRecord, reason: StopReason): ConversationEvent {
  return { type: 'control-ended', helperId: control.helperId, reason };
}

// Who the actor is, for this record -------------------------------------------------------

/** Whether the join code has run out by `at` (ISO times compare as text). */
export function codeExpired(record: ConversationRecord, at: string): boolean {
  return record.joinCodeExpiresAt !== undefined && record.joinCodeExpiresAt <= at;
}

/** A visitor learns nothing about other conversations, not even whether they exist. */
export function onlyOwn(actor: Actor, conversationId: string): void {
  if (actor.kind === 'visitor' && actor.conversationId !== conversationId) {
    throw new DeskError('forbidden', 'this is not your conversation');
  }
}

/** The site's rules for this page and visitor allow it (records from before rules: all). */
function allowedBySite(record: ConversationRecord, what: Allowable): void {
  if (record.rules && !record.rules.allow[what]) {
    throw new DeskError('forbidden', `the site does not allow ${what} on this page`);
  }
}

function onlySystem(actor: Actor): void {
  if (actor.kind !== 'system') throw forbidden();
}

function asHelper(actor: Actor): HelperRef {
  if (actor.kind !== 'helper') throw forbidden();
  return { id: actor.helperId, name: actor.name };
}

/** The helper the conversation is assigned to (or, once ended, was last assigned to). */
function assignedHelper(record: ConversationRecord, actor: Actor): HelperRef {
  const helper = asHelper(actor);
  if (record.helperId !== helper.id) {
    throw new DeskError(
      'forbidden',
      record.status === 'waiting'
        ? 'accept this conversation first'
        : 'this conversation is not assigned to you',
    );
  }
  return helper;
}

/** Whether this helper sees the visitor's page now: following it, or shown it. */
function sees(record: ConversationRecord, helperId: string): boolean {
  return (
    record.following?.helperId === helperId ||
    (record.mirror?.state === 'sharing' && record.mirror.helperId === helperId)
  );
}

/** The assigned helper of an open conversation who sees the visitor's page now. */
function seeingHelper(record: ConversationRecord, actor: Actor): HelperRef {
  const helper = assignedHelper(record, actor);
  mustBe(record, 'assigned');
  if (!sees(record, helper.id)) {
    throw new DeskError('forbidden', 'follow or mirror the page first');
  }
  return helper;
}

/** The assigned helper of an open conversation whose page the visitor shares with them. */
function mirroringHelper(record: ConversationRecord, actor: Actor): HelperRef {
  const helper = seeingHelper(record, actor);
  if (record.mirror?.state !== 'sharing' || record.mirror.helperId !== helper.id) {
    throw new DeskError('forbidden', 'this page is not being shared with you');
  }
  return helper;
}

/** A copy of the page acts only while its grant is the open one of the assigned helper. */
function currentGrantOf(record: ConversationRecord, actor: Actor): Following {
  if (actor.kind !== 'follower') throw forbidden();
  const following = record.following;
  if (
    record.status !== 'assigned' ||
    !following ||
    following.grantId !== actor.grantId ||
    following.helperId !== actor.helperId ||
    record.helperId !== actor.helperId
  ) {
    throw new DeskError('forbidden', 'follow mode has ended for this copy of the page');
  }
  return following;
}

type Author = { kind: 'visitor' | 'helper'; name: string };

/** Messages, typing and page reports: the visitor or the assigned helper, while open. */
function writer(record: ConversationRecord, actor: Actor): Author {
  const author = writerOrEnded(record, actor);
  if (record.status === 'ended') throw ended();
  return author;
}

function writerOrEnded(record: ConversationRecord, actor: Actor): Author {
  // The name the site gave last: identify() may come after the socket connected.
  if (actor.kind === 'visitor') return { kind: 'visitor', name: record.visitor.name || actor.name };
  const helper = assignedHelper(record, actor);
  return { kind: 'helper', name: helper.name };
}

/** Read marks: those in the conversation, ended or not. */
function participant(record: ConversationRecord, actor: Actor): 'visitor' | 'helper' {
  return writerOrEnded(record, actor).kind;
}

/** History: the visitor, the assigned (or last) helper, and any helper while it waits. */
function reader(record: ConversationRecord, actor: Actor): void {
  if (actor.kind === 'helper' && record.status === 'waiting') return;
  writerOrEnded(record, actor);
}

function mustBe(record: ConversationRecord, status: ConversationStatus): void {
  if (record.status === status) return;
  if (record.status === 'ended') throw ended();
  throw new DeskError(
    'conflict',
    status === 'waiting'
      ? 'this conversation is no longer waiting'
      : 'this conversation is not assigned',
  );
}

/** Whether a stored message was written by this side: ids are never shared across sides. */
export function sameAuthor(message: { from: 'visitor' | 'helper' }, author: 'visitor' | 'helper') {
  return message.from === author;
}

function idTaken(): DeskError {
  return new DeskError('conflict', 'that message id is already used in this conversation');
}

function ended(): DeskError {
  return new DeskError('ended', 'this conversation has ended');
}

function forbidden(): DeskError {
  return new DeskError('forbidden', 'you may not do that in this conversation');
}
