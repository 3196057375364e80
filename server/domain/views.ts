/** What each side is shown of a stored conversation. */
import type { ConversationSummary, VisitorConversation } from '../../protocol/domain.ts';
import type { ConversationRecord, ReadMarks } from '../store/store.ts';

export function visitorView(
  record: ConversationRecord,
  context: { position?: number; helpersAvailable: boolean; readMarks: ReadMarks },
): VisitorConversation {
  return {
    id: record.id,
    status: record.status,
    joinCode: record.joinCode,
    ...(record.helperName ? { helperName: record.helperName } : {}),
    ...(context.position ? { queuePosition: context.position } : {}),
    helpersAvailable: context.helpersAvailable,
    readUpTo: context.readMarks,
    createdAt: record.createdAt,
    ...(record.endedAt ? { endedAt: record.endedAt } : {}),
  };
}

export function summaryView(
  record: ConversationRecord,
  context: { position?: number; readMarks: ReadMarks },
): ConversationSummary {
  // The token hash never leaves the server.
  const { visitorTokenHash: _hidden, ...shown } = record;
  return {
    ...shown,
    ...(context.position ? { queuePosition: context.position } : {}),
    readUpTo: context.readMarks,
  };
}
