/** What the desk's transcript makes of a message's text and author: links, initials, times. */
import { safeHref } from './format.ts';

export type TextPart = { text: string; href?: undefined } | { text: string; href: string };

/** Web addresses as typed: up to the next space or quote-like character. */
const URL_LIKE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than the address ("see https://x.org/a."). */
const TRAILING = /[.,;:!?)\]}]+$/;

/**
 * The text cut into plain parts and http(s) links. Only addresses that parse as http(s) URLs
 * become links; `javascript:`, `data:` and the rest stay text, as typed.
 */
export function linkParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(URL_LIKE)) {
    const start = match.index ?? 0;
    const address = match[0].replace(TRAILING, '');
    const href = safeHref(address);
    if (!href) continue;
    if (start > at) parts.push({ text: text.slice(at, start) });
    parts.push({ text: address, href });
    at = start + address.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

/** "Ann Lee" → "AL", "alex" → "A"; what an avatar circle shows. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => [...w][0]?.toLocaleUpperCase() ?? '');
  return letters.join('') || '?';
}

/** A hue from the name, so each person keeps one colour. */
export function avatarHue(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return hash;
}

/**
 * The avatar's background at that hue: dark enough for its white initials (small and bold)
 * to pass 4.5:1 at every hue. Yellows are the lightest: at 32 % lightness one was 4.3:1; at
 * 28 % the worst is 5.3:1.
 */
export function avatarColour(hue: number): string {
  return `hsl(${hue} 55% 28%)`;
}
