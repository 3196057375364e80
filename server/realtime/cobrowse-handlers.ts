/** Follow-mode events on the visitor and agent namespaces: parse, ask the desk, answer. */
import {
  cobrowseChangeSchema,
  controlAnswerSchema,
  pointSchema,
} from '../../protocol/cobrowse-schemas.ts';
import { conversationRefSchema } from '../../protocol/schemas.ts';
import type { HelpDesk } from '../desk/desk.ts';
import type { HelperActor } from '../domain/conversation-types.ts';
import { cobrowseStatusView, controlStatusView } from '../domain/views.ts';
import type { SocketContext } from './chat-handlers.ts';
import { type Guard, handler } from './handler.ts';

/** "Stop sharing" / "Stop following": either side. */
function stopHandler<C extends SocketContext>(desk: HelpDesk, guard?: Guard<C>) {
  return handler(
    'cobrowse:stop',
    conversationRefSchema,
    async ({ actor }: C, { conversationId }) =>
      cobrowseStatusView((await desk.run(conversationId, { type: 'follow-stop' }, actor)).record),
    guard,
  );
}

export function visitorCobrowseHandlers<C extends SocketContext>(desk: HelpDesk) {
  return {
    'cobrowse:change': handler(
      'cobrowse:change',
      cobrowseChangeSchema,
      async ({ actor }: C, { conversationId, ...change }) => {
        await desk.run(conversationId, { type: 'page-change', change }, actor);
        return null;
      },
    ),
    'cobrowse:stop': stopHandler<C>(desk),
    'control:answer': handler(
      'control:answer',
      controlAnswerSchema,
      async ({ actor }: C, { conversationId, allow }) =>
        controlStatusView(
          (await desk.run(conversationId, { type: 'control-answer', allow }, actor)).record,
        ),
    ),
  };
}

export function agentCobrowseHandlers<C extends SocketContext & { actor: HelperActor }>(
  desk: HelpDesk,
  guard: Guard<C>,
) {
  return {
    'cobrowse:start': handler(
      'cobrowse:start',
      conversationRefSchema,
      ({ actor }: C, { conversationId }) => desk.startFollowing(actor, conversationId),
      guard,
    ),
    'cobrowse:stop': stopHandler<C>(desk, guard),
    'control:request': handler(
      'control:request',
      conversationRefSchema,
      async ({ actor }: C, { conversationId }) =>
        controlStatusView(
          (await desk.run(conversationId, { type: 'control-request' }, actor)).record,
        ),
      guard,
    ),
    'cobrowse:refresh': handler(
      'cobrowse:refresh',
      conversationRefSchema,
      async ({ actor }: C, { conversationId }) => {
        await desk.run(conversationId, { type: 'refresh' }, actor);
        return null;
      },
      guard,
    ),
    'cobrowse:point': handler(
      'cobrowse:point',
      pointSchema,
      async ({ actor }: C, { conversationId, path }) => {
        await desk.run(conversationId, { type: 'point', path }, actor);
        return null;
      },
      guard,
    ),
  };
}
