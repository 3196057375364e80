/**
 * `help_session=<conversation id>` on the site's own origin while a conversation is open, so
 * the site's server can serve its assisted pages. It holds the id only, never the visitor's
 * token; it cannot be HttpOnly because script sets it. No id: the cookie goes.
 */
export function writeSessionCookie(conversationId?: string): void {
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is async, and new in Firefox and Safari.
  document.cookie = `help_session=${conversationId ?? ''};path=/;SameSite=Lax${conversationId ? '' : ';max-age=0'}`;
}
