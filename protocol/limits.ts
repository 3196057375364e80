/** Limits shared by both ends, so the widget can refuse what the server would refuse. */
export const LIMITS = {
  /** Longest chat message, in characters. */
  messageText: 4000,
  /** Largest Socket.IO payload the server accepts (maxHttpBufferSize), in bytes. */
  socketPayloadBytes: 64 * 1024,
  /** Largest REST body the server accepts, in bytes. */
  restBodyBytes: 16 * 1024,
  /** Messages returned by one `chat:history` call. */
  historyPage: 500,
} as const;

/** Client-made message ids: URL-safe, long enough for a UUID or a nanoid. */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Join codes are nine digits (a billion codes, for the arithmetic in SECURITY.md); people
 * read them out in threes, "482 913 705", and digits survive a phone line and any keyboard.
 */
export const JOIN_CODE_PATTERN = /^\d{9}$/;

/** Formats a join code the way a visitor reads it out. */
export function formatJoinCode(code: string): string {
  return code.replace(/(\d{3})(?=\d)/g, '$1 ');
}

/** Names of site-provided custom visitor fields: plain identifiers (which keeps `__proto__` out). */
export const CUSTOM_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
