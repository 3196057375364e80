/**
 * Who gets which waiting conversation: pure choices over the helpers' loads. The desk
 * gathers the loads, and each assignment it makes is an `assign` command to the conversation.
 */
import { queueCompare } from '../../protocol/queue.ts';
import type { ConversationRecord, HelperRef } from './conversation-types.ts';
import type { HelperPrefs } from './helper-types.ts';

export interface HelperLoad {
  helper: HelperRef;
  prefs: HelperPrefs;
  open: number;
  /** ISO time of their newest assignment; spreads ties to whoever has waited longest. */
  lastAssignedAt: string;
}

/**
 * Waiting chats in the order they are served: priority first, then age. Messages left while
 * no one was available are not in line: a helper picks them from their own list.
 */
export function queueOrder(waiting: readonly ConversationRecord[]): ConversationRecord[] {
  return waiting.filter((c) => c.status === 'waiting' && c.kind !== 'message').sort(queueCompare);
}

/** Messages waiting for a helper to accept them, oldest first. */
export function waitingMessages(open: readonly ConversationRecord[]): ConversationRecord[] {
  return open.filter((c) => c.status === 'waiting' && c.kind === 'message').sort(queueCompare);
}

/** The available helper with the fewest open conversations under their capacity, if any. */
export function pickHelper(loads: readonly HelperLoad[]): HelperLoad | undefined {
  return loads
    .filter((l) => l.prefs.availability === 'available' && l.open < l.prefs.capacity)
    .sort(
      (a, b) =>
        a.open - b.open ||
        a.lastAssignedAt.localeCompare(b.lastAssignedAt) ||
        a.helper.name.localeCompare(b.helper.name),
    )[0];
}

/** Each helper's load, from the open conversations. */
export function helperLoads(
  helpers: readonly { helper: HelperRef; prefs: HelperPrefs }[],
  open: readonly ConversationRecord[],
): HelperLoad[] {
  return helpers.map(({ helper, prefs }) => {
    const mine = open.filter((c) => c.status === 'assigned' && c.helperId === helper.id);
    return {
      helper,
      prefs,
      open: mine.length,
      lastAssignedAt: mine.reduce(
        (t, c) => (c.assignedAt && c.assignedAt > t ? c.assignedAt : t),
        '',
      ),
    };
  });
}

/**
 * Gives waiting conversations, in queue order, to helpers with room: which goes to whom.
 * The loads are counted up as it goes, so one pass never overfills a helper.
 */
export function planAssignments(
  open: readonly ConversationRecord[],
  loads: readonly HelperLoad[],
  now: string,
): { conversationId: string; helper: HelperRef }[] {
  const counting = loads.map((l) => ({ ...l }));
  const plan: { conversationId: string; helper: HelperRef }[] = [];
  for (const conversation of queueOrder(open)) {
    const chosen = pickHelper(counting);
    if (!chosen) break;
    plan.push({ conversationId: conversation.id, helper: chosen.helper });
    chosen.open += 1;
    chosen.lastAssignedAt = now;
  }
  return plan;
}

/** 1-based position of each waiting conversation. */
export function queuePositions(open: readonly ConversationRecord[]): Map<string, number> {
  return new Map(queueOrder(open).map((c, i) => [c.id, i + 1]));
}
