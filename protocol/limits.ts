/** Limits shared by both ends, so the widget can refuse what the server would refuse. */
export const LIMITS = {
  /** Canned replies a desk keeps: a list to pick from, not a knowledge base. */
  cannedReplies: 200,
  /** Longest chat message, in characters. */
  messageText: 4000,
  /** Largest Socket.IO payload the server accepts (maxHttpBufferSize), in bytes. */
  socketPayloadBytes: 64 * 1024,
  /** Largest REST body the server accepts, in bytes. */
  restBodyBytes: 16 * 1024,
  /** Messages returned by one `chat:history` call. */
  historyPage: 500,
} as const;

/** Mirror mode's pieces on the wire and what the server keeps of them (protocol/mirror.ts). */
export const MIRROR_LIMITS = {
  /** Largest piece of a batch on the wire, well under the socket payload limit (64 KB). */
  partBytes: 48 * 1024,
  /** Pieces in one batch: about 4.7 MB compressed, a page of far more than 50,000 elements. */
  maxParts: 100,
  /**
   * What the server keeps per conversation for a helper who opens late: the latest snapshot
   * (at most maxParts × partBytes, so it always fits) and the batches since. Past it, the
   * visitor's page is asked for a fresh snapshot.
   */
  keptBytes: 6 * 1024 * 1024,
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
