/**
 * Mirror mode: the visitor's page is recorded in their browser (rrweb's format, masked there),
 * compressed, and relayed through our server to the helper's replay. The server never reads
 * the recording: it checks who may send it, bounds it, keeps the latest snapshot for a helper
 * who opens late, and passes it on.
 */
import { z } from 'zod';
import type { StopReason } from './cobrowse.ts';
import { MESSAGE_ID_PATTERN, MIRROR_LIMITS } from './limits.ts';

/** Where mirror mode is: asked by a helper, shared by the visitor, or neither. */
export type MirrorState = 'none' | 'requested' | 'sharing';

/** Mirror mode as both sides show it. `block` and `mask` are the site's rules for this page. */
export interface MirrorStatus {
  conversationId: string;
  state: MirrorState;
  helperName?: string;
  /** One per "Mirror page": every batch names it, so a late one of an earlier share is refused. */
  mirrorId?: string;
  /** CSS selectors the recorder replaces with boxes of the same size. */
  block: string[];
  /** CSS selectors whose text the recorder masks. */
  mask: string[];
  /** Why the last share ended: shown to the helper ("The visitor said not now"). */
  ended?: MirrorEndReason;
}

/**
 * Why a share ended, as follow mode and control end, or why it never started: the visitor
 * said not now, or their browser cannot record the page (`unsupported`: no CompressionStream).
 */
export type MirrorEndReason = StopReason | 'declined' | 'unsupported';

const id = z.string().regex(MESSAGE_ID_PATTERN, 'must be 8-64 letters, digits, - or _');

/** A socket delivers binary as a Buffer (node) or an ArrayBuffer (browser): both accepted. */
const bytes = z
  .union([z.instanceof(Uint8Array), z.instanceof(ArrayBuffer)])
  .transform((value) => (value instanceof Uint8Array ? value : new Uint8Array(value)))
  .refine((value) => value.byteLength > 0 && value.byteLength <= MIRROR_LIMITS.partBytes, {
    message: `must be 1 to ${MIRROR_LIMITS.partBytes} bytes`,
  });

/**
 * One piece of a batch of recorded events: gzip-compressed JSON of an array of rrweb events,
 * cut into `parts` pieces. A batch that is `full` begins with a snapshot of the page: nothing
 * before it is needed any more.
 */
export const mirrorPartSchema = z
  .strictObject({
    conversationId: id,
    mirrorId: id,
    batch: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31),
    full: z.boolean(),
    part: z
      .number()
      .int()
      .min(0)
      .max(MIRROR_LIMITS.maxParts - 1),
    parts: z.number().int().min(1).max(MIRROR_LIMITS.maxParts),
    data: bytes,
  })
  .refine((p) => p.part < p.parts, { message: 'part must be below parts', path: ['part'] });
export type MirrorPartPayload = z.input<typeof mirrorPartSchema>;
export type MirrorPart = z.output<typeof mirrorPartSchema>;

/** What is relayed and kept: a part without whose conversation it is. */
export type KeptMirrorPart = Omit<MirrorPart, 'conversationId'>;

/**
 * "Share this page" / "Not now"; or, from a browser that cannot record the page, "not
 * possible here" (`unsupported`), sent without asking the visitor so the helper knows why.
 */
export const mirrorAnswerSchema = z.strictObject({
  conversationId: id,
  allow: z.boolean(),
  unsupported: z.literal(true).optional(),
});
export type MirrorAnswerPayload = z.infer<typeof mirrorAnswerSchema>;

/** `GET /api/mirror/asset?c=<conversation>&u=<the site's address>`: one asset of a shared page. */
export const mirrorAssetQuerySchema = z.strictObject({
  c: id,
  u: z.string().min(1).max(2048),
});

/** An element of the shared page, by the number the recorder gave it (rrweb's node id). */
const nodeId = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31);

/** "Point" on the replay: that element pulses on the visitor's page. */
export const mirrorPointSchema = z.strictObject({ conversationId: id, nodeId });
export type MirrorPointPayload = z.infer<typeof mirrorPointSchema>;

/** What a helper in control does on the replay: a click, or a field's new value. */
export const mirrorActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('click'), nodeId }),
  z.strictObject({ kind: z.literal('input'), nodeId, value: z.string().max(10_000) }),
]);
export type MirrorAction = z.infer<typeof mirrorActionSchema>;

export const mirrorControlSchema = z.strictObject({
  conversationId: id,
  action: mirrorActionSchema,
});
export type MirrorControlPayload = z.infer<typeof mirrorControlSchema>;
