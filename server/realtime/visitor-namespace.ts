/** `/visitor`: the widget. The handshake carries the visitor token from the help request. */
import type { AckCallback } from '../../protocol/ack.ts';
import type { VisitorConversation } from '../../protocol/domain.ts';
import type { VisitorAuth } from '../../protocol/events.ts';
import { conversationRefSchema, pageSchema } from '../../protocol/schemas.ts';
import { conversationFor } from '../domain/access.ts';
import { statusOf } from '../domain/cobrowse.ts';
import { controlStatusOf } from '../domain/control.ts';
import type { HelpDesk } from '../domain/help-desk.ts';
import { hashToken } from '../domain/secrets.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { chatHandlers } from './chat-handlers.ts';
import { visitorCobrowseHandlers } from './cobrowse-handlers.ts';
import type { FollowNamespace } from './follow-namespace.ts';
import { handler } from './handler.ts';
import type { Publisher } from './publisher.ts';
import { rooms } from './rooms.ts';
import type { AgentNamespace, VisitorNamespace } from './types.ts';

export function setUpVisitorNamespace(deps: {
  desk: HelpDesk;
  visitors: VisitorNamespace;
  agents: AgentNamespace;
  follow: FollowNamespace;
  publisher: Publisher;
  sendLimiter: RateLimiter;
  changeLimiter: RateLimiter;
}): void {
  const { desk, visitors, publisher } = deps;

  visitors.use(async (socket, next) => {
    const token: unknown = (socket.handshake.auth as Partial<VisitorAuth>).token;
    const record =
      typeof token === 'string' && token.length <= 128
        ? await desk.store.findConversationByTokenHash(hashToken(token))
        : undefined;
    if (!record) {
      next(new Error('unauthorized: unknown or missing visitor token'));
      return;
    }
    socket.data.conversationId = record.id;
    socket.data.name = record.visitor.name || 'Visitor';
    next();
  });

  visitors.on('connection', async (socket) => {
    const conversationId = socket.data.conversationId;
    // The name the site gave through identify(), so helpers and transcripts show who wrote.
    const actor = { kind: 'visitor' as const, conversationId, name: socket.data.name };
    const chat = chatHandlers(
      actor,
      { limiter: deps.sendLimiter, key: socket.id },
      { ...deps, onQueuePreview: () => void publisher.publish(queueOnly) },
    );
    socket.on('chat:send', chat.send);
    socket.on('chat:typing', chat.typing);
    socket.on('chat:read', chat.read);
    socket.on('chat:history', chat.history);

    const end: (payload: unknown, ack?: AckCallback<VisitorConversation>) => void = handler(
      'conversation:end',
      conversationRefSchema,
      async ({ conversationId: id }) => {
        await conversationFor(desk.store, actor, id, 'read');
        const ended = await desk.end(id);
        return publisher.visitorView(ended);
      },
    );
    socket.on('conversation:end', end);
    const cobrowse = visitorCobrowseHandlers({ ...deps, store: desk.store }, actor, {
      limiter: deps.changeLimiter,
      key: socket.id,
    });
    socket.on('cobrowse:change', cobrowse.change);
    socket.on('cobrowse:stop', cobrowse.stop);
    socket.on('control:answer', cobrowse.answer);
    socket.on(
      'conversation:page',
      handler('conversation:page', pageSchema, async ({ conversationId: id, url, title }) => {
        await conversationFor(desk.store, actor, id, 'write');
        await desk.reportPage(id, { url, title });
        return null;
      }),
    );

    // Listeners are in place before the first await: a client may emit as soon as it connects.
    await socket.join(rooms.conversation(conversationId));
    const record = await desk.store.getConversation(conversationId);
    if (record) {
      const position = (await publisher.queue()).findIndex((c) => c.id === record.id) + 1;
      socket.emit(
        'conversation:updated',
        await publisher.visitorView(record, position || undefined),
      );
      // A reload of a followed page resumes sending at once.
      socket.emit('cobrowse:status', statusOf(record));
      socket.emit('control:status', controlStatusOf(record));
    }
  });
}

const queueOnly = { conversations: [], helpers: [], queueChanged: true };
