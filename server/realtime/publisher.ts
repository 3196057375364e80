/**
 * Turns what the desk did into what each socket is told, and who is in which room. Events
 * are relayed in the order the desk applied them; views (the conversation, the queue, helper
 * status) are read fresh from the desk, one change at a time, so a client never sees an older
 * state arrive after a newer one.
 */
import type { ConversationSummary, VisitorConversation } from '../../protocol/domain.ts';
import type { ConversationLeftEvent } from '../../protocol/events.ts';
import type { Applied, DeskNews, HelpDesk } from '../desk/desk.ts';
import { queueOrder, queuePositions, waitingMessages } from '../domain/assignment.ts';
import type { ConversationEvent, ConversationRecord } from '../domain/conversation-types.ts';
import {
  cobrowseStatusView,
  controlStatusView,
  mirrorStatusView,
  reachesVisitor,
  summaryView,
  visitorView,
} from '../domain/views.ts';
import { SerialQueue } from '../serial-queue.ts';
import { rooms } from './rooms.ts';
import type { Namespaces } from './types.ts';

export class Publisher {
  readonly #desk: HelpDesk;
  readonly #io: Namespaces;
  readonly #serial = new SerialQueue();
  /** Each waiting visitor's position as last told, so only those who moved are told again. */
  #told = new Map<string, number>();
  /** The queue's places, until the next change of the queue reaches this publisher. */
  #places: Map<string, number> | undefined;

  constructor(desk: HelpDesk, io: Namespaces) {
    this.#desk = desk;
    this.#io = io;
  }

  /** What happens on the wire for a piece of desk news. */
  publish(news: DeskNews): void {
    // Relays go out at once, in order; views follow through the serial queue.
    if (news.kind === 'applied') this.#relay(news.applied);
    if (news.kind === 'helper-removed') {
      this.#io.agents.in(rooms.helper(news.helperId)).disconnectSockets(true);
    }
    this.#serial
      .run(() => this.#views(news))
      .catch((error: unknown) => console.error('publishing a desk change failed', error));
  }

  /** Where a waiting conversation is in the queue (1 for the next); undefined otherwise. */
  async position(record: ConversationRecord): Promise<number | undefined> {
    if (record.status !== 'waiting') return undefined;
    // Worked out once per change of the queue, not once per connection: a reconnect storm
    // with thousands waiting would otherwise sort the queue thousands of times.
    this.#places ??= queuePositions(await this.#desk.openConversations());
    return this.#places.get(record.id);
  }

  /** The waiting queue, in order, as helpers see it; then messages left for them, unnumbered. */
  async queue(): Promise<ConversationSummary[]> {
    const open = await this.#desk.openConversations();
    return Promise.all([
      ...queueOrder(open).map((record, i) => this.summary(record, i + 1)),
      ...waitingMessages(open).map((record) => this.summary(record)),
    ]);
  }

  async summary(record: ConversationRecord, position?: number): Promise<ConversationSummary> {
    const readMarks = await this.#desk.readMarks(record.id);
    return summaryView(record, { ...(position ? { position } : {}), readMarks });
  }

  async visitorView(record: ConversationRecord, position?: number): Promise<VisitorConversation> {
    return visitorView(record, {
      ...(position ? { position } : {}),
      helpersAvailable: await this.#desk.anyHelperAvailable(),
      readMarks: await this.#desk.readMarks(record.id),
    });
  }

  /** Socket events that carry the change itself, and room membership. */
  #relay({ record, events, message }: Applied): void {
    const { visitors, agents, follow } = this.#io;
    const conversationId = record.id;
    const room = rooms.conversation(conversationId);
    for (const event of events) {
      switch (event.type) {
        case 'message-posted':
          // A resend was delivered the first time; only its ack repeats.
          if (message && !message.duplicate) {
            if (reachesVisitor(message.message)) {
              visitors.to(room).emit('chat:message', message.message);
            }
            agents.to(room).emit('chat:message', message.message);
          }
          break;
        case 'typing': {
          const typing = { conversationId, from: event.from, typing: event.typing };
          // Only the other side needs to know.
          if (event.from === 'visitor') agents.to(room).emit('chat:typing', typing);
          else visitors.to(room).emit('chat:typing', typing);
          break;
        }
        case 'read-marked': {
          const read = { conversationId, by: event.by, upTo: event.upTo };
          visitors.to(room).emit('chat:read', read);
          agents.to(room).emit('chat:read', read);
          break;
        }
        case 'page-changed':
          follow.to(rooms.grant(event.grantId)).emit('cobrowse:change', event.change);
          if (event.change.type === 'resize' || event.change.type === 'focus') {
            agents.to(room).emit('cobrowse:change', { ...event.change, conversationId });
          }
          break;
        case 'follow-started':
        case 'follow-stopped': {
          const status = cobrowseStatusView(record);
          visitors.to(room).emit('cobrowse:status', status);
          agents.to(room).emit('cobrowse:status', status);
          if (event.type === 'follow-stopped') {
            // The copies are told, then cut off: nothing more of the page reaches them.
            const grantRoom = rooms.grant(event.grantId);
            follow.to(grantRoom).emit('cobrowse:status', status);
            follow.in(grantRoom).disconnectSockets(true);
          }
          break;
        }
        case 'control-requested':
        case 'control-granted':
        case 'control-denied':
        case 'control-ended': {
          const status = controlStatusView(record);
          visitors.to(room).emit('control:status', status);
          agents.to(room).emit('control:status', status);
          const grantId = record.following?.grantId;
          if (grantId) follow.to(rooms.grant(grantId)).emit('control:status', status);
          break;
        }
        case 'control-applied':
          visitors.to(room).emit('control:apply', { ...event.change, conversationId });
          break;
        case 'mirror-requested':
        case 'mirror-started':
        case 'mirror-stopped': {
          const status = mirrorStatusView(
            record,
            event.type === 'mirror-stopped' ? event.reason : undefined,
          );
          // A change of helper stops the share before the former helper leaves the room:
          // their replay is told it is over.
          visitors.to(room).emit('mirror:status', status);
          agents.to(room).emit('mirror:status', status);
          break;
        }
        case 'mirror-part':
          agents.to(room).emit('mirror:data', { ...event.part, conversationId });
          break;
        case 'mirror-snapshot-asked':
          visitors.to(room).emit('mirror:snapshot', { conversationId });
          break;
        case 'mirror-pointed':
          visitors.to(room).emit('mirror:point', { conversationId, nodeId: event.nodeId });
          break;
        case 'mirror-control-applied':
          visitors.to(room).emit('mirror:control', { conversationId, action: event.action });
          break;
        case 'pointed':
          visitors.to(room).emit('cobrowse:point', { conversationId, path: event.path });
          break;
        case 'refreshed':
          visitors.to(room).emit('cobrowse:refresh', { conversationId });
          break;
        case 'assigned':
          agents.in(rooms.helper(event.helper.id)).socketsJoin(room);
          if (event.previousHelperId) {
            this.#left(record, event.previousHelperId, {
              reason: event.how === 'transfer' ? 'transferred' : 'taken-over',
              helperName: event.helper.name,
            });
          }
          break;
        case 'requeued':
          this.#left(record, event.previousHelperId, { reason: 'requeued' });
          break;
        case 'ended':
        case 'first-message':
        case 'answered':
        case 'visitor-identified':
        case 'presence-changed':
        case 'rated':
        case 'page-reported':
        case 'follow-joined':
        case 'message-resent':
        // The new code reaches the visitor with the conversation's view.
        case 'join-code-renewed':
          break;
      }
    }
  }

  /** The former helper's page leaves the room at once and is told why. */
  #left(
    record: ConversationRecord,
    helperId: string,
    how: Pick<ConversationLeftEvent, 'reason' | 'helperName'>,
  ): void {
    const helperRoom = rooms.helper(helperId);
    this.#io.agents.in(helperRoom).socketsLeave(rooms.conversation(record.id));
    this.#io.agents.to(helperRoom).emit('conversation:left', {
      conversationId: record.id,
      ...how,
      ...(record.visitor.name ? { visitorName: record.visitor.name } : {}),
    });
  }

  /** The conversation, queue and helper status views that a change makes out of date. */
  async #views(news: DeskNews): Promise<void> {
    if (news.kind === 'helper-removed') return;
    if (news.kind === 'helpers') {
      await this.#helperStatus(news.helperIds);
      // Waiting visitors may have learned that someone is, or no longer is, available.
      await this.#positions({ everyone: true });
      return;
    }
    const { record: applied, previous, events } = news.applied;
    if (applied === previous) return;
    // Presence, identify() and the like change an entry, not the order: places stay.
    const placesMove = movesPlaces(previous, applied);
    if (placesMove) this.#places = undefined;
    const record = (await this.#desk.getConversation(applied.id)) ?? applied;
    const position = await this.position(record);
    // Visitors are not shown their own presence, and every tab switch changes it.
    const onlyPresence = events.length > 0 && events.every((e) => e.type === 'presence-changed');
    if (!onlyPresence) {
      this.#io.visitors
        .to(rooms.conversation(record.id))
        .emit('conversation:updated', await this.visitorView(record, position));
    }
    if (position !== undefined) this.#told.set(record.id, position);
    if (record.helperId) {
      this.#io.agents
        .to(rooms.helper(record.helperId))
        .emit('conversation:updated', await this.summary(record, position));
    }
    if (changesQueue(previous, record)) {
      // Helpers get the one entry that changed, not the whole queue again.
      this.#io.agents.emit(
        'queue:changed',
        // A message waits unnumbered: out of line, but still in every helper's list.
        record.status !== 'waiting'
          ? { waiting: [], gone: [record.id] }
          : { waiting: [await this.summary(record, position)], gone: [] },
      );
      if (placesMove) await this.#positions({ everyone: false });
    }
    await this.#helperStatus(helpersConcerned(events, record));
  }

  /**
   * Tells waiting visitors their place: those whose place changed, or `everyone` when what
   * they are shown besides (whether a helper is available) may have changed.
   */
  async #positions({ everyone }: { everyone: boolean }): Promise<void> {
    const positions = queuePositions(await this.#desk.openConversations());
    this.#places = positions;
    const told = new Map<string, number>();
    for (const [id, position] of positions) {
      told.set(id, position);
      if (!everyone && this.#told.get(id) === position) continue;
      const record = await this.#desk.getConversation(id);
      if (record) {
        this.#io.visitors
          .to(rooms.conversation(id))
          .emit('conversation:updated', await this.visitorView(record, position));
      }
    }
    this.#told = told;
  }

  async #helperStatus(helperIds: Iterable<string>): Promise<void> {
    for (const helperId of new Set(helperIds)) {
      const helper = await this.#desk.getHelper(helperId);
      if (helper) {
        this.#io.agents
          .to(rooms.helper(helperId))
          .emit('helper:status', await this.#desk.helperStatus(helper));
      }
    }
  }
}

/** A new conversation, one that joined or left the queue, or a waiting one that changed. */
/** Whether the queue's order may have changed: an arrival, a departure, a new priority. */
function movesPlaces(previous: ConversationRecord | undefined, record: ConversationRecord) {
  return !previous || previous.status !== record.status || previous.priority !== record.priority;
}

function changesQueue(previous: ConversationRecord | undefined, record: ConversationRecord) {
  return !previous || previous.status === 'waiting' || record.status === 'waiting';
}

/** Helpers whose open count changed. */
function helpersConcerned(events: ConversationEvent[], record: ConversationRecord): string[] {
  return events.flatMap((event) => {
    switch (event.type) {
      case 'assigned':
        return [event.helper.id, ...(event.previousHelperId ? [event.previousHelperId] : [])];
      case 'requeued':
        return [event.previousHelperId];
      case 'ended':
        return record.helperId ? [record.helperId] : [];
      default:
        return [];
    }
  });
}
