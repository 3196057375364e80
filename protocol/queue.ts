/**
 * The queue's order, shared by the server (which assigns from it) and the agent page (which
 * keeps its copy in order as changes arrive): higher priority first, then who asked first.
 */
export function queueCompare(
  a: { priority: number; createdAt: string },
  b: { priority: number; createdAt: string },
): number {
  return b.priority - a.priority || a.createdAt.localeCompare(b.createdAt);
}
