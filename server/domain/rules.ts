/**
 * The site's rules for one conversation: every rule whose pages and users match applies, in
 * the file's order; a later rule's `allow` and `priority` win, `block` and `mask` add up.
 * Pure: the desk resolves them when the page or the verified visitor changes.
 */
import type { Allowable, RulesFile, SessionRules } from '../../protocol/rules.ts';

/** With no rules, everything is allowed and nothing is hidden. */
export const NO_RULES: SessionRules = {
  priority: 0,
  allow: { follow: true, mirror: true, point: true, control: true },
  block: [],
  mask: [],
};

export function resolveRules(
  file: RulesFile,
  on: { url: string; verifiedUserId?: string | undefined },
): SessionRules {
  const allow = { ...NO_RULES.allow };
  let priority = NO_RULES.priority;
  const block: string[] = [];
  const mask: string[] = [];
  for (const rule of file.rules) {
    if (rule.pages && !rule.pages.some((p) => wildcard(p).test(on.url))) continue;
    if (rule.users) {
      const user = on.verifiedUserId;
      // A claimed, unverified id never matches: a visitor cannot give themselves a rule.
      if (user === undefined || !rule.users.some((u) => wildcard(u).test(user))) continue;
    }
    if (rule.priority !== undefined) priority = rule.priority;
    for (const [what, allowed] of Object.entries(rule.allow ?? {}) as [Allowable, boolean][]) {
      allow[what] = allowed;
    }
    block.push(...(rule.block ?? []));
    mask.push(...(rule.mask ?? []));
  }
  return { priority, allow, block: [...new Set(block)], mask: [...new Set(mask)] };
}

/** `https://shop.example/account/*` → a whole-string match where `*` is any run of characters. */
function wildcard(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

/** Whether two resolutions say the same, so an unchanged one is not stored again. */
export function sameRules(a: SessionRules | undefined, b: SessionRules): boolean {
  return JSON.stringify(a ?? NO_RULES) === JSON.stringify(b);
}
