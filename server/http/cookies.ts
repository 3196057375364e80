/** Reads one cookie from a Cookie header. Values we set are base64url, so no decoding. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The agent page's sign-in. Not `help_session`: that is the widget's cookie on a site (which may be this server's own origin). */
export const SESSION_COOKIE = 'help_agent_session';
