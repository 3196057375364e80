/** `/agent`: the helpers' page. The handshake carries the session cookie. */
import {
  availabilitySchema,
  conversationRefSchema,
  joinByCodeSchema,
} from '../../protocol/schemas.ts';
import { conversationFor, helperActor } from '../domain/access.ts';
import { DeskError } from '../domain/desk-error.ts';
import type { FollowTokens } from '../domain/follow-tokens.ts';
import type { HelpDesk } from '../domain/help-desk.ts';
import { helperForSession } from '../domain/sessions.ts';
import { readCookie, SESSION_COOKIE } from '../http/cookies.ts';
import type { OriginPolicy } from '../http/origins.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { chatHandlers } from './chat-handlers.ts';
import { agentCobrowseHandlers } from './cobrowse-handlers.ts';
import type { FollowNamespace } from './follow-namespace.ts';
import { handler } from './handler.ts';
import type { Publisher } from './publisher.ts';
import { rooms } from './rooms.ts';
import type { AgentNamespace, VisitorNamespace } from './types.ts';

export function setUpAgentNamespace(deps: {
  desk: HelpDesk;
  visitors: VisitorNamespace;
  agents: AgentNamespace;
  publisher: Publisher;
  origins: OriginPolicy;
  sendLimiter: RateLimiter;
  joinCodeLimiter: RateLimiter;
  follow: FollowNamespace;
  tokens: FollowTokens;
}): void {
  const { desk, agents, publisher } = deps;
  const store = desk.store;

  agents.use(async (socket, next) => {
    // Agent pages are served by this server: refuse any other origin even if it may embed.
    const origin = socket.handshake.headers.origin;
    if (origin && !deps.origins.isOwn(origin)) {
      next(new Error('forbidden: the agent page must be opened from this server'));
      return;
    }
    const found = await helperForSession(
      store,
      readCookie(socket.handshake.headers.cookie, SESSION_COOKIE),
    );
    if (!found) {
      next(new Error('unauthorized: sign in first'));
      return;
    }
    socket.data.helper = found.helper;
    socket.data.sessionHash = found.tokenHash;
    next();
  });

  agents.on('connection', async (socket) => {
    const { helper, sessionHash } = socket.data;
    const actor = helperActor(helper);
    // Authorisation per event: a signed-out session stops working at once.
    const guard = async () =>
      (await store.getSession(sessionHash))
        ? undefined
        : new DeskError('unauthorized', 'your session has ended; sign in again');

    const chat = chatHandlers(
      actor,
      { limiter: deps.sendLimiter, key: socket.id },
      {
        ...deps,
        guard,
        onQueuePreview: () => void publisher.publish(queueOnly),
      },
    );
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
          await desk.setAvailability(helper.id, payload);
          return desk.helperStatus(helper);
        },
        guard,
      ),
    );

    socket.on(
      'conversation:accept',
      handler(
        'conversation:accept',
        conversationRefSchema,
        async ({ conversationId }) => publisher.summary(await desk.accept(helper, conversationId)),
        guard,
      ),
    );

    socket.on(
      'conversation:end',
      handler(
        'conversation:end',
        conversationRefSchema,
        async ({ conversationId }) => {
          await conversationFor(store, actor, conversationId, 'write');
          return publisher.summary(await desk.end(conversationId));
        },
        guard,
      ),
    );

    const joinGuard = async () => {
      const refused = await guard();
      if (refused) return refused;
      if (deps.joinCodeLimiter.take(helper.id)) return undefined;
      const seconds = Math.ceil(deps.joinCodeLimiter.retryAfterMs(helper.id) / 1000);
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
        async ({ code }) => publisher.summary(await desk.joinByCode(helper, code)),
        joinGuard,
      ),
    );

    const cobrowse = agentCobrowseHandlers({ ...deps, store }, helper, guard);
    socket.on('cobrowse:start', cobrowse.start);
    socket.on('cobrowse:stop', cobrowse.stop);
    socket.on('cobrowse:refresh', cobrowse.refresh);
    socket.on('cobrowse:point', cobrowse.point);
    socket.on('control:request', cobrowse.request);

    // Presence counts only sockets that were counted in; one may drop during the awaits below.
    let counted = false;
    socket.on('disconnect', () => {
      if (counted) desk.helperDisconnected(helper.id);
    });

    // Listeners are in place before the first await: a client may emit as soon as it connects.
    const mine = (await store.listConversations(['assigned'])).filter(
      (c) => c.helperId === helper.id,
    );
    await socket.join([
      rooms.helper(helper.id),
      rooms.session(sessionHash),
      ...mine.map((c) => rooms.conversation(c.id)),
    ]);

    socket.emit('helper:status', await desk.helperStatus(helper));
    socket.emit('queue:updated', { waiting: await publisher.queue() });
    for (const record of mine) socket.emit('conversation:updated', await publisher.summary(record));
    if (socket.disconnected) return;
    counted = true;
    await desk.helperConnected(helper.id);
  });
}

const queueOnly = { conversations: [], helpers: [], queueChanged: true };
