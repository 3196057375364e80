/** What each side is shown of a stored conversation. */
import type { CobrowseStatus, ControlStatus } from '../../protocol/cobrowse.ts';
import type { ConversationSummary, Message, VisitorConversation } from '../../protocol/domain.ts';
import type { MirrorEndReason, MirrorStatus } from '../../protocol/mirror.ts';
import type { Actor, ConversationRecord } from './conversation-types.ts';
import { visitorNumber } from './returning-visitor.ts';

export type ReadMarks = { visitor?: string; helper?: string };

export function visitorView(
  record: ConversationRecord,
  context: { position?: number; helpersAvailable: boolean; readMarks: ReadMarks },
): VisitorConversation {
  return {
    id: record.id,
    kind: record.kind ?? 'chat',
    status: record.status,
    joinCode: record.joinCode,
    ...(record.helperName ? { helperName: record.helperName } : {}),
    ...(context.position ? { queuePosition: context.position } : {}),
    helpersAvailable: context.helpersAvailable,
    readUpTo: context.readMarks,
    createdAt: record.createdAt,
    ...(record.endedAt ? { endedAt: record.endedAt } : {}),
    ...(record.endedBy ? { endedBy: record.endedBy } : {}),
    ...(record.rating ? { rating: record.rating } : {}),
  };
}

export function summaryView(
  record: ConversationRecord,
  context: { position?: number; readMarks: ReadMarks },
): ConversationSummary {
  // The token hash, the version, the follow grant and the share's id never leave the server
  // this way: follow mode and mirror mode have their own status events.
  const {
    visitorTokenHash: _hidden,
    version: _version,
    following: _following,
    control: _control,
    mirror: _mirror,
    joinCodeExpiresAt: _expires,
    presence,
    visitorKey: _key,
    ...shown
  } = record;
  return {
    ...shown,
    visitorNumber: visitorNumber(record),
    kind: record.kind ?? 'chat',
    ...(presence ? { presence: presence.state } : {}),
    ...(context.position ? { queuePosition: context.position } : {}),
    readUpTo: context.readMarks,
  };
}

/** Whether the visitor's page is being followed, and by whom. */
export function cobrowseStatusView(record: ConversationRecord): CobrowseStatus {
  return record.following
    ? { conversationId: record.id, active: true, helperName: record.following.helperName }
    : { conversationId: record.id, active: false };
}

/** Passing control, as both pages show it. */
export function controlStatusView(record: ConversationRecord): ControlStatus {
  return record.control
    ? {
        conversationId: record.id,
        state: record.control.state,
        helperName: record.control.helperName,
      }
    : { conversationId: record.id, state: 'none' };
}

/**
 * Mirror mode, as both pages show it. The site's block and mask rules go with it: the
 * visitor's recorder applies them before anything leaves the browser.
 */
export function mirrorStatusView(
  record: ConversationRecord,
  ended?: MirrorEndReason,
): MirrorStatus {
  const mirror = record.mirror;
  return {
    conversationId: record.id,
    state: mirror?.state ?? 'none',
    ...(mirror ? { helperName: mirror.helperName, mirrorId: mirror.mirrorId } : {}),
    block: record.rules?.block ?? [],
    mask: record.rules?.mask ?? [],
    ...(ended ? { ended } : {}),
  };
}

/** The messages someone may read: the visitor never receives a helper's internal note. */
export function visibleMessages(actor: Actor, messages: Message[]): Message[] {
  return actor.kind === 'visitor' ? messages.filter((m) => !m.internal) : messages;
}

/** Whether a message goes to the visitor's side at all. */
export function reachesVisitor(message: Message): boolean {
  return !message.internal;
}
