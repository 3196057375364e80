/** Follow-mode events on the visitor and agent namespaces: parse, ask the desk, answer. */
import {
  cobrowseChangeSchema,
  controlAnswerSchema,
  pointSchema,
} from '../../protocol/cobrowse-schemas.ts';
import { conversationRefSchema } from '../../protocol/schemas.ts';
import type { Actor, HelperActor } from '../domain/conversation-types.ts';
import { DeskError } from '../domain/desk-error.ts';
import { cobrowseStatusView, controlStatusView } from '../domain/views.ts';
import type { HelpDesk } from '../desk/desk.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { type Guard, handler } from './handler.ts';

/** "Stop sharing" / "Stop following": either side. */
function stopHandler(desk: HelpDesk, actor: Actor, guard?: Guard) {
  return handler(
    'cobrowse:stop',
    conversationRefSchema,
    async ({ conversationId }) =>
      cobrowseStatusView((await desk.run(conversationId, { type: 'follow-stop' }, actor)).record),
    guard,
  );
}

export function visitorCobrowseHandlers(
  desk: HelpDesk,
  actor: Actor,
  changeLimit: { limiter: RateLimiter; key: string },
) {
  const limitGuard: Guard = async () =>
    (await changeLimit.limiter.take(changeLimit.key)).ok
      ? undefined
      : new DeskError('rate_limited', 'too many page changes at once');
  return {
    change: handler(
      'cobrowse:change',
      cobrowseChangeSchema,
      async ({ conversationId, ...change }) => {
        await desk.run(conversationId, { type: 'page-change', change }, actor);
        return null;
      },
      limitGuard,
    ),
    stop: stopHandler(desk, actor),
    answer: handler('control:answer', controlAnswerSchema, async ({ conversationId, allow }) =>
      controlStatusView(
        (await desk.run(conversationId, { type: 'control-answer', allow }, actor)).record,
      ),
    ),
  };
}

export function agentCobrowseHandlers(desk: HelpDesk, actor: HelperActor, guard: Guard) {
  return {
    start: handler(
      'cobrowse:start',
      conversationRefSchema,
      ({ conversationId }) => desk.startFollowing(actor, conversationId),
      guard,
    ),
    stop: stopHandler(desk, actor, guard),
    request: handler(
      'control:request',
      conversationRefSchema,
      async ({ conversationId }) =>
        controlStatusView(
          (await desk.run(conversationId, { type: 'control-request' }, actor)).record,
        ),
      guard,
    ),
    refresh: handler(
      'cobrowse:refresh',
      conversationRefSchema,
      async ({ conversationId }) => {
        await desk.run(conversationId, { type: 'refresh' }, actor);
        return null;
      },
      guard,
    ),
    point: handler(
      'cobrowse:point',
      pointSchema,
      async ({ conversationId, path }) => {
        await desk.run(conversationId, { type: 'point', path }, actor);
        return null;
      },
      guard,
    ),
  };
}
