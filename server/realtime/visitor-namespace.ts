/** `/visitor`: the widget. The handshake carries the visitor token from the help request. */
import type { VisitorAuth } from '../../protocol/events.ts';
import { conversationRefSchema, pageSchema } from '../../protocol/schemas.ts';
import { cobrowseStatusView, controlStatusView } from '../domain/views.ts';
import type { HelpDesk } from '../desk/desk.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { chatHandlers } from './chat-handlers.ts';
import { visitorCobrowseHandlers } from './cobrowse-handlers.ts';
import { handler } from './handler.ts';
import type { Publisher } from './publisher.ts';
import { rooms } from './rooms.ts';
import type { VisitorNamespace } from './types.ts';

export function setUpVisitorNamespace(deps: {
  desk: HelpDesk;
  visitors: VisitorNamespace;
  publisher: Publisher;
  sendLimiter: RateLimiter;
  changeLimiter: RateLimiter;
}): void {
  const { desk, visitors, publisher } = deps;

  visitors.use(async (socket, next) => {
    const token: unknown = (socket.handshake.auth as Partial<VisitorAuth>).token;
    const found =
      typeof token === 'string' && token.length <= 128 ? await desk.visitorFor(token) : undefined;
    if (!found) {
      next(new Error('unauthorized: unknown or missing visitor token'));
      return;
    }
    socket.data.conversationId = found.actor.conversationId;
    // The name the site gave through identify(), so helpers and transcripts show who wrote.
    socket.data.name = found.actor.name;
    next();
  });

  visitors.on('connection', async (socket) => {
    const { conversationId, name } = socket.data;
    const actor = { kind: 'visitor', conversationId, name } as const;
    const chat = chatHandlers(desk, actor, { limiter: deps.sendLimiter, key: socket.id });
    socket.on('chat:send', chat.send);
    socket.on('chat:typing', chat.typing);
    socket.on('chat:read', chat.read);
    socket.on('chat:history', chat.history);
    socket.on(
      'conversation:end',
      handler('conversation:end', conversationRefSchema, async ({ conversationId: id }) =>
        publisher.visitorView((await desk.run(id, { type: 'end' }, actor)).record),
      ),
    );
    const cobrowse = visitorCobrowseHandlers(desk, actor, {
      limiter: deps.changeLimiter,
      key: socket.id,
    });
    socket.on('cobrowse:change', cobrowse.change);
    socket.on('cobrowse:stop', cobrowse.stop);
    socket.on('control:answer', cobrowse.answer);
    socket.on(
      'conversation:page',
      handler('conversation:page', pageSchema, async ({ conversationId: id, url, title }) => {
        await desk.run(id, { type: 'report-page', url, title }, actor);
        return null;
      }),
    );

    // Listeners are in place before the first await: a client may emit as soon as it connects.
    await socket.join(rooms.conversation(conversationId));
    const record = await desk.getConversation(conversationId);
    if (record) {
      socket.emit(
        'conversation:updated',
        await publisher.visitorView(record, await publisher.position(record)),
      );
      // A reload of a followed page resumes sending at once.
      socket.emit('cobrowse:status', cobrowseStatusView(record));
      socket.emit('control:status', controlStatusView(record));
    }
  });
}
