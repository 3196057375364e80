import { z } from 'zod';
import { MESSAGE_ID_PATTERN } from './limits.ts';

const id = z.string().regex(MESSAGE_ID_PATTERN, 'must be 8-64 letters, digits, - or _');
const ratio = z.number().min(0).max(1);
/** Element paths are CSS selectors we build ourselves; bounded so a page cannot flood us. */
const path = z.string().min(1).max(1000);

const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be an http(s) URL');

const navigate = z.strictObject({
  conversationId: id,
  type: z.literal('navigate'),
  key: z.literal('page'),
  value: z.strictObject({
    url: httpUrl,
    title: z.string().max(500),
    load: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  }),
});

const scroll = z.strictObject({
  conversationId: id,
  type: z.literal('scroll'),
  key: z.union([z.literal('window'), path]),
  value: z.strictObject({
    anchor: z.strictObject({ path, offsetRatio: z.number().min(-1).max(2) }).nullable(),
    ratioX: ratio,
    ratioY: ratio,
  }),
});

const field = z.strictObject({
  conversationId: id,
  type: z.literal('field'),
  key: path,
  value: z.union([
    z.strictObject({ value: z.string().max(10_000) }),
    z.strictObject({ checked: z.boolean() }),
    z.strictObject({ selectedIndex: z.number().int().min(-1).max(10_000) }),
    z.strictObject({ masked: z.literal(true) }),
  ]),
});

const point = z.strictObject({ path, offset: z.number().int().min(0).max(10_000_000) });

const select = z.strictObject({
  conversationId: id,
  type: z.literal('select'),
  key: z.literal('selection'),
  value: z.strictObject({
    ranges: z.array(z.strictObject({ start: point, end: point })).max(10),
  }),
});

const resize = z.strictObject({
  conversationId: id,
  type: z.literal('resize'),
  key: z.literal('viewport'),
  value: z.strictObject({
    width: z.number().int().min(0).max(100_000),
    height: z.number().int().min(0).max(100_000),
  }),
});

const focus = z.strictObject({
  conversationId: id,
  type: z.literal('focus'),
  key: z.literal('focus'),
  value: z.strictObject({
    visible: z.boolean(),
    focused: z.boolean(),
    tabId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  }),
});

/** One change from the leader's page. */
export const cobrowseChangeSchema = z.discriminatedUnion('type', [
  navigate,
  scroll,
  field,
  select,
  resize,
  focus,
]);

/** The helper points at an element of the visitor's page. */
export const pointSchema = z.strictObject({ conversationId: id, path });
export type PointPayload = z.infer<typeof pointSchema>;
export type CobrowseChangePayload = z.infer<typeof cobrowseChangeSchema>;

/** The visitor answers a request for control, or takes it back (allow: false). */
export const controlAnswerSchema = z.strictObject({ conversationId: id, allow: z.boolean() });
export type ControlAnswerPayload = z.infer<typeof controlAnswerSchema>;

/** A change the helper makes on the copy while in control; only these three kinds. */
export const controlChangeSchema = z.discriminatedUnion('type', [navigate, scroll, field]);
export type ControlChangePayload = z.infer<typeof controlChangeSchema>;
