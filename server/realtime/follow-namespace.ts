/**
 * `/follow`: the helper's copy of the visitor's page. It joins with a follow token (single
 * use, bound to one follow grant), gets the current state at once, then every change the
 * visitor's page makes. It sends only while the visitor has granted control, checked against
 * the current conversation on every change. When the grant closes, the copy is cut off.
 */
import { controlChangeSchema } from '../../protocol/cobrowse-schemas.ts';
import type { FollowAuth, FollowClientEvents } from '../../protocol/events.ts';
import type { HelpDesk } from '../desk/desk.ts';
import type { FollowerActor } from '../domain/conversation-types.ts';
import { DeskError } from '../domain/desk-error.ts';
import { controlStatusView } from '../domain/views.ts';
import { dispatcher, type HandlerTable, handler } from './handler.ts';
import { rooms } from './rooms.ts';
import type { FollowNamespace, FollowSocket } from './types.ts';

interface FollowContext {
  actor: FollowerActor;
  conversationId: string;
}

export function setUpFollowNamespace(desk: HelpDesk, follow: FollowNamespace): void {
  const table: HandlerTable<FollowClientEvents, FollowContext> = {
    'control:change': handler(
      'control:change',
      controlChangeSchema,
      async ({ actor, conversationId }: FollowContext, { conversationId: _ignored, ...change }) => {
        await desk.run(conversationId, { type: 'control-change', change }, actor);
        return null;
      },
      async ({ actor }) =>
        (await desk.helperExists(actor.helperId))
          ? undefined
          : new DeskError('unauthorized', 'this helper account no longer exists'),
    ),
  };
  const dispatch = dispatcher(
    table,
    (socket: FollowSocket): FollowContext => ({
      actor: { kind: 'follower', helperId: socket.data.helperId, grantId: socket.data.grantId },
      conversationId: socket.data.conversationId,
    }),
  );

  follow.use(async (socket, next) => {
    const token: unknown = (socket.handshake.auth as Partial<FollowAuth>).token;
    const grant =
      typeof token === 'string' && token.length <= 128 ? await desk.joinFollow(token) : undefined;
    if (!grant) {
      next(new Error('unauthorized: unknown, used or expired follow token'));
      return;
    }
    socket.data.conversationId = grant.record.id;
    socket.data.helperId = grant.actor.helperId;
    socket.data.grantId = grant.actor.grantId;
    next();
  });

  follow.on('connection', async (socket) => {
    const { conversationId, grantId } = socket.data;
    socket.onAny(dispatch);
    await socket.join(rooms.grant(grantId));
    // The grant may have closed while this copy was joining: then it is cut off now.
    const record = await desk.getConversation(conversationId);
    if (record?.following?.grantId !== grantId) {
      socket.disconnect(true);
      return;
    }
    // Read after joining the room: a change made meanwhile arrives, at worst, twice.
    socket.emit('cobrowse:state', { changes: await desk.followState(conversationId) });
    socket.emit('control:status', controlStatusView(record));
  });
}
