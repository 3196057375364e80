/**
 * `/follow`: the helper's copy of the visitor's page. It joins with a follow token (single
 * use, bound to the conversation and helper), gets the current state at once, then every
 * change the visitor's page makes. It sends nothing: the copy is read-only.
 */
import type { Namespace } from 'socket.io';
import type { CobrowseStatus, StoredChange } from '../../protocol/cobrowse.ts';
import { controlChangeSchema } from '../../protocol/cobrowse-schemas.ts';
import type { FollowAuth, FollowClientEvents, FollowServerEvents } from '../../protocol/events.ts';
import { checkControl, controlStatusOf } from '../domain/control.ts';
import type { FollowTokens } from '../domain/follow-tokens.ts';
import type { Store } from '../store/store.ts';
import { handler } from './handler.ts';
import { rooms } from './rooms.ts';
import type { VisitorNamespace } from './types.ts';

export interface FollowSocketData {
  conversationId: string;
  helperId: string;
}

export type FollowNamespace = Namespace<
  FollowClientEvents,
  FollowServerEvents,
  Record<string, never>,
  FollowSocketData
>;

export function setUpFollowNamespace(deps: {
  follow: FollowNamespace;
  visitors: VisitorNamespace;
  store: Store;
  tokens: FollowTokens;
}): void {
  const { follow, store, tokens } = deps;

  follow.use(async (socket, next) => {
    const token: unknown = (socket.handshake.auth as Partial<FollowAuth>).token;
    const grant =
      typeof token === 'string' && token.length <= 128 ? tokens.redeem(token) : undefined;
    const record = grant && (await store.getConversation(grant.conversationId));
    if (!grant || record?.following?.helperId !== grant.helperId) {
      next(new Error('unauthorized: unknown, used or expired follow token'));
      return;
    }
    socket.data.conversationId = grant.conversationId;
    socket.data.helperId = grant.helperId;
    next();
  });

  follow.on('connection', async (socket) => {
    const { conversationId, helperId } = socket.data;
    // The copy sends only while the visitor has granted control; checked on every change.
    socket.on(
      'control:change',
      handler('control:change', controlChangeSchema, async (payload) => {
        const { conversationId: _ignored, ...change } = payload;
        await checkControl(store, conversationId, helperId, change);
        deps.visitors
          .to(rooms.conversation(conversationId))
          .emit('control:apply', { ...change, conversationId });
        return null;
      }),
    );
    await socket.join(rooms.conversation(conversationId));
    socket.emit('cobrowse:state', { changes: await store.getCobrowseState(conversationId) });
    const record = await store.getConversation(conversationId);
    if (record) socket.emit('control:status', controlStatusOf(record));
  });
}

/** Relays one change to every copy following the conversation. */
export function relayChange(
  follow: FollowNamespace,
  conversationId: string,
  change: StoredChange,
): void {
  follow.to(rooms.conversation(conversationId)).emit('cobrowse:change', change);
}

export function relayStatus(follow: FollowNamespace, status: CobrowseStatus): void {
  // The copy closes its own connection when told follow mode ended.
  follow.to(rooms.conversation(status.conversationId)).emit('cobrowse:status', status);
}
