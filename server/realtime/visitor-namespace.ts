/** `/visitor`: the widget. The handshake carries the visitor token from the help request. */
import type { IncomingMessage } from 'node:http';
import type { VisitorAuth, VisitorClientEvents } from '../../protocol/events.ts';
import {
  conversationRefSchema,
  identifySchema,
  pageSchema,
  visibilitySchema,
} from '../../protocol/schemas.ts';
import type { HelpDesk } from '../desk/desk.ts';
import { onlyOwn } from '../domain/conversation.ts';
import type { VisitorActor } from '../domain/conversation-types.ts';
import { cobrowseStatusView, controlStatusView, mirrorStatusView } from '../domain/views.ts';
import { chatHandlers } from './chat-handlers.ts';
import { visitorCobrowseHandlers } from './cobrowse-handlers.ts';
import { limitVisitorEvents, type VisitorEventLimiters } from './event-limits.ts';
import { dispatcher, type HandlerTable, handler } from './handler.ts';
import { visitorMirrorHandlers } from './mirror-handlers.ts';
import type { Publisher } from './publisher.ts';
import { rooms } from './rooms.ts';
import type { VisitorNamespace, VisitorSocket } from './types.ts';
import { VisitorLeases } from './visitor-leases.ts';

interface VisitorContext {
  actor: VisitorActor;
  socket: VisitorSocket;
  /** What limits count by. */
  conversationId: string;
  ip: string;
}

export function setUpVisitorNamespace(deps: {
  desk: HelpDesk;
  visitors: VisitorNamespace;
  publisher: Publisher;
  limiters: VisitorEventLimiters;
  addressOf: (request: IncomingMessage) => string;
  /** How long a visitor counts as here without this process saying so again (live state). */
  visitorLeaseMs: number;
}): { settle(): Promise<void>; stop(): void } {
  const { desk, visitors, publisher } = deps;

  const leases = new VisitorLeases(
    (ids, until) => desk.holdVisitors(ids, until),
    deps.visitorLeaseMs,
  );

  /**
   * Online, away or gone, from every page the visitor has open (tabs, and processes once
   * there are several: `fetchSockets` asks the adapter), then the rules decide what changed.
   */
  const countPresence = async (conversationId: string) => {
    const sockets = await visitors.in(rooms.conversation(conversationId)).fetchSockets();
    const visible = sockets.some((s) => s.data.visible !== false);
    await desk.presence(conversationId, sockets.length > 0, visible);
  };
  // One listener for every socket (`this` is the socket), not a closure per visitor.
  function left(this: VisitorSocket, reason: string): void {
    leases.disconnected(this.data.conversationId);
    // This process is stopping, not the visitor leaving: their page reconnects to another
    // process (or this one, restarted), which counts them then. Counting now would write to
    // a store that is closing.
    if (reason === 'server shutting down') return;
    const counting = countPresence(this.data.conversationId).catch((error: unknown) =>
      console.error('counting a visitor who left failed', error),
    );
    leaving.add(counting);
    void counting.finally(() => leaving.delete(counting));
  }
  /** Visitors who left just before the server began to close, still being counted. */
  const leaving = new Set<Promise<void>>();

  const table: HandlerTable<VisitorClientEvents, VisitorContext> = {
    ...chatHandlers<VisitorContext>(desk),
    ...visitorCobrowseHandlers<VisitorContext>(desk),
    ...visitorMirrorHandlers<VisitorContext>(desk),
    'conversation:end': handler(
      'conversation:end',
      conversationRefSchema,
      async ({ actor }: VisitorContext, { conversationId }) =>
        publisher.visitorView((await desk.run(conversationId, { type: 'end' }, actor)).record),
    ),
    'visitor:identify': handler(
      'visitor:identify',
      identifySchema,
      async ({ actor }: VisitorContext, { conversationId, visitor }) => {
        await desk.identify(actor, conversationId, visitor);
        return null;
      },
    ),
    'visitor:visibility': handler(
      'visitor:visibility',
      visibilitySchema,
      async ({ actor, socket }: VisitorContext, { conversationId, visible }) => {
        onlyOwn(actor, conversationId);
        socket.data.visible = visible;
        await countPresence(conversationId);
        return null;
      },
    ),
    'conversation:page': handler(
      'conversation:page',
      pageSchema,
      async ({ actor }: VisitorContext, { conversationId, url, title }) => {
        await desk.run(conversationId, { type: 'report-page', url, title }, actor);
        return null;
      },
    ),
  };
  const dispatch = dispatcher(
    limitVisitorEvents(table, deps.limiters),
    (socket: VisitorSocket): VisitorContext => ({
      // The name the site gave through identify(), so helpers and transcripts show who wrote.
      actor: {
        kind: 'visitor',
        conversationId: socket.data.conversationId,
        name: socket.data.name,
      },
      conversationId: socket.data.conversationId,
      ip: socket.data.ip,
      socket,
    }),
  );

  visitors.use(async (socket, next) => {
    const token: unknown = (socket.handshake.auth as Partial<VisitorAuth>).token;
    const found =
      typeof token === 'string' && token.length <= 128 ? await desk.visitorFor(token) : undefined;
    if (!found) {
      next(new Error('unauthorized: unknown or missing visitor token'));
      return;
    }
    socket.data.conversationId = found.actor.conversationId;
    socket.data.name = found.actor.name;
    socket.data.ip = deps.addressOf(socket.request);
    next();
  });

  visitors.on('connection', async (socket) => {
    const { conversationId } = socket.data;
    // In place before the first await: a client may emit as soon as it connects.
    socket.onAny(dispatch);
    await leases.connected(conversationId);
    await socket.join(rooms.conversation(conversationId));
    socket.on('disconnect', left);
    await countPresence(conversationId);
    const record = await desk.getConversation(conversationId);
    if (record) {
      socket.emit(
        'conversation:updated',
        await publisher.visitorView(record, await publisher.position(record)),
      );
      // A reload of a followed page resumes sending at once.
      socket.emit('cobrowse:status', cobrowseStatusView(record));
      socket.emit('control:status', controlStatusView(record));
      socket.emit('mirror:status', mirrorStatusView(record));
    }
  });
  return {
    async settle() {
      await Promise.allSettled([...leaving]);
    },
    stop() {
      leases.stop();
    },
  };
}
