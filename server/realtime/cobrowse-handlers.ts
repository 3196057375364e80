/** Follow-mode events on the visitor and agent namespaces. */
import type { CobrowseStatus, ControlStatus } from '../../protocol/cobrowse.ts';
import {
  cobrowseChangeSchema,
  controlAnswerSchema,
  pointSchema,
} from '../../protocol/cobrowse-schemas.ts';
import { conversationRefSchema } from '../../protocol/schemas.ts';
import { type Actor, helperActor } from '../domain/access.ts';
import {
  conversationFollowedBy,
  recordChange,
  startFollowing,
  statusOf,
  stopFollowing,
} from '../domain/cobrowse.ts';
import { answerControl, controlStatusOf, requestControl } from '../domain/control.ts';
import { DeskError } from '../domain/desk-error.ts';
import type { FollowTokens } from '../domain/follow-tokens.ts';
import type { RateLimiter } from '../rate-limit.ts';
import type { HelperAccount, Store } from '../store/store.ts';
import { type FollowNamespace, relayChange, relayStatus } from './follow-namespace.ts';
import { handler } from './handler.ts';
import { rooms } from './rooms.ts';
import type { AgentNamespace, VisitorNamespace } from './types.ts';

export interface CobrowseDeps {
  store: Store;
  visitors: VisitorNamespace;
  agents: AgentNamespace;
  follow: FollowNamespace;
}

/** Tells the visitor's widget, the helper's page and the copies. */
export function announce(deps: CobrowseDeps, status: CobrowseStatus): void {
  const room = rooms.conversation(status.conversationId);
  deps.visitors.to(room).emit('cobrowse:status', status);
  deps.agents.to(room).emit('cobrowse:status', status);
  relayStatus(deps.follow, status);
}

export function announceControl(deps: CobrowseDeps, status: ControlStatus): void {
  const room = rooms.conversation(status.conversationId);
  deps.visitors.to(room).emit('control:status', status);
  deps.agents.to(room).emit('control:status', status);
  deps.follow.to(room).emit('control:status', status);
}

export function visitorCobrowseHandlers(
  deps: CobrowseDeps,
  actor: Actor,
  changeLimit: { limiter: RateLimiter; key: string },
) {
  const limitGuard = async () =>
    changeLimit.limiter.take(changeLimit.key)
      ? undefined
      : new DeskError('rate_limited', 'too many page changes at once');
  return {
    change: handler(
      'cobrowse:change',
      cobrowseChangeSchema,
      async (payload) => {
        const stored = await recordChange(deps.store, actor, payload);
        relayChange(deps.follow, payload.conversationId, stored);
        if (stored.type === 'resize' || stored.type === 'focus') {
          deps.agents
            .to(rooms.conversation(payload.conversationId))
            .emit('cobrowse:change', { ...stored, conversationId: payload.conversationId });
        }
        return null;
      },
      limitGuard,
    ),
    stop: handler('cobrowse:stop', conversationRefSchema, async ({ conversationId }) => {
      const record = await stopFollowing(deps.store, actor, conversationId);
      announce(deps, statusOf(record));
      announceControl(deps, controlStatusOf(record));
      return statusOf(record);
    }),
    answer: handler('control:answer', controlAnswerSchema, async ({ conversationId, allow }) => {
      const status = controlStatusOf(await answerControl(deps.store, actor, conversationId, allow));
      announceControl(deps, status);
      return status;
    }),
  };
}

export function agentCobrowseHandlers(
  deps: CobrowseDeps & { tokens: FollowTokens },
  helper: HelperAccount,
  guard: () => Promise<DeskError | undefined>,
) {
  const actor = helperActor(helper);
  return {
    start: handler(
      'cobrowse:start',
      conversationRefSchema,
      async ({ conversationId }) => {
        const record = await startFollowing(deps.store, helper, conversationId);
        announce(deps, statusOf(record));
        const { token, expiresAt } = deps.tokens.issue(record.id, helper.id);
        return {
          conversationId: record.id,
          token,
          expiresAt: expiresAt.toISOString(),
          state: await deps.store.getCobrowseState(record.id),
        };
      },
      guard,
    ),
    stop: handler(
      'cobrowse:stop',
      conversationRefSchema,
      async ({ conversationId }) => {
        const record = await stopFollowing(deps.store, actor, conversationId);
        announce(deps, statusOf(record));
        announceControl(deps, controlStatusOf(record));
        return statusOf(record);
      },
      guard,
    ),
    request: handler(
      'control:request',
      conversationRefSchema,
      async ({ conversationId }) => {
        const status = controlStatusOf(await requestControl(deps.store, helper, conversationId));
        announceControl(deps, status);
        return status;
      },
      guard,
    ),
    refresh: handler(
      'cobrowse:refresh',
      conversationRefSchema,
      async ({ conversationId }) => {
        await conversationFollowedBy(deps.store, helper, conversationId);
        deps.visitors
          .to(rooms.conversation(conversationId))
          .emit('cobrowse:refresh', { conversationId });
        return null;
      },
      guard,
    ),
    point: handler(
      'cobrowse:point',
      pointSchema,
      async ({ conversationId, path }) => {
        await conversationFollowedBy(deps.store, helper, conversationId);
        deps.visitors
          .to(rooms.conversation(conversationId))
          .emit('cobrowse:point', { conversationId, path });
        return null;
      },
      guard,
    ),
  };
}
