/**
 * The site owner's rules (`help-rules.json`): for which pages and which verified visitors a
 * helper may follow, mirror, point or take control, what the helper's display hides or masks,
 * and how urgent the conversation is. Validated at start-up; the server enforces them.
 */
import { z } from 'zod';

export const ALLOWABLE = ['follow', 'mirror', 'point', 'control'] as const;
export type Allowable = (typeof ALLOWABLE)[number];

/** A URL, or a verified user id, with `*` for any run of characters. */
const pattern = (max: number) => z.string().min(1).max(max);
const selectors = z.array(z.string().min(1).max(500)).max(100);

export const ruleSchema = z.strictObject({
  /** Pages it applies to, e.g. `https://shop.example/account/*`; all pages when absent. */
  pages: z.array(pattern(2048)).min(1).max(100).optional(),
  /** Verified user ids it applies to (`identify({userId, userHash})`); anyone when absent. */
  users: z.array(pattern(256)).min(1).max(1000).optional(),
  /** Higher is served first. */
  priority: z.number().int().min(-100).max(100).optional(),
  allow: z
    .strictObject({
      follow: z.boolean().optional(),
      mirror: z.boolean().optional(),
      point: z.boolean().optional(),
      control: z.boolean().optional(),
    })
    .optional(),
  /** Elements the helper's display shows as grey boxes of the same size. */
  block: selectors.optional(),
  /** Elements whose text the helper's display never shows. */
  mask: selectors.optional(),
});

export const rulesFileSchema = z.strictObject({ rules: z.array(ruleSchema).max(1000) });
export type RulesFile = z.infer<typeof rulesFileSchema>;
export type Rule = z.infer<typeof ruleSchema>;

/** What the rules say for one conversation, now: on its page, for its visitor. */
export interface SessionRules {
  priority: number;
  allow: Record<Allowable, boolean>;
  block: string[];
  mask: string[];
}
