import type { VisitorConversation } from '../../protocol/domain.ts';
import type { Catalogue } from '../i18n/en.ts';
import type { FailureCode, Phase } from './chat-session.ts';

/** The one line that says where the chat is, in the visitor's language. */
export function statusText(
  s: Catalogue,
  phase: Phase,
  conversation: VisitorConversation | undefined,
  error: FailureCode | undefined,
): string {
  if (phase === 'failed') return `${s.errors[error ?? 'internal']} ${s.tryAgainLater}`;
  if (phase === 'requesting' || phase === 'connecting') return s.connecting;
  if (phase === 'offline') return s.offlineStatus;
  if (phase === 'ended' || conversation?.status === 'ended') return endingText(s, conversation);
  if (!conversation) return '';
  if (conversation.status === 'assigned') return s.helperHere(conversation.helperName ?? '');
  if (conversation.kind === 'message') return s.messageLeft;
  if (!conversation.helpersAvailable) return s.nobodyOnline;
  if (conversation.queuePosition === 1) return s.queueNext;
  if (conversation.queuePosition) return s.queuePosition(conversation.queuePosition);
  return s.waitingForHelper;
}

/** Who ended the chat: the transcript and the visitor both say so. */
export function endingText(s: Catalogue, conversation: VisitorConversation | undefined): string {
  switch (conversation?.endedBy) {
    case 'visitor':
      return s.endedByYou;
    case 'helper':
      return s.endedByHelper(conversation.helperName ?? s.theHelper);
    case 'system':
      return s.endedBySystem;
    case undefined:
      return s.ended;
  }
}
