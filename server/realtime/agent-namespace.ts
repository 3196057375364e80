/** `/agent`: the helpers' page. The handshake carries the session cookie. */

import type { AgentClientEvents } from '../../protocol/events.ts';
import {
  availabilitySchema,
  cannedDeleteSchema,
  cannedSaveSchema,
  conversationRefSchema,
  earlierMessagesSchema,
  findByUserSchema,
  joinByCodeSchema,
  noPayloadSchema,
  transferSchema,
} from '../../protocol/schemas.ts';
import type { HelpDesk } from '../desk/desk.ts';
import type { Sessions } from '../desk/sessions.ts';
import type { HelperActor } from '../domain/conversation-types.ts';
import { DeskError } from '../domain/desk-error.ts';
import { cobrowseStatusView, controlStatusView, mirrorStatusView } from '../domain/views.ts';
import { readCookie, SESSION_COOKIE } from '../http/cookies.ts';
import type { OriginPolicy } from '../http/origins.ts';
import type { Outcome, RateLimiter } from '../rate-limit.ts';
import { chatHandlers } from './chat-handlers.ts';
import { agentCobrowseHandlers } from './cobrowse-handlers.ts';
import { dispatcher, type Guard, type HandlerTable, handler } from './handler.ts';
import { agentMirrorHandlers } from './mirror-handlers.ts';
import type { Publisher } from './publisher.ts';
import { rooms } from './rooms.ts';
import type { AgentNamespace, AgentSocket } from './types.ts';

interface AgentContext {
  actor: HelperActor;
  sessionHash: string;
}

export function setUpAgentNamespace(deps: {
  desk: HelpDesk;
  sessions: Sessions;
  agents: AgentNamespace;
  publisher: Publisher;
  origins: OriginPolicy;
  sendLimiter: RateLimiter;
  joinCodeLimiter: RateLimiter;
  /** Wrong join codes from every helper together. */
  wrongJoinCodeLimiter: RateLimiter;
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

  const guard: Guard<AgentContext> = async ({ sessionHash, actor }) => {
    // Authorisation per event: a signed-out session or a removed account stops at once.
    const helper = await desk.sessionHelper(sessionHash, actor.helperId);
    return helper instanceof DeskError ? helper : undefined;
  };
  // A helper's messages count per helper, across their pages and reconnects.
  const sendGuard: Guard<AgentContext> = async (context) => {
    const refused = await guard(context);
    if (refused) return refused;
    const bucket = await deps.sendLimiter.take(context.actor.helperId);
    if (bucket.ok) return undefined;
    const seconds = Math.ceil(bucket.retryAfterMs / 1000);
    return new DeskError('rate_limited', `sending too fast; wait ${seconds} s`);
  };
  const joinGuard: Guard<AgentContext> = async (context) => {
    const refused = await guard(context);
    if (refused) return refused;
    const bucket = await deps.joinCodeLimiter.take(context.actor.helperId);
    if (bucket.ok) return undefined;
    const seconds = Math.ceil(bucket.retryAfterMs / 1000);
    return new DeskError('rate_limited', `too many join-code attempts; try again in ${seconds} s`);
  };
  const summaryAfter =
    (command: Parameters<HelpDesk['run']>[1]) =>
    async ({ actor }: AgentContext, { conversationId }: { conversationId: string }) =>
      publisher.summary((await desk.run(conversationId, command, actor)).record);

  const table: HandlerTable<AgentClientEvents, AgentContext> = {
    ...chatHandlers<AgentContext>(desk, guard, sendGuard),
    ...agentCobrowseHandlers<AgentContext>(desk, guard),
    ...agentMirrorHandlers<AgentContext>(desk, guard),
    'helper:availability': handler(
      'helper:availability',
      availabilitySchema,
      async ({ actor }: AgentContext, payload) => {
        await desk.setAvailability(actor.helperId, payload);
        return desk.helperStatus({ id: actor.helperId, name: actor.name });
      },
      guard,
    ),
    'conversation:accept': handler(
      'conversation:accept',
      conversationRefSchema,
      summaryAfter({ type: 'accept' }),
      guard,
    ),
    'conversation:end': handler(
      'conversation:end',
      conversationRefSchema,
      summaryAfter({ type: 'end' }),
      guard,
    ),
    'conversation:find-by-user': handler(
      'conversation:find-by-user',
      findByUserSchema,
      async (_context: AgentContext, { userId }) => ({
        conversations: await Promise.all(
          (await desk.findByUser(userId)).map((record) => publisher.summary(record)),
        ),
      }),
      // What it finds carries the join code: it counts as a join attempt.
      joinGuard,
    ),
    'visitor:earlier': handler(
      'visitor:earlier',
      conversationRefSchema,
      async ({ actor }: AgentContext, { conversationId }) => ({
        conversations: await desk.earlierConversations(actor, conversationId),
      }),
      guard,
    ),
    'visitor:earlier-messages': handler(
      'visitor:earlier-messages',
      earlierMessagesSchema,
      async ({ actor }: AgentContext, { conversationId, earlierId }) => ({
        messages: await desk.earlierMessages(actor, conversationId, earlierId),
      }),
      guard,
    ),
    'canned:list': handler(
      'canned:list',
      noPayloadSchema,
      async () => ({ replies: await desk.cannedReplies() }),
      guard,
    ),
    'canned:save': handler(
      'canned:save',
      cannedSaveSchema,
      async ({ actor }: AgentContext, payload) => desk.saveCannedReply(actor, payload),
      guard,
    ),
    'canned:delete': handler(
      'canned:delete',
      cannedDeleteSchema,
      async (_context: AgentContext, { id }) => {
        await desk.deleteCannedReply(id);
        return null;
      },
      guard,
    ),
    'helper:colleagues': handler(
      'helper:colleagues',
      noPayloadSchema,
      async ({ actor }: AgentContext) => ({ helpers: await desk.colleagues(actor.helperId) }),
      guard,
    ),
    'conversation:transfer': handler(
      'conversation:transfer',
      transferSchema,
      async ({ actor }: AgentContext, { conversationId, to, note }) =>
        publisher.summary(
          (await desk.transfer(actor, conversationId, to, note || undefined)).record,
        ),
      guard,
    ),
    'conversation:join-by-code': handler(
      'conversation:join-by-code',
      joinByCodeSchema,
      async ({ actor }: AgentContext, { code, takeOver }) => {
        // Only a wrong code keeps its token: the desk-wide limit counts guesses, not joins.
        const wrong = (o: Outcome<unknown>) =>
          !o.ok && o.error instanceof DeskError && o.error.code === 'not_found';
        const joined = await deps.wrongJoinCodeLimiter.paidFor(
          'all',
          () => desk.joinByCode(actor, code, takeOver === true),
          (outcome) => !wrong(outcome),
        );
        if (!joined.ok) {
          const seconds = Math.ceil(joined.retryAfterMs / 1000);
          throw new DeskError(
            'rate_limited',
            `too many wrong join codes on this desk; try again in ${seconds} s`,
          );
        }
        return publisher.summary(joined.value.record);
      },
      joinGuard,
    ),
  };
  const dispatch = dispatcher(
    table,
    (socket: AgentSocket): AgentContext => ({
      actor: { kind: 'helper', helperId: socket.data.helperId, name: socket.data.name },
      sessionHash: sessionOf.get(socket) ?? '',
    }),
  );

  agents.on('connection', async (socket) => {
    const { helperId, name } = socket.data;
    const sessionHash = sessionOf.get(socket) ?? '';
    socket.onAny(dispatch);

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
    for (const record of mine) {
      socket.emit('conversation:updated', await publisher.summary(record));
      // A reloaded agent page picks up a share where it was, and control as the server has
      // it: the page keeps no memory of its own across a reload or a dropped connection.
      if (record.mirror) socket.emit('mirror:status', mirrorStatusView(record));
      if (record.following) socket.emit('cobrowse:status', cobrowseStatusView(record));
      socket.emit('control:status', controlStatusView(record));
    }
    if (socket.disconnected) return;
    counted = true;
    await desk.helperConnected(helperId, socket.id);
  });
}
