/**
 * Who gets which conversation. Pure choices (`pickHelper`, `queueOrder`) plus the functions
 * that apply them to a store. Nothing here knows about sockets.
 */
import type { ConversationRecord, HelperAccount, HelperPrefs, Store } from '../store/store.ts';

export interface Presence {
  isConnected(helperId: string): boolean;
}

export interface AssignmentContext {
  store: Store;
  presence: Presence;
  now: () => Date;
}

export interface HelperLoad {
  helper: HelperAccount;
  prefs: HelperPrefs;
  open: number;
  /** ISO time of their newest assignment; spreads ties to whoever has waited longest. */
  lastAssignedAt: string;
}

/** Waiting conversations in the order they are served: priority first, then age. */
export function queueOrder(waiting: readonly ConversationRecord[]): ConversationRecord[] {
  return [...waiting].sort(
    (a, b) => b.priority - a.priority || a.createdAt.localeCompare(b.createdAt),
  );
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

/** Load of every helper who is connected now. */
export async function connectedLoads(ctx: AssignmentContext): Promise<HelperLoad[]> {
  const helpers = (await ctx.store.listHelpers()).filter((h) => ctx.presence.isConnected(h.id));
  const assigned = await ctx.store.listConversations(['assigned']);
  return Promise.all(
    helpers.map(async (helper) => {
      const mine = assigned.filter((c) => c.helperId === helper.id);
      return {
        helper,
        prefs: await ctx.store.getHelperPrefs(helper.id),
        open: mine.length,
        lastAssignedAt: mine.reduce(
          (t, c) => (c.assignedAt && c.assignedAt > t ? c.assignedAt : t),
          '',
        ),
      };
    }),
  );
}

export function assign(
  ctx: AssignmentContext,
  conversationId: string,
  helper: HelperAccount,
): Promise<ConversationRecord> {
  return ctx.store.updateConversation(conversationId, {
    status: 'assigned',
    helperId: helper.id,
    helperName: helper.name,
    assignedAt: ctx.now().toISOString(),
  });
}

/** Gives waiting conversations, in queue order, to helpers with room. Returns what moved. */
export async function drainQueue(ctx: AssignmentContext): Promise<ConversationRecord[]> {
  const waiting = queueOrder(await ctx.store.listConversations(['waiting']));
  if (waiting.length === 0) return [];
  const loads = await connectedLoads(ctx);
  const moved: ConversationRecord[] = [];
  for (const conversation of waiting) {
    const chosen = pickHelper(loads);
    if (!chosen) break;
    const record = await assign(ctx, conversation.id, chosen.helper);
    chosen.open += 1;
    chosen.lastAssignedAt = record.assignedAt ?? chosen.lastAssignedAt;
    moved.push(record);
  }
  return moved;
}

/** Puts a helper's open conversations back in the queue (they keep their age). */
export async function requeueHelper(
  ctx: AssignmentContext,
  helperId: string,
): Promise<ConversationRecord[]> {
  const mine = (await ctx.store.listConversations(['assigned'])).filter(
    (c) => c.helperId === helperId,
  );
  return Promise.all(
    mine.map((c) =>
      ctx.store.updateConversation(c.id, {
        status: 'waiting',
        helperId: undefined,
        helperName: undefined,
        assignedAt: undefined,
      }),
    ),
  );
}

/** 1-based position of each waiting conversation. */
export async function queuePositions(store: Store): Promise<Map<string, number>> {
  const ordered = queueOrder(await store.listConversations(['waiting']));
  return new Map(ordered.map((c, i) => [c.id, i + 1]));
}
