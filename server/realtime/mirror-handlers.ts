/** Mirror-mode events on the visitor and agent namespaces: parse, ask the desk, answer. */
import {
  mirrorAnswerSchema,
  mirrorControlSchema,
  mirrorPartSchema,
  mirrorPointSchema,
} from '../../protocol/mirror.ts';
import { conversationRefSchema } from '../../protocol/schemas.ts';
import type { HelpDesk } from '../desk/desk.ts';
import type { HelperActor } from '../domain/conversation-types.ts';
import { mirrorStatusView } from '../domain/views.ts';
import type { SocketContext } from './chat-handlers.ts';
import { type Guard, handler } from './handler.ts';

/** "Stop sharing" (the visitor) or "Stop mirroring" (the helper). */
function stopHandler<C extends SocketContext>(desk: HelpDesk, guard?: Guard<C>) {
  return handler(
    'mirror:stop',
    conversationRefSchema,
    async ({ actor }: C, { conversationId }) =>
      mirrorStatusView((await desk.run(conversationId, { type: 'mirror-stop' }, actor)).record),
    guard,
  );
}

export function visitorMirrorHandlers<C extends SocketContext>(desk: HelpDesk) {
  return {
    'mirror:answer': handler(
      'mirror:answer',
      mirrorAnswerSchema,
      async ({ actor }: C, { conversationId, allow, unsupported }) =>
        mirrorStatusView(
          (
            await desk.run(
              conversationId,
              { type: 'mirror-answer', allow, ...(unsupported ? { unsupported } : {}) },
              actor,
            )
          ).record,
        ),
    ),
    'mirror:stop': stopHandler<C>(desk),
    'mirror:data': handler(
      'mirror:data',
      mirrorPartSchema,
      ({ actor }: C, { conversationId, ...part }) => desk.mirrorPart(actor, conversationId, part),
    ),
  };
}

export function agentMirrorHandlers<C extends SocketContext & { actor: HelperActor }>(
  desk: HelpDesk,
  guard: Guard<C>,
) {
  return {
    'mirror:request': handler(
      'mirror:request',
      conversationRefSchema,
      async ({ actor }: C, { conversationId }) =>
        mirrorStatusView((await desk.requestMirror(actor, conversationId)).record),
      guard,
    ),
    'mirror:stop': stopHandler<C>(desk, guard),
    'mirror:point': handler(
      'mirror:point',
      mirrorPointSchema,
      async ({ actor }: C, { conversationId, nodeId }) => {
        await desk.run(conversationId, { type: 'mirror-point', nodeId }, actor);
        return null;
      },
      guard,
    ),
    'mirror:control': handler(
      'mirror:control',
      mirrorControlSchema,
      async ({ actor }: C, { conversationId, action }) => {
        await desk.run(conversationId, { type: 'mirror-control', action }, actor);
        return null;
      },
      guard,
    ),
    'mirror:open': handler(
      'mirror:open',
      conversationRefSchema,
      ({ actor }: C, { conversationId }) => desk.openMirror(actor, conversationId),
      guard,
    ),
  };
}
