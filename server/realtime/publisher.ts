/**
 * Tells everyone concerned about a desk change. Publishing is serial and reads the current
 * record from the store, so clients never see an older state arrive after a newer one.
 */
import type { ConversationSummary } from '../../protocol/domain.ts';
import { queueOrder } from '../domain/assignment.ts';
import type { DeskChange, HelpDesk } from '../domain/help-desk.ts';
import { summaryView, visitorView } from '../domain/views.ts';
import { SerialQueue } from '../store/serial-queue.ts';
import type { ConversationRecord } from '../store/store.ts';
import { rooms } from './rooms.ts';
import type { AgentNamespace, VisitorNamespace } from './types.ts';

export class Publisher {
  readonly #desk: HelpDesk;
  readonly #visitors: VisitorNamespace;
  readonly #agents: AgentNamespace;
  readonly #serial = new SerialQueue();

  constructor(desk: HelpDesk, visitors: VisitorNamespace, agents: AgentNamespace) {
    this.#desk = desk;
    this.#visitors = visitors;
    this.#agents = agents;
  }

  publish(change: DeskChange): Promise<void> {
    return this.#serial
      .run(() => this.#publish(change))
      .catch((error: unknown) => console.error('publishing a desk change failed', error));
  }

  /** The waiting queue, in order, as helpers see it. */
  async queue(): Promise<ConversationSummary[]> {
    const waiting = queueOrder(await this.#desk.store.listConversations(['waiting']));
    return Promise.all(waiting.map((record, i) => this.summary(record, i + 1)));
  }

  async summary(record: ConversationRecord, position?: number): Promise<ConversationSummary> {
    const readMarks = await this.#desk.store.getReadMarks(record.id);
    return summaryView(record, { ...(position ? { position } : {}), readMarks });
  }

  async visitorView(record: ConversationRecord, position?: number) {
    return visitorView(record, {
      ...(position ? { position } : {}),
      helpersAvailable: await this.#desk.anyHelperAvailable(),
      readMarks: await this.#desk.store.getReadMarks(record.id),
    });
  }

  async #publish(change: DeskChange): Promise<void> {
    const store = this.#desk.store;
    const queue = await this.queue();
    const position = (id: string) => queue.findIndex((c) => c.id === id) + 1 || undefined;
    const told = new Set<string>();

    for (const { record: changed, previousHelperId } of change.conversations) {
      const record = (await store.getConversation(changed.id)) ?? changed;
      const room = rooms.conversation(record.id);
      told.add(record.id);
      this.#visitors
        .to(room)
        .emit('conversation:updated', await this.visitorView(record, position(record.id)));
      const summary = await this.summary(record, position(record.id));
      if (record.helperId) {
        const helperRoom = rooms.helper(record.helperId);
        if (record.status === 'assigned') this.#agents.in(helperRoom).socketsJoin(room);
        this.#agents.to(helperRoom).emit('conversation:updated', summary);
      }
      if (previousHelperId && previousHelperId !== record.helperId) {
        const previousRoom = rooms.helper(previousHelperId);
        this.#agents.in(previousRoom).socketsLeave(room);
        this.#agents.to(previousRoom).emit('conversation:updated', summary);
      }
    }

    if (change.queueChanged) {
      this.#agents.emit('queue:updated', { waiting: queue });
      // Everyone still waiting may have moved up, or learned a helper is now available.
      for (const entry of queue) {
        if (told.has(entry.id)) continue;
        const record = await store.getConversation(entry.id);
        if (record) {
          this.#visitors
            .to(rooms.conversation(record.id))
            .emit('conversation:updated', await this.visitorView(record, entry.queuePosition));
        }
      }
    }

    for (const helperId of new Set(change.helpers)) {
      const helper = await store.getHelper(helperId);
      if (helper) {
        this.#agents
          .to(rooms.helper(helperId))
          .emit('helper:status', await this.#desk.helperStatus(helper));
      }
    }
  }
}
