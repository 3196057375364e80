/**
 * The visitor's conversation, kept in localStorage (per site origin, per help server) so the
 * chat survives reloads and navigation across the site.
 */
export interface SavedChat {
  conversationId: string;
  token: string;
  joinCode: string;
  open: boolean;
  /** Helper messages the visitor has not seen, as last counted: the loader shows it at once. */
  unread: number;
  /** The last message the visitor has seen with the dialog open. */
  seenSeq?: number;
  /** Messages typed but not yet acknowledged: sent again, with the same ids, on reconnect. */
  outbox: { id: string; text: string; error?: string; stored?: boolean }[];
  /** What was in the message box when the page went away: it comes back into the box. */
  draft?: string;
}

const key = (server: string) => `help-widget:${server}`;

export function loadSavedChat(server: string): SavedChat | undefined {
  try {
    const saved = JSON.parse(localStorage.getItem(key(server)) ?? 'null') as SavedChat | null;
    return saved?.token && saved.conversationId ? saved : undefined;
  } catch {
    // Storage can be disabled or full of someone else's garbage: then there is no saved chat.
    return undefined;
  }
}

export function saveChat(server: string, chat: SavedChat): void {
  try {
    localStorage.setItem(key(server), JSON.stringify(chat));
  } catch {
    // Without storage the chat still works on this page; it just won't survive a reload.
  }
}

export function forgetChat(server: string): void {
  try {
    localStorage.removeItem(key(server));
  } catch {
    // Nothing to forget.
  }
}
