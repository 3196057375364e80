/**
 * zod schemas for every inbound payload, REST and Socket.IO. The server parses everything a
 * client sends with these before it touches the store; types are not validation.
 */
import { z } from 'zod';
import { type Ack, type AckError, fail } from './ack.ts';
import { CUSTOM_KEY_PATTERN, JOIN_CODE_PATTERN, LIMITS, MESSAGE_ID_PATTERN } from './limits.ts';

const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const size = z.strictObject({
  width: z.number().int().min(0).max(100_000),
  height: z.number().int().min(0).max(100_000),
});

const brandVersion = z.strictObject({ brand: z.string().max(100), version: z.string().max(50) });

const clientHints = z.strictObject({
  brands: z.array(brandVersion).max(10).optional(),
  fullVersionList: z.array(brandVersion).max(10).optional(),
  mobile: z.boolean().optional(),
  platform: z.string().max(50).optional(),
  platformVersion: z.string().max(50).optional(),
  model: z.string().max(100).optional(),
  architecture: z.string().max(20).optional(),
});

/** Custom field names: plain identifiers only, which also keeps `__proto__` out. */
const customKey = z.string().regex(CUSTOM_KEY_PATTERN, 'must be a plain identifier');

/**
 * Any address the browser's `<input type=email>` accepts (the HTML standard's rule, which
 * takes `ann@localhost`): the widget checks with a real input, so the two ends agree.
 */
const email = z.string().max(254).regex(z.regexes.html5Email, 'must be an email address');

const visitorInfo = z.strictObject({
  name: z.string().trim().max(100).optional(),
  email: email.optional(),
  custom: z
    .record(customKey, z.string().max(500))
    .refine((record) => Object.keys(record).length <= 20, 'at most 20 custom fields')
    .optional(),
  /** The site's own user id and, to prove it, its HMAC-SHA256 with HELP_IDENTITY_SECRET. */
  userId: z.string().min(1).max(256).optional(),
  userHash: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (HMAC-SHA256)')
    .optional(),
});
/** What a site says about its visitor, before the server has checked the user id. */
export type VisitorClaim = z.infer<typeof visitorInfo>;

export const helpRequestSchema = z.strictObject({
  pageUrl: httpUrl,
  pageTitle: z.string().max(500).default(''),
  referrer: z.union([z.literal(''), httpUrl]).default(''),
  languages: z.array(z.string().min(1).max(35)).max(20).default([]),
  timezone: z.string().max(64).default(''),
  screen: size,
  viewport: size,
  pixelRatio: z.number().positive().max(16),
  userAgent: z.string().min(1).max(1024),
  clientHints: clientHints.optional(),
  visitor: visitorInfo.optional(),
  /**
   * The visitor's first message: a conversation starts with it. `kind: 'message'` leaves it
   * for a helper to answer later (no one was available); the widget then asks for an email.
   */
  message: z.lazy(() => firstMessage).optional(),
  kind: z.enum(['chat', 'message']).default('chat'),
  /** The widget's id for this browser on this site (not a credential): earlier conversations. */
  visitorKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/)
    .optional(),
});
export type HelpRequestBody = z.infer<typeof helpRequestSchema>;
/** What a client sends: defaults may be left out. */
export type HelpRequestInput = z.input<typeof helpRequestSchema>;

const helperName = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,39}$/u, 'letters, digits, space, dot, dash; 1-40');

export const helperNameSchema = helperName;

const availability = z.enum(['available', 'away']);

export const signInSchema = z.strictObject({
  name: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  /** What the helper chose on the sign-in form; absent (older pages, scripts): unchanged. */
  availability: availability.optional(),
});

const id = z.string().regex(MESSAGE_ID_PATTERN, 'must be 8-64 letters, digits, - or _');

const conversationRef = { conversationId: id };

export const chatSendSchema = z.strictObject({
  ...conversationRef,
  id,
  text: z
    .string()
    .max(LIMITS.messageText, `at most ${LIMITS.messageText} characters`)
    .refine((text) => text.trim().length > 0, 'must not be empty'),
  /** A helper's internal note, which the visitor never receives (refused from a visitor). */
  internal: z.literal(true).optional(),
});
export type ChatSendPayload = z.infer<typeof chatSendSchema>;

const firstMessage = z.strictObject({ id, text: chatSendSchema.shape.text });

/** `identify()` after the chat started: the helper's view of the visitor updates. */
export const identifySchema = z.strictObject({ ...conversationRef, visitor: visitorInfo });
export type IdentifyPayload = z.infer<typeof identifySchema>;

/** The visitor's page was shown or hidden (`visibilitychange`). */
export const visibilitySchema = z.strictObject({ ...conversationRef, visible: z.boolean() });
export type VisibilityPayload = z.infer<typeof visibilitySchema>;

/** `POST /api/ratings`, with the visitor token as the bearer. */
export const ratingSchema = z.strictObject({
  value: z.enum(['up', 'down']),
  comment: z.string().max(1000, 'at most 1000 characters').optional(),
});
export type RatingBody = z.infer<typeof ratingSchema>;

export const chatTypingSchema = z.strictObject({ ...conversationRef, typing: z.boolean() });
export type ChatTypingPayload = z.infer<typeof chatTypingSchema>;

export const chatReadSchema = z.strictObject({ ...conversationRef, upTo: id });
export type ChatReadPayload = z.infer<typeof chatReadSchema>;

export const chatHistorySchema = z.strictObject({ ...conversationRef, after: id.optional() });
export type ChatHistoryPayload = z.infer<typeof chatHistorySchema>;

export const conversationRefSchema = z.strictObject(conversationRef);
export type ConversationRefPayload = z.infer<typeof conversationRefSchema>;

export const pageSchema = z.strictObject({
  ...conversationRef,
  url: httpUrl,
  title: z.string().max(500),
});
export type PagePayload = z.infer<typeof pageSchema>;

export const joinByCodeSchema = z.strictObject({
  code: z
    .string()
    .max(20)
    .transform((code) => code.replace(/[\s-]+/g, ''))
    .pipe(z.string().regex(JOIN_CODE_PATTERN, 'must be nine digits')),
  /** Confirms taking the conversation from the helper who answers it now. */
  takeOver: z.boolean().optional(),
});
export type JoinByCodePayload = z.infer<typeof joinByCodeSchema>;

/** A helper looks for the live conversation of a visitor by the site's user id. */
/** Canned replies: saved (a new one has no id yet) and deleted by helpers. */
export const cannedSaveSchema = z.strictObject({
  id: id.optional(),
  shortcut: z
    .string()
    .trim()
    .regex(/^[\p{L}\p{N}_-]{1,40}$/u, 'letters, digits, - and _; 1-40'),
  text: chatSendSchema.shape.text,
});
export type CannedSavePayload = z.infer<typeof cannedSaveSchema>;
export const cannedDeleteSchema = z.strictObject({ id });
export type CannedDeletePayload = z.infer<typeof cannedDeleteSchema>;

/** One of a returning visitor's earlier conversations, asked from the current one. */
export const earlierMessagesSchema = z.strictObject({ ...conversationRef, earlierId: id });
export type EarlierMessagesPayload = z.infer<typeof earlierMessagesSchema>;

/** A question that needs nothing said: `{}` and nothing else. */
export const noPayloadSchema = z.strictObject({});
export type NoPayload = z.infer<typeof noPayloadSchema>;

export const findByUserSchema = z.strictObject({ userId: z.string().trim().min(1).max(256) });
export type FindByUserPayload = z.infer<typeof findByUserSchema>;

/** The assigned helper hands a conversation to another helper, named as they sign in. */
export const transferSchema = z.strictObject({
  ...conversationRef,
  to: helperName,
  /** For the new helper, kept in the transcript as an internal note. */
  note: z
    .string()
    .trim()
    .max(LIMITS.messageText, `at most ${LIMITS.messageText} characters`)
    .optional(),
});
export type TransferPayload = z.infer<typeof transferSchema>;

export const availabilitySchema = z.strictObject({
  availability,
  capacity: z.number().int().min(1).max(20).optional(),
});
export type AvailabilityPayload = z.infer<typeof availabilitySchema>;

/** `GET /api/agent/history?q=…&limit=…`: query values arrive as strings. */
export const agentHistoryQuerySchema = z.strictObject({
  q: z.string().max(200, 'at most 200 characters').optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 200')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200'))
    .optional()
    .transform((limit) => limit ?? 50),
  /** The next page starts after this conversation: the last one of the page before. */
  after: id.optional(),
});
export type AgentHistoryQuery = z.infer<typeof agentHistoryQuerySchema>;

/** `GET /api/agent/history/:id/transcript`. */
export const agentTranscriptParamsSchema = z.strictObject({ id });

/**
 * Parses an inbound payload. On failure the error names the first bad field, and an
 * over-long chat text gets its own code (`too_long`) so clients can say so plainly.
 */
export function parsePayload<S extends z.ZodType>(schema: S, input: unknown): Ack<z.output<S>> {
  const polluted = findProtoKey(input);
  if (polluted !== undefined) {
    return fail(
      'invalid_payload',
      `${polluted ? `${polluted}: ` : ''}"__proto__" is not allowed as a key`,
    );
  }
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  return fail(...describeIssue(result.error.issues));
}

/**
 * zod silently drops `__proto__` keys inside records instead of refusing them, so look for
 * them first: a payload carrying one is refused whole. Returns the path of the first one.
 */
function findProtoKey(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value !== 'object' || value === null || depth > 8) return undefined;
  if (Object.hasOwn(value, '__proto__')) return path;
  for (const [key, child] of Object.entries(value)) {
    const found = findProtoKey(child, path ? `${path}.${key}` : key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function describeIssue(issues: z.core.$ZodIssue[]): [AckError['code'], string] {
  const issue = issues[0];
  if (!issue) return ['invalid_payload', 'invalid payload'];
  const field = issue.path.map(String).join('.');
  const where = field ? `${field}: ` : '';
  const tooLong = issue.code === 'too_big' && field === 'text';
  return [tooLong ? 'too_long' : 'invalid_payload', `${where}${issue.message}`];
}
