/**
 * The help desk: turns requests, acceptances, endings and helper presence into assignments.
 * Every change that can move a conversation runs through one serial queue, so two requests
 * arriving together cannot both take a helper's last free slot. Listeners hear about every
 * change, including those a grace-period timer makes with no request in sight.
 */
import type { HelperStatus } from '../../protocol/domain.ts';
import type { AvailabilityPayload, HelpRequestBody } from '../../protocol/schemas.ts';
import { SerialQueue } from '../store/serial-queue.ts';
import type { ConversationRecord, HelperAccount, Store } from '../store/store.ts';
import {
  type AssignmentContext,
  assign,
  connectedLoads,
  drainQueue,
  pickHelper,
  requeueHelper,
} from './assignment.ts';
import { DeskError } from './desk-error.ts';
import { hashToken, newId, newJoinCode, newToken } from './secrets.ts';
import { parseUserAgent } from './user-agent.ts';

export interface DeskChange {
  conversations: { record: ConversationRecord; previousHelperId?: string }[];
  /** Helpers whose status (open count, availability) may have changed. */
  helpers: string[];
  /** Whether the waiting queue changed, so positions and queue lists must be re-sent. */
  queueChanged: boolean;
}

export interface HelpDeskOptions {
  /** How long a helper may be disconnected before their conversations are re-queued. */
  graceMs: number;
  now?: () => Date;
}

export class HelpDesk {
  readonly store: Store;
  readonly #serial = new SerialQueue();
  readonly #connections = new Map<string, number>();
  readonly #graceTimers = new Map<string, NodeJS.Timeout>();
  readonly #listeners = new Set<(change: DeskChange) => void>();
  readonly #ctx: AssignmentContext;
  readonly #graceMs: number;

  constructor(store: Store, options: HelpDeskOptions) {
    this.store = store;
    this.#graceMs = options.graceMs;
    this.#ctx = {
      store,
      presence: { isConnected: (id) => (this.#connections.get(id) ?? 0) > 0 },
      now: options.now ?? (() => new Date()),
    };
  }

  onChange(listener: (change: DeskChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** After a restart nobody is connected: give each helper with open chats the grace period. */
  async start(): Promise<void> {
    for (const c of await this.store.listConversations(['assigned'])) {
      if (c.helperId && !this.#graceTimers.has(c.helperId)) this.#startGrace(c.helperId);
    }
  }

  stop(): void {
    for (const timer of this.#graceTimers.values()) clearTimeout(timer);
    this.#graceTimers.clear();
    this.#listeners.clear();
  }

  isConnected(helperId: string): boolean {
    return this.#ctx.presence.isConnected(helperId);
  }

  /** Creates a waiting conversation and assigns it at once when a helper has room. */
  requestHelp(body: HelpRequestBody): Promise<{ record: ConversationRecord; token: string }> {
    return this.#serial.run(async () => {
      const token = newToken();
      const { clientHints, visitor, ...page } = body;
      const record: ConversationRecord = {
        id: newId(),
        status: 'waiting',
        priority: 0,
        joinCode: await this.#freeJoinCode(),
        visitorTokenHash: hashToken(token),
        details: {
          ...page,
          ...(clientHints ? { clientHints } : {}),
          agent: parseUserAgent(body.userAgent, clientHints),
        },
        visitor: visitor ?? {},
        createdAt: this.#ctx.now().toISOString(),
      };
      // With nobody waiting, a helper with room takes it at once, and the conversation is
      // stored assigned in one durable write instead of two.
      const nobodyWaiting = (await this.store.listConversations(['waiting'])).length === 0;
      const chosen = nobodyWaiting ? pickHelper(await connectedLoads(this.#ctx)) : undefined;
      if (chosen) {
        Object.assign(record, {
          status: 'assigned',
          helperId: chosen.helper.id,
          helperName: chosen.helper.name,
          assignedAt: record.createdAt,
        });
      }
      await this.store.createConversation(record);
      const moved = chosen ? [] : await drainQueue(this.#ctx);
      const created = moved.find((c) => c.id === record.id) ?? record;
      this.#emit({
        conversations: [created, ...moved.filter((c) => c !== created)].map((r) => ({ record: r })),
        helpers: [
          ...(chosen ? [chosen.helper.id] : []),
          ...moved.flatMap((c) => (c.helperId ? [c.helperId] : [])),
        ],
        queueChanged: !chosen,
      });
      return { record: created, token };
    });
  }

  async helperConnected(helperId: string): Promise<void> {
    this.#connections.set(helperId, (this.#connections.get(helperId) ?? 0) + 1);
    const timer = this.#graceTimers.get(helperId);
    if (timer) clearTimeout(timer);
    this.#graceTimers.delete(helperId);
    // Always announce: visitors' "is anyone available" may have changed.
    await this.#serial.run(() => this.#drainNow([helperId], true));
  }

  helperDisconnected(helperId: string): void {
    const left = (this.#connections.get(helperId) ?? 1) - 1;
    if (left > 0) {
      this.#connections.set(helperId, left);
      return;
    }
    this.#connections.delete(helperId);
    this.#startGrace(helperId);
    this.#emit({ conversations: [], helpers: [helperId], queueChanged: true });
  }

  setAvailability(helperId: string, payload: AvailabilityPayload): Promise<void> {
    return this.#serial.run(async () => {
      const prefs = await this.store.getHelperPrefs(helperId);
      await this.store.setHelperPrefs(helperId, {
        availability: payload.availability,
        capacity: payload.capacity ?? prefs.capacity,
      });
      await this.#drainNow([helperId], true);
    });
  }

  /** A helper picks a waiting request from the queue. */
  accept(helper: HelperAccount, conversationId: string): Promise<ConversationRecord> {
    return this.#serial.run(async () => {
      const record = await this.store.getConversation(conversationId);
      if (!record) throw new DeskError('not_found', 'no such conversation');
      if (record.status === 'ended') throw new DeskError('ended', 'this conversation has ended');
      if (record.helperId === helper.id) return record;
      if (record.status === 'assigned') {
        throw new DeskError('conflict', `${record.helperName ?? 'another helper'} has taken it`);
      }
      const assigned = await assign(this.#ctx, record.id, helper);
      this.#emit({
        conversations: [{ record: assigned }],
        helpers: [helper.id],
        queueChanged: true,
      });
      return assigned;
    });
  }

  /**
   * A helper on the phone types the code the visitor reads out. The code is the proof that
   * they are talking to the visitor, so it takes the conversation even from another helper.
   */
  joinByCode(helper: HelperAccount, code: string): Promise<ConversationRecord> {
    return this.#serial.run(async () => {
      const record = await this.store.findOpenConversationByJoinCode(code);
      if (!record) throw new DeskError('not_found', 'no open conversation has that code');
      if (record.helperId === helper.id) return record;
      const assigned = await assign(this.#ctx, record.id, helper);
      const previousHelperId = record.helperId;
      this.#emit({
        conversations: [{ record: assigned, ...(previousHelperId ? { previousHelperId } : {}) }],
        helpers: previousHelperId ? [helper.id, previousHelperId] : [helper.id],
        queueChanged: record.status === 'waiting',
      });
      return assigned;
    });
  }

  /** Ends a conversation; the helper's freed slot goes to the next in the queue. */
  end(conversationId: string): Promise<ConversationRecord> {
    return this.#serial.run(async () => {
      const record = await this.store.getConversation(conversationId);
      if (!record) throw new DeskError('not_found', 'no such conversation');
      if (record.status === 'ended') return record;
      const ended = await this.store.updateConversation(conversationId, {
        status: 'ended',
        endedAt: this.#ctx.now().toISOString(),
      });
      this.#emit({
        conversations: [{ record: ended }],
        helpers: ended.helperId ? [ended.helperId] : [],
        queueChanged: record.status === 'waiting',
      });
      await this.#drainNow([]);
      return ended;
    });
  }

  /** The visitor's widget says which page it is on now; their helper sees it. */
  async reportPage(conversationId: string, page: { url: string; title: string }): Promise<void> {
    const record = await this.store.updateConversation(conversationId, {
      currentPage: { ...page, at: this.#ctx.now().toISOString() },
    });
    this.#emit({
      conversations: [{ record }],
      helpers: [],
      queueChanged: record.status === 'waiting',
    });
  }

  async helperStatus(helper: HelperAccount): Promise<HelperStatus> {
    const prefs = await this.store.getHelperPrefs(helper.id);
    const open = (await this.store.listConversations(['assigned'])).filter(
      (c) => c.helperId === helper.id,
    ).length;
    return {
      id: helper.id,
      name: helper.name,
      availability: prefs.availability,
      capacity: prefs.capacity,
      openConversations: open,
      connected: this.isConnected(helper.id),
    };
  }

  /** Whether any connected helper is available, so visitors can be told honestly. */
  async anyHelperAvailable(): Promise<boolean> {
    for (const [helperId] of this.#connections) {
      if ((await this.store.getHelperPrefs(helperId)).availability === 'available') return true;
    }
    return false;
  }

  // Internals ---------------------------------------------------------------------------

  #startGrace(helperId: string): void {
    const timer = setTimeout(() => {
      this.#graceTimers.delete(helperId);
      if (this.isConnected(helperId)) return;
      this.#serial
        .run(async () => {
          const requeued = await requeueHelper(this.#ctx, helperId);
          if (requeued.length === 0) return;
          this.#emit({
            conversations: requeued.map((record) => ({ record, previousHelperId: helperId })),
            helpers: [helperId],
            queueChanged: true,
          });
          await this.#drainNow([]);
        })
        .catch((error: unknown) => console.error('re-queue after grace period failed', error));
    }, this.#graceMs);
    timer.unref();
    this.#graceTimers.set(helperId, timer);
  }

  /** Call only inside the serial queue. */
  async #drainNow(helpers: string[], alwaysEmit = false): Promise<void> {
    const moved = await drainQueue(this.#ctx);
    if (moved.length === 0 && !alwaysEmit && helpers.length === 0) return;
    this.#emit({
      conversations: moved.map((record) => ({ record })),
      helpers: [
        ...new Set([...helpers, ...moved.flatMap((c) => (c.helperId ? [c.helperId] : []))]),
      ],
      queueChanged: moved.length > 0 || alwaysEmit,
    });
  }

  async #freeJoinCode(): Promise<string> {
    for (;;) {
      const code = newJoinCode();
      if (!(await this.store.findOpenConversationByJoinCode(code))) return code;
    }
  }

  #emit(change: DeskChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}
