/**
 * The help desk: the application service between the adapters (HTTP, Socket.IO) and the
 * conversation core. Every command runs the same way: load the record, `decide`, store it
 * with a version check (deciding again when someone else changed it first), store what the
 * events carry (messages, read marks, the page's latest state), then tell the listeners.
 * Commands that move conversations between helpers run one at a time, so two requests
 * arriving together cannot both take a helper's last free slot. Timers are deadlines that
 * `sweep()` turns into commands: a helper gone past the grace period, a helper removed.
 */
import type { StoredChange } from '../../protocol/cobrowse.ts';
import type {
  CannedReply,
  DeskStatus,
  EarlierConversation,
  HelperStatus,
  Message,
  VisitorInfo,
} from '../../protocol/domain.ts';
import { LIMITS, MIRROR_LIMITS } from '../../protocol/limits.ts';
import type { KeptMirrorPart } from '../../protocol/mirror.ts';
import type { RulesFile } from '../../protocol/rules.ts';
import type {
  AvailabilityPayload,
  CannedSavePayload,
  HelpRequestBody,
  RatingBody,
  VisitorClaim,
} from '../../protocol/schemas.ts';
import { helperLoads, pickHelper, planAssignments, queueOrder } from '../domain/assignment.ts';
import {
  codeExpired,
  decide,
  newConversation,
  onlyOwn,
  sameAuthor,
} from '../domain/conversation.ts';
import type {
  Actor,
  Command,
  ConversationEvent,
  ConversationRecord,
  FollowerActor,
  HelperActor,
  HelperRef,
} from '../domain/conversation-types.ts';
import { DeskError } from '../domain/desk-error.ts';
import type { HelperAccount } from '../domain/helper-types.ts';
import { visitorKeys } from '../domain/returning-visitor.ts';
import { resolveRules, sameRules } from '../domain/rules.ts';
import { parseUserAgent } from '../domain/user-agent.ts';
import { visibleMessages } from '../domain/views.ts';
import { userHashMatches } from '../identity.ts';
import { SerialQueue } from '../serial-queue.ts';
import type { LiveState, MirrorKeep } from '../store/live-state.ts';
import { StaleVersionError, type Store, StoreConflictError } from '../store/store.ts';
import { hashToken, newId, newJoinCode, newToken } from './secrets.ts';

/** One command's outcome, as the listeners hear it. */
export interface Applied {
  record: ConversationRecord;
  /** The record before; absent for a new conversation. */
  previous?: ConversationRecord;
  events: ConversationEvent[];
  /** The stored message, for `send-message`. */
  message?: { message: Message; duplicate: boolean };
  /** What keeping a piece of a mirror recording did, for `mirror-part`. */
  mirrorKept?: MirrorKeep;
}

export type DeskNews =
  | { kind: 'applied'; applied: Applied }
  /** Availability, capacity or presence changed: helpers' status and visitors' honesty. */
  | { kind: 'helpers'; helperIds: string[] }
  /** A helper's account is gone: every socket of theirs must close. */
  | { kind: 'helper-removed'; helperId: string };

export interface HelpDeskOptions {
  /** How long a helper may be disconnected before their conversations are re-queued. */
  graceMs: number;
  /** How long a follow token may wait to be spent. */
  followTokenTtlMs: number;
  /** How long a join code works before a new one replaces it. */
  joinCodeTtlMs: number;
  /** How long a visitor may have no connection before helpers see them as gone. */
  visitorGoneMs: number;
  /** How long a waiting chat keeps its place once its visitor has no connection. */
  waitingVisitorTimeoutMs: number;
  /** The site owner's rules (`help-rules.json`); none: everything allowed, priority 0. */
  rules?: RulesFile;
  /** Proves user ids (`identify({userId, userHash})`); without it no id is verified. */
  identitySecret?: string | undefined;
  now?: () => Date;
}

const CAS_ATTEMPTS = 20;
/** A returning visitor's earlier conversations listed for their helper: the latest ones. */
const EARLIER_SHOWN = 10;

function earlierView(record: ConversationRecord): EarlierConversation {
  return {
    id: record.id,
    kind: record.kind ?? 'chat',
    createdAt: record.createdAt,
    endedAt: record.endedAt ?? record.createdAt,
    ...(record.endedBy ? { endedBy: record.endedBy } : {}),
    ...(record.helperName ? { helperName: record.helperName } : {}),
    pageTitle: record.details.pageTitle,
    pageUrl: record.details.pageUrl,
    ...(record.firstMessage !== undefined ? { firstMessage: record.firstMessage } : {}),
    ...(record.rating ? { rating: record.rating } : {}),
  };
}

export class HelpDesk {
  readonly #store: Store;
  readonly #live: LiveState;
  readonly #serial = new SerialQueue();
  readonly #listeners = new Set<(news: DeskNews) => void>();
  readonly #options: HelpDeskOptions;
  readonly #now: () => Date;
  /** Helpers nobody has seen since this process started count as offline from then. */
  readonly #startedAt: number;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(store: Store, live: LiveState, options: HelpDeskOptions) {
    this.#store = store;
    this.#live = live;
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#startedAt = this.#now().getTime();
  }

  onNews(listener: (news: DeskNews) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts the sweep that turns deadlines into commands. */
  start(): void {
    // Often enough that a grace period ends on time, rarely enough to cost nothing.
    const every = Math.min(1000, Math.max(20, this.#options.graceMs / 4));
    // One sweep per interval whatever the number of processes: the first to take the turn
    // sweeps; if it dies, another takes the next one. Every sweep reads all open
    // conversations, so N processes sweeping would cost N times as much for nothing.
    const turn = { burst: 1, perSecond: 1000 / every };
    let sweeping = false;
    this.#sweeper = setInterval(() => {
      // A sweep slower than the interval (many open conversations) is not piled on.
      if (sweeping) return;
      sweeping = true;
      this.#live
        .takeToken('desk-sweep', turn)
        .then((answer) => (answer.ok ? this.sweep() : undefined))
        .catch((error: unknown) => console.error('the desk sweep failed', error))
        .finally(() => {
          sweeping = false;
        });
    }, every);
    this.#sweeper.unref();
  }

  stop(): void {
    clearInterval(this.#sweeper);
    this.#listeners.clear();
  }

  // Visitors ------------------------------------------------------------------------------

  /**
   * Creates a conversation with the visitor's first message; a helper with room takes a chat
   * at once, in the same write. A message left while no one was available waits for a helper
   * to accept it. Resolves once the conversation and its first message are stored.
   */
  requestHelp(body: HelpRequestBody): Promise<{ record: ConversationRecord; token: string }> {
    return this.#serial.run(async () => {
      const token = newToken();
      const { clientHints, visitor: claim, message, kind, visitorKey, ...page } = body;
      const visitor = this.#checkIdentity(claim ?? {});
      const createdAt = this.#now().toISOString();
      const rules = resolveRules(this.#options.rules ?? NO_RULES_FILE, {
        url: page.pageUrl,
        verifiedUserId: visitor.verified ? visitor.userId : undefined,
      });
      let record = newConversation({
        id: newId(),
        ...(kind === 'message' ? { kind } : {}),
        priority: rules.priority,
        rules,
        joinCode: await this.#freeJoinCode(),
        joinCodeExpiresAt: this.#codeExpiry(),
        visitorTokenHash: hashToken(token),
        details: {
          ...page,
          ...(clientHints ? { clientHints } : {}),
          agent: parseUserAgent(body.userAgent, clientHints),
        },
        visitor,
        ...(visitorKey ? { visitorKey } : {}),
        // The visitor asked from a live page: the clock for "gone" runs until a socket connects.
        presence: { state: 'online', connected: false, since: createdAt },
        createdAt,
      });
      const open = await this.#store.listOpenConversations();
      const nobodyWaiting = queueOrder(open).length === 0;
      const chosen =
        nobodyWaiting && kind === 'chat' ? pickHelper(await this.#loads(open)) : undefined;
      let events: ConversationEvent[] = [];
      if (chosen) {
        const assign = { type: 'assign', helper: chosen.helper } as const;
        const decision = decide(record, assign, SYSTEM, this.#now());
        // Created assigned, in one write: still the first version.
        if (decision.ok) {
          record = { ...decision.record, version: 1 };
          events = decision.events;
        }
      }
      await this.#store.createConversation(record);
      let created: Applied = { record, events };
      if (message) {
        // Stored before anyone hears of the conversation: helpers see it with its message.
        const actor = { kind: 'visitor', conversationId: record.id, name: 'Visitor' } as const;
        const send = { type: 'send-message', messageId: message.id, text: message.text } as const;
        const { previous: _stored, ...sent } = await this.#decideAndStore(record.id, send, actor);
        created = { ...sent, events: [...events, ...sent.events] };
      }
      this.#tell({ kind: 'applied', applied: created });
      if (!chosen && kind === 'chat') await this.#drain();
      return { record: (await this.#store.getConversation(record.id)) ?? record, token };
    });
  }

  /** What the widget shows before anyone asks: whether someone is there, and the usual wait. */
  async deskStatus(): Promise<DeskStatus> {
    const [helpersAvailable, waits] = await Promise.all([
      this.anyHelperAvailable(),
      this.#live.recentWaits(),
    ]);
    const median = [...waits].sort((a, b) => a - b)[Math.floor(waits.length / 2)];
    return {
      helpersAvailable,
      ...(median === undefined
        ? {}
        : { usualWaitMinutes: Math.max(1, Math.ceil(median / 60_000)) }),
    };
  }

  /** `identify()` after the chat started: what the site says about its visitor now. */
  async identify(actor: Actor, conversationId: string, claim: VisitorClaim): Promise<Applied> {
    const visitor = this.#checkIdentity(claim);
    const applied = await this.#apply(conversationId, { type: 'identify', visitor }, actor);
    await this.#reapplyRules(applied);
    return applied;
  }

  /** The visitor as stored: a user id is verified by its hash, and the hash is not kept. */
  #checkIdentity({ userHash, ...claim }: VisitorClaim): VisitorInfo {
    if (claim.userId === undefined) return claim;
    const secret = this.#options.identitySecret;
    const verified = !!secret && !!userHash && userHashMatches(secret, claim.userId, userHash);
    return { ...claim, verified };
  }

  /** The page or the visitor changed: the rules may now say something else. */
  async #reapplyRules({ record, events }: Applied): Promise<void> {
    if (!this.#options.rules || record.status === 'ended') return;
    let url: string | undefined;
    for (const e of events) {
      if (e.type === 'visitor-identified' || e.type === 'page-reported') {
        url ??= record.currentPage?.url ?? record.details.pageUrl;
      } else if (e.type === 'page-changed' && e.change.type === 'navigate') {
        // A single-page app's route: the widget reports the page itself only on (re)connect.
        url = e.change.value.url;
      }
    }
    if (url === undefined) return;
    const rules = resolveRules(this.#options.rules, {
      url,
      verifiedUserId: record.visitor.verified ? record.visitor.userId : undefined,
    });
    if (sameRules(record.rules, rules)) return;
    // A new priority moves the queue: one at a time, like every other move.
    await this.#serial.run(() => this.#tryApply(record.id, { type: 'apply-rules', rules }, SYSTEM));
  }

  /** The visitor's connections changed: counted by the caller across every process. */
  /** This process holds sockets of these conversations' visitors until `until` (a lease). */
  holdVisitors(conversationIds: readonly string[], until: number): Promise<void> {
    return this.#live.holdVisitors(conversationIds, until);
  }

  presence(conversationId: string, connected: boolean, visible: boolean): Promise<void> {
    return this.#tryApply(conversationId, { type: 'presence', connected, visible }, SYSTEM).then(
      () => undefined,
    );
  }

  /** The visitor rates their ended chat; the token is their only credential. */
  async rate(token: string, rating: RatingBody): Promise<Applied> {
    const found = await this.visitorFor(token);
    if (!found) throw new DeskError('unauthorized', 'unknown visitor token');
    return this.#apply(found.record.id, { type: 'rate', ...rating }, found.actor);
  }

  /** The visitor a token belongs to, for the `/visitor` handshake. */
  async visitorFor(
    token: string,
  ): Promise<{ actor: Actor & { kind: 'visitor' }; record: ConversationRecord } | undefined> {
    const record = await this.#store.findConversationByTokenHash(hashToken(token));
    if (!record) return undefined;
    return {
      record,
      actor: { kind: 'visitor', conversationId: record.id, name: record.visitor.name || 'Visitor' },
    };
  }

  // Any actor -------------------------------------------------------------------------------

  /** Runs one command against one conversation. */
  async run(conversationId: string, command: Command, actor: Actor): Promise<Applied> {
    const applied = await (MOVES_HELPERS.has(command.type)
      ? this.#serial.run(async () => {
          const applied = await this.#apply(conversationId, command, actor);
          if (freesSlot(applied)) await this.#drain();
          return applied;
        })
      : this.#apply(conversationId, command, actor));
    await this.#reapplyRules(applied);
    return applied;
  }

  /** Stores a message once per id and resolves when it is durable. */
  async sendMessage(
    actor: Actor,
    conversationId: string,
    message: { id: string; text: string; internal?: boolean | undefined },
  ): Promise<{ message: Message; duplicate: boolean }> {
    const applied = await this.#apply(
      conversationId,
      {
        type: 'send-message',
        messageId: message.id,
        text: message.text,
        existing: await this.#existingAuthor(actor, conversationId, message.id),
        internal: message.internal,
      },
      actor,
    );
    if (!applied.message) throw new Error('a sent message was not stored');
    return applied.message;
  }

  async history(actor: Actor, conversationId: string, after?: string): Promise<Message[]> {
    await this.#apply(conversationId, { type: 'read-history' }, actor);
    return visibleMessages(actor, await this.#store.listMessages(conversationId, after));
  }

  /** A helper types the code the visitor reads out. */
  joinByCode(helper: HelperActor, code: string, takeOver: boolean): Promise<Applied> {
    return this.#serial.run(async () => {
      const record = await this.#store.findOpenConversationByJoinCode(code);
      if (!record) throw new DeskError('not_found', 'no open conversation has that code');
      return this.#apply(record.id, { type: 'join-by-code', code, takeOver }, helper);
    });
  }

  // A returning visitor ------------------------------------------------------------------

  /**
   * The earlier (ended) conversations of the visitor in `conversationId`, for the helper
   * answering it: by the widget's key for their browser, or their verified user id.
   */
  async earlierConversations(
    helper: HelperActor,
    conversationId: string,
  ): Promise<EarlierConversation[]> {
    const current = await this.#store.getConversation(conversationId);
    if (!current) throw new DeskError('not_found', 'no such conversation');
    const read = { type: 'read-earlier', current } as const;
    // Asked of the conversation itself first: a helper who is not answering it learns nothing.
    const allowed = decide(current, read, helper, this.#now());
    if (!allowed.ok) throw allowed.error;
    const keys = visitorKeys(current);
    if (keys.length === 0) return [];
    const found = await this.#store.listVisitorEndedConversations(keys, EARLIER_SHOWN + 1);
    return found
      .filter((r) => r.id !== current.id && decide(r, read, helper, this.#now()).ok)
      .slice(0, EARLIER_SHOWN)
      .map(earlierView);
  }

  /** The messages of one of them, internal notes included: the reader is a helper. */
  async earlierMessages(
    helper: HelperActor,
    conversationId: string,
    earlierId: string,
  ): Promise<Message[]> {
    const [current, earlier] = await Promise.all([
      this.#store.getConversation(conversationId),
      this.#store.getConversation(earlierId),
    ]);
    if (!current || !earlier) throw new DeskError('not_found', 'no such conversation');
    const decision = decide(earlier, { type: 'read-earlier', current }, helper, this.#now());
    if (!decision.ok) throw decision.error;
    return this.#store.listMessages(earlierId, undefined, LIMITS.historyPage);
  }

  // Canned replies ------------------------------------------------------------------------

  cannedReplies(): Promise<CannedReply[]> {
    return this.#store.listCannedReplies();
  }

  /** Adds (no id) or changes one; a shortcut another reply has is refused, whatever its case. */
  saveCannedReply(helper: HelperActor, payload: CannedSavePayload): Promise<CannedReply> {
    return this.#serial.run(async () => {
      const replies = await this.#store.listCannedReplies();
      if (payload.id && !replies.some((r) => r.id === payload.id)) {
        throw new DeskError('not_found', 'that canned reply was deleted');
      }
      if (!payload.id && replies.length >= LIMITS.cannedReplies) {
        throw new DeskError('conflict', `a desk keeps at most ${LIMITS.cannedReplies} replies`);
      }
      const reply: CannedReply = {
        id: payload.id ?? newId(),
        shortcut: payload.shortcut,
        text: payload.text,
        updatedBy: helper.name,
        updatedAt: this.#now().toISOString(),
      };
      try {
        await this.#store.putCannedReply(reply);
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
        throw new DeskError('conflict', `another reply already uses /${payload.shortcut}`);
      }
      return reply;
    });
  }

  async deleteCannedReply(id: string): Promise<void> {
    if (!(await this.#store.deleteCannedReply(id))) {
      throw new DeskError('not_found', 'that canned reply was deleted already');
    }
  }

  /** Who a transfer could go to now: every other helper connected and available. */
  async colleagues(helperId: string): Promise<{ name: string }[]> {
    const connected = await this.#live.connectedHelpers();
    const others = (await this.#store.listHelpers()).filter(
      (h) => h.id !== helperId && connected.has(h.id),
    );
    const prefs = await Promise.all(others.map((h) => this.#store.getHelperPrefs(h.id)));
    return others
      .filter((_h, i) => prefs[i]?.availability === 'available')
      .map((h) => ({ name: h.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The assigned helper hands the conversation to another helper, by name. */
  transfer(
    helper: HelperActor,
    conversationId: string,
    toName: string,
    note?: string | undefined,
  ): Promise<Applied> {
    return this.#serial.run(async () => {
      const to = await this.#store.findHelperByName(toName);
      if (!to) throw new DeskError('not_found', `there is no helper named ${toName}`);
      const [connected, prefs] = await Promise.all([
        this.#live.connectedHelpers(),
        this.#store.getHelperPrefs(to.id),
      ]);
      const available = connected.has(to.id) && prefs.availability === 'available';
      return this.#apply(
        conversationId,
        {
          type: 'transfer',
          to: { id: to.id, name: to.name, available },
          note: note ? { messageId: newId(), text: note } : undefined,
        },
        helper,
      );
    });
  }

  // Follow mode ---------------------------------------------------------------------------

  /** "Follow page": opens (or keeps) the follow grant and issues a token for one copy. */
  async startFollowing(helper: HelperActor, conversationId: string) {
    const { record } = await this.#apply(
      conversationId,
      { type: 'follow-start', grantId: newId() },
      helper,
    );
    const grantId = record.following?.grantId;
    if (!grantId) throw new Error('follow-start left no grant');
    const token = newToken();
    const ttl = this.#options.followTokenTtlMs;
    await this.#live.putFollowToken(
      hashToken(token),
      { conversationId, helperId: helper.helperId, grantId },
      ttl,
    );
    return {
      conversationId,
      token,
      expiresAt: new Date(this.#now().getTime() + ttl).toISOString(),
      state: await this.#live.getChanges(conversationId),
    };
  }

  /** Spends a follow token: the copy's actor, or undefined for a used, late or void token. */
  async joinFollow(
    token: string,
  ): Promise<{ actor: FollowerActor; record: ConversationRecord } | undefined> {
    const grant = await this.#live.takeFollowToken(hashToken(token));
    if (!grant) return undefined;
    const actor: FollowerActor = {
      kind: 'follower',
      helperId: grant.helperId,
      grantId: grant.grantId,
    };
    try {
      const { record } = await this.#apply(grant.conversationId, { type: 'follow-join' }, actor);
      return { actor, record };
    } catch (error) {
      if (error instanceof DeskError) return undefined;
      throw error;
    }
  }

  // Mirror mode -----------------------------------------------------------------------------

  /** "Mirror page": asks the visitor to share the page (a repeat keeps the request made). */
  requestMirror(helper: HelperActor, conversationId: string): Promise<Applied> {
    return this.run(conversationId, { type: 'mirror-request', mirrorId: newId() }, helper);
  }

  /**
   * A piece of the visitor's recording: kept for a helper who opens late, then relayed.
   * Answers whether the page should send a fresh snapshot.
   */
  async mirrorPart(
    actor: Actor,
    conversationId: string,
    part: KeptMirrorPart,
  ): Promise<{ snapshot: boolean }> {
    const { mirrorKept } = await this.#apply(conversationId, { type: 'mirror-part', part }, actor);
    return { snapshot: mirrorKept === 'snapshot-needed' };
  }

  /** The helper's replay opens: what is kept, and a fresh snapshot asked for if nothing is. */
  async openMirror(helper: HelperActor, conversationId: string) {
    const parts = await this.#live.getMirror(conversationId);
    await this.#apply(conversationId, { type: 'mirror-open', kept: parts.length > 0 }, helper);
    return { parts };
  }

  /** Whether the page is shared with this helper now, for one of its assets; refuses if not. */
  async checkMirrorFetch(helper: HelperActor, conversationId: string): Promise<void> {
    await this.#apply(conversationId, { type: 'mirror-fetch' }, helper);
  }

  /** The page's latest value per key, for a copy that joins. */
  followState(conversationId: string): Promise<StoredChange[]> {
    return this.#live.getChanges(conversationId);
  }

  // Helpers -------------------------------------------------------------------------------

  /** A helper's socket connected; the queue may now have someone to go to. */
  async helperConnected(helperId: string, connectionId: string): Promise<void> {
    await this.#live.helperConnected(helperId, connectionId);
    this.#tell({ kind: 'helpers', helperIds: [helperId] });
    await this.#serial.run(() => this.#drain());
  }

  async helperDisconnected(helperId: string, connectionId: string): Promise<void> {
    const left = await this.#live.helperDisconnected(helperId, connectionId, this.#now().getTime());
    if (left === 0) this.#tell({ kind: 'helpers', helperIds: [helperId] });
  }

  setAvailability(helperId: string, payload: AvailabilityPayload): Promise<void> {
    return this.#serial.run(async () => {
      const prefs = await this.#store.getHelperPrefs(helperId);
      await this.#store.setHelperPrefs(helperId, {
        availability: payload.availability,
        capacity: payload.capacity ?? prefs.capacity,
      });
      this.#tell({ kind: 'helpers', helperIds: [helperId] });
      await this.#drain();
    });
  }

  /** A helper signed out: their follow grants and control end; their chats wait for them. */
  async helperSignedOut(helperId: string): Promise<void> {
    await this.#helperGone(helperId, 'signed-out');
  }

  /**
   * The helper behind a session, checked on every event: a signed-out session or a removed
   * account stops working at once. Finding the account gone ends everything it held.
   */
  async sessionHelper(sessionHash: string, helperId: string): Promise<HelperAccount | DeskError> {
    const [session, helper] = await Promise.all([
      this.#store.getSession(sessionHash),
      this.#store.getHelper(helperId),
    ]);
    if (!helper) {
      await this.#helperRemoved(helperId);
      return new DeskError('unauthorized', 'this helper account no longer exists');
    }
    if (!session || session.helperId !== helperId) {
      return new DeskError('unauthorized', 'your session has ended; sign in again');
    }
    return helper;
  }

  /** Whether a helper account still exists; a copy of the page checks it on every change. */
  async helperExists(helperId: string): Promise<boolean> {
    if (await this.#store.getHelper(helperId)) return true;
    await this.#helperRemoved(helperId);
    return false;
  }

  /** Turns deadlines into commands: grace periods that ran out, helpers removed. */
  async sweep(): Promise<void> {
    const open = await this.#store.listOpenConversations();
    await this.#renewJoinCodes(open);
    await this.#visitorsAway(open);
    const involved = new Set(
      open.flatMap((c) => [c.helperId, c.following?.helperId].filter((id) => id !== undefined)),
    );
    if (involved.size === 0) return;
    const existing = new Set((await this.#store.listHelpers()).map((h) => h.id));
    for (const helperId of involved) {
      if (!existing.has(helperId)) await this.#helperRemoved(helperId);
    }
    const connected = await this.#live.connectedHelpers();
    const now = this.#now().getTime();
    const late = new Set<string>();
    // Asked once per helper, not once per conversation: a helper gone with many visitors
    // would otherwise cost a live-state round trip for each of them, every sweep.
    const offlineSince = new Map<string, number>();
    for (const c of open) {
      if (c.status !== 'assigned' || !c.helperId || connected.has(c.helperId)) continue;
      if (!existing.has(c.helperId)) continue;
      let since = offlineSince.get(c.helperId);
      if (since === undefined) {
        since = (await this.#live.offlineSince(c.helperId)) ?? this.#startedAt;
        offlineSince.set(c.helperId, since);
      }
      if (now - since >= this.#options.graceMs) late.add(c.id);
    }
    if (late.size === 0) return;
    await this.#serial.run(async () => {
      for (const id of late) await this.#tryApply(id, { type: 'requeue' }, SYSTEM);
      await this.#drain();
    });
  }

  // Read models ---------------------------------------------------------------------------

  /** Open conversations of the visitor with this user id: verified ones first, then newest. */
  async findByUser(userId: string): Promise<ConversationRecord[]> {
    return (await this.#store.listOpenConversations())
      .filter((c) => c.visitor.userId === userId)
      .sort(
        (a, b) =>
          Number(b.visitor.verified === true) - Number(a.visitor.verified === true) ||
          b.createdAt.localeCompare(a.createdAt),
      );
  }

  getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.#store.getConversation(id);
  }

  openConversations(): Promise<ConversationRecord[]> {
    return this.#store.listOpenConversations();
  }

  readMarks(conversationId: string) {
    return this.#store.getReadMarks(conversationId);
  }

  getHelper(id: string): Promise<HelperAccount | undefined> {
    return this.#store.getHelper(id);
  }

  async helperStatus(helper: HelperRef): Promise<HelperStatus> {
    const [prefs, open, connected] = await Promise.all([
      this.#store.getHelperPrefs(helper.id),
      this.#store.listOpenConversations(),
      this.#live.connectedHelpers(),
    ]);
    return {
      id: helper.id,
      name: helper.name,
      availability: prefs.availability,
      capacity: prefs.capacity,
      openConversations: open.filter((c) => c.status === 'assigned' && c.helperId === helper.id)
        .length,
      connected: connected.has(helper.id),
    };
  }

  /** Whether any connected helper is available, so visitors can be told honestly. */
  async anyHelperAvailable(): Promise<boolean> {
    for (const helperId of await this.#live.connectedHelpers()) {
      if ((await this.#store.getHelperPrefs(helperId)).availability === 'available') return true;
    }
    return false;
  }

  // Internals -----------------------------------------------------------------------------

  /** load → decide → store (deciding again on a stale version) → store what events carry → tell. */
  async #apply(conversationId: string, command: Command, actor: Actor): Promise<Applied> {
    const applied = await this.#decideAndStore(conversationId, command, actor);
    this.#tell({ kind: 'applied', applied });
    return applied;
  }

  /** #apply without telling anyone: for a caller that tells once for several steps. */
  async #decideAndStore(conversationId: string, command: Command, actor: Actor): Promise<Applied> {
    onlyOwn(actor, conversationId);
    for (let attempt = 1; ; attempt++) {
      const previous = await this.#store.getConversation(conversationId);
      if (!previous) throw new DeskError('not_found', 'no such conversation');
      const decision = decide(previous, command, actor, this.#now());
      if (!decision.ok) throw decision.error;
      const { record, events } = decision;
      if (record !== previous) {
        try {
          await this.#store.saveConversation(record);
        } catch (error) {
          if (error instanceof StaleVersionError && attempt < CAS_ATTEMPTS) continue;
          throw error;
        }
      }
      const applied: Applied = { record, previous, events };
      await this.#keep(applied);
      return applied;
    }
  }

  /** Like #apply, for the system's own commands: a refusal just means there is nothing to do. */
  async #tryApply(
    conversationId: string,
    command: Command,
    actor: Actor,
  ): Promise<Applied | undefined> {
    try {
      return await this.#apply(conversationId, command, actor);
    } catch (error) {
      if (error instanceof DeskError) return undefined;
      throw error;
    }
  }

  /** Stores what the events carry beyond the record, before anyone is told. */
  async #keep(applied: Applied): Promise<void> {
    const conversationId = applied.record.id;
    for (const event of applied.events) {
      switch (event.type) {
        case 'message-posted': {
          const stored = await this.#store.appendMessage(conversationId, {
            id: event.messageId,
            from: event.from,
            authorName: event.authorName,
            text: event.text,
            ...(event.internal ? { internal: true } : {}),
          });
          // Two sends of one id raced past the check before: the loser is refused too.
          if (!sameAuthor(stored.message, event.from)) {
            throw new DeskError('conflict', 'that message id is already used in this conversation');
          }
          applied.message = stored;
          break;
        }
        case 'message-resent': {
          const message = await this.#store.getMessage(conversationId, event.messageId);
          if (!message) throw new Error('a resent message is missing');
          applied.message = { message, duplicate: true };
          break;
        }
        case 'read-marked': {
          if (!(await this.#store.getMessage(conversationId, event.upTo))) {
            throw new DeskError('not_found', 'no such message in this conversation');
          }
          await this.#store.setReadMark(conversationId, event.by, event.upTo);
          break;
        }
        case 'page-changed':
          // Relayed at once; the latest value per key is for copies that join later.
          await this.#live.putChange(conversationId, event.change);
          break;
        case 'control-applied':
          // The visitor's page takes the helper's value without echoing it back (the copy has
          // it already): kept here, a copy that joins later shows it too. Their page reports
          // its own navigation.
          if (event.change.type !== 'navigate') {
            await this.#live.putChange(conversationId, {
              ...event.change,
              at: this.#now().toISOString(),
            });
          }
          break;
        case 'follow-stopped':
          // What the page showed is forgotten with the grant.
          await this.#live.clearChanges(conversationId);
          break;
        case 'mirror-part':
          applied.mirrorKept = await this.#live.putMirrorPart(
            conversationId,
            event.part,
            MIRROR_LIMITS.keptBytes,
          );
          break;
        case 'mirror-stopped':
          await this.#live.clearMirror(conversationId);
          break;
        case 'answered':
          // Chats only: a message left for later says nothing about how fast people answer.
          if (applied.record.kind !== 'message') {
            await this.#live.noteWait(Date.parse(event.at) - Date.parse(applied.record.createdAt));
          }
          break;
      }
    }
  }

  async #existingAuthor(actor: Actor, conversationId: string, messageId: string) {
    if (actor.kind === 'visitor' && actor.conversationId !== conversationId) return undefined;
    const existing = await this.#store.getMessage(conversationId, messageId).catch(() => undefined);
    return existing?.from;
  }

  async #helperGone(helperId: string, reason: 'signed-out' | 'removed'): Promise<void> {
    const open = await this.#store.listOpenConversations();
    const touched = open.filter(
      (c) =>
        c.following?.helperId === helperId || (reason === 'removed' && c.helperId === helperId),
    );
    if (touched.length === 0) return;
    await this.#serial.run(async () => {
      for (const c of touched) {
        await this.#tryApply(c.id, { type: 'helper-gone', helperId, reason }, SYSTEM);
      }
      if (reason === 'removed') await this.#drain();
    });
  }

  async #helperRemoved(helperId: string): Promise<void> {
    await this.#helperGone(helperId, 'removed');
    await this.#store.deleteSessionsOf(helperId);
    this.#tell({ kind: 'helper-removed', helperId });
  }

  /** Gives waiting conversations to helpers with room. Call only inside the serial queue. */
  async #drain(): Promise<void> {
    const open = await this.#store.listOpenConversations();
    if (!open.some((c) => c.status === 'waiting')) return;
    const plan = planAssignments(open, await this.#loads(open), this.#now().toISOString());
    for (const { conversationId, helper } of plan) {
      await this.#tryApply(conversationId, { type: 'assign', helper }, SYSTEM);
    }
  }

  /** Loads of the helpers connected now. */
  async #loads(open: readonly ConversationRecord[]) {
    const connected = await this.#live.connectedHelpers();
    const helpers = (await this.#store.listHelpers()).filter((h) => connected.has(h.id));
    return helperLoads(
      await Promise.all(
        helpers.map(async (h) => ({
          helper: { id: h.id, name: h.name },
          prefs: await this.#store.getHelperPrefs(h.id),
        })),
      ),
      open,
    );
  }

  /** Visitors with no connection: shown as gone, and waiting chats of theirs closed, in time. */
  async #visitorsAway(open: readonly ConversationRecord[]): Promise<void> {
    const timeout = {
      type: 'visitor-timeout',
      goneAfterMs: this.#options.visitorGoneMs,
      leaveQueueAfterMs: this.#options.waitingVisitorTimeoutMs,
    } as const;
    const now = this.#now().getTime();
    // Shown as connected, but no process has renewed the lease on their sockets: the process
    // holding them died without a goodbye. They left then.
    const shownConnected = open.filter((record) => record.presence?.connected);
    const leases = await this.#live.visitorLeases(shownConnected.map((record) => record.id));
    for (const [i, record] of shownConnected.entries()) {
      const lease = leases[i];
      if (lease !== undefined && lease < Date.now()) await this.presence(record.id, false, false);
    }
    for (const record of open) {
      const presence = record.presence;
      if (!presence || presence.connected) continue;
      const away = now - Date.parse(presence.since);
      const due =
        (presence.state !== 'gone' && away >= timeout.goneAfterMs) ||
        (record.status === 'waiting' &&
          record.kind !== 'message' &&
          away >= timeout.leaveQueueAfterMs);
      if (!due) continue;
      // Ending frees nobody's slot, but it moves the queue: one at a time, like the rest.
      await this.#serial.run(() => this.#tryApply(record.id, timeout, SYSTEM));
    }
  }

  /** Codes that ran out are replaced, and the visitor shown the new one. */
  async #renewJoinCodes(open: readonly ConversationRecord[]): Promise<void> {
    const now = this.#now().toISOString();
    for (const record of open) {
      if (!codeExpired(record, now)) continue;
      const renew = {
        type: 'renew-join-code',
        code: await this.#freeJoinCode(),
        expiresAt: this.#codeExpiry(),
      } as const;
      await this.#tryApply(record.id, renew, SYSTEM);
    }
  }

  #codeExpiry(): string {
    return new Date(this.#now().getTime() + this.#options.joinCodeTtlMs).toISOString();
  }

  async #freeJoinCode(): Promise<string> {
    for (;;) {
      const code = newJoinCode();
      if (!(await this.#store.findOpenConversationByJoinCode(code))) return code;
    }
  }

  #tell(news: DeskNews): void {
    for (const listener of this.#listeners) listener(news);
  }
}

const SYSTEM: Actor = { kind: 'system' };
const NO_RULES_FILE: RulesFile = { rules: [] };

/** Commands that move conversations between helpers or the queue: one at a time. */
const MOVES_HELPERS = new Set<Command['type']>([
  'assign',
  'accept',
  'join-by-code',
  'transfer',
  'requeue',
  'end',
  'helper-gone',
]);

/** An end or a requeue frees a helper's slot (or fills the queue): someone else may move. */
function freesSlot(applied: Applied): boolean {
  return applied.events.some((e) => e.type === 'ended' || e.type === 'requeued');
}
