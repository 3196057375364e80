/** `/agent`: the helpers' page. The handshake carries the session cookie. */
import {
  availabilitySchema,
  conversationRefSchema,
  joinByCodeSchema,
  transferSchema,
} from '../../protocol/schemas.ts';
import type { HelperActor } from '../domain/conversation-types.ts';
import { DeskError } from '../domain/desk-error.ts';
import type { HelpDesk } from '../desk/desk.ts';
import type { Sessions } from '../desk/sessions.ts';
import { readCookie, SESSION_COOKIE } from '../http/cookies.ts';
import type { OriginPolicy } from '../http/origins.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { chatHandlers } from './chat-handlers.ts';
import { agentCobrowseHandlers } from './cobrowse-handlers.ts';
import { type Guard, handler } from './handler.ts';
import type { Publisher } from './publisher.ts';
import { rooms } from './rooms.ts';
import type { AgentNamespace, AgentSocket } from './types.ts';

export function setUpAgentNamespace(deps: {
  desk: HelpDesk;
  sessions: Sessions;
  agents: AgentNamespace;
  publisher: Publisher;
  origins: OriginPolicy;
  sendLimiter: RateLimiter;
  joinCodeLimiter: RateLimiter;
}): void {
  const { desk, agents, publisher } = deps;
  // The session hash is kept here, not in socket data: it never travels between processes.
  const sessionOf = new WeakMap<AgentSocket, string>();

  agents.use(async (socket, next) => {
    // Agent pages are served by this server: refuse any other origin even if it may embed.
    const origin = socket.handshake.headers.origin;
    if (origin && !deps.origins.isOwn(origin)) {
      next(new Error('forbidden: the agent page must be opened from this server'));
      return;
    }
    const found = await deps.sessions.helperFor(
      readCookie(socket.handshake.headers.cookie, SESSION_COOKIE),
    );
    if (!found) {
      next(new Error('unauthorized: sign in first'));
      return;
    }
    socket.data.helperId = found.helper.id;
    socket.data.name = found.helper.name;
    sessionOf.set(socket, found.tokenHash);
    next();
  });

  agents.on('connection', async (socket) => {
    const { helperId, name } = socket.data;
    const sessionHash = sessionOf.get(socket) ?? '';
    const actor: HelperActor = { kind: 'helper', helperId, name };
    // Authorisation per event: a signed-out session or a removed account stops at once.
    const guard: Guard = async () => {
      const helper = await desk.sessionHelper(sessionHash, helperId);
      return helper instanceof DeskError ? helper : undefined;
    };

    const chat = chatHandlers(desk, actor, { limiter: deps.sendLimiter, key: socket.id }, guard);
    socket.on('chat:send', chat.send);
    socket.on('chat:typing', chat.typing);
    socket.on('chat:read', chat.read);
    socket.on('chat:history', chat.history);

    socket.on(
      'helper:availability',
      handler(
        'helper:availability',
        availabilitySchema,
        async (payload) => {
          await desk.setAvailability(helperId, payload);
          return desk.helperStatus({ id: helperId, name });
        },
        guard,
      ),
    );

    const summaryAfter =
      (command: Parameters<HelpDesk['run']>[1]) =>
      async ({ conversationId }: { conversationId: string }) =>
        publisher.summary((await desk.run(conversationId, command, actor)).record);
    socket.on(
      'conversation:accept',
      handler(
        'conversation:accept',
        conversationRefSchema,
        summaryAfter({ type: 'accept' }),
        guard,
      ),
    );
    socket.on(
      'conversation:end',
      handler('conversation:end', conversationRefSchema, summaryAfter({ type: 'end' }), guard),
    );
    socket.on(
      'conversation:transfer',
      handler(
        'conversation:transfer',
        transferSchema,
        async ({ conversationId, to }) =>
          publisher.summary((await desk.transfer(actor, conversationId, to)).record),
        guard,
      ),
    );

    const joinGuard: Guard = async () => {
      const refused = await guard();
      if (refused) return refused;
      const bucket = await deps.joinCodeLimiter.take(helperId);
      if (bucket.ok) return undefined;
      const seconds = Math.ceil(bucket.retryAfterMs / 1000);
      return new DeskError(
        'rate_limited',
        `too many join-code attempts; try again in ${seconds} s`,
      );
    };
    socket.on(
      'conversation:join-by-code',
      handler(
        'conversation:join-by-code',
        joinByCodeSchema,
        async ({ code, takeOver }) =>
          publisher.summary((await desk.joinByCode(actor, code, takeOver === true)).record),
        joinGuard,
      ),
    );

    const cobrowse = agentCobrowseHandlers(desk, actor, guard);
    socket.on('cobrowse:start', cobrowse.start);
    socket.on('cobrowse:stop', cobrowse.stop);
    socket.on('cobrowse:refresh', cobrowse.refresh);
    socket.on('cobrowse:point', cobrowse.point);
    socket.on('control:request', cobrowse.request);

    // Presence counts only sockets that were counted in; one may drop during the awaits below.
    let counted = false;
    socket.on('disconnect', () => {
      if (counted) {
        desk
          .helperDisconnected(helperId, socket.id)
          .catch((error: unknown) => console.error('helper disconnect failed', error));
      }
    });

    // Listeners are in place before the first await: a client may emit as soon as it connects.
    const mine = (await desk.openConversations()).filter(
      (c) => c.status === 'assigned' && c.helperId === helperId,
    );
    await socket.join([
      rooms.helper(helperId),
      rooms.session(sessionHash),
      ...mine.map((c) => rooms.conversation(c.id)),
    ]);

    socket.emit('helper:status', await desk.helperStatus({ id: helperId, name }));
    socket.emit('queue:updated', { waiting: await publisher.queue() });
    for (const record of mine) socket.emit('conversation:updated', await publisher.summary(record));
    if (socket.disconnected) return;
    counted = true;
    await desk.helperConnected(helperId, socket.id);
  });
}
