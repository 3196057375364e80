/** Small formatting helpers for what helpers read about visitors. */
import type { ClientDetails } from '../protocol/domain.ts';
import { strings } from './strings.ts';

const words = strings.format;

/** What to call a visitor: the name the site gave, else "Visitor 4821" (same browser, same number). */
export function visitorLabel(summary: {
  visitor: { name?: string };
  visitorNumber?: string;
}): string {
  if (summary.visitor.name) return summary.visitor.name;
  return summary.visitorNumber ? strings.visitorNumbered(summary.visitorNumber) : strings.visitor;
}

export function browserText(details: ClientDetails): string {
  const { browser, os, device } = details.agent;
  const name = [browser.name, browser.version?.split('.')[0]].filter(Boolean).join(' ');
  const system = [os.name, os.version].filter(Boolean).join(' ');
  return [name || words.unknownBrowser, system || words.unknownOs, device.type].join(' · ');
}

/** The visitor's wall-clock time now, in their own timezone. */
export function visitorTime(timezone: string, now: Date): string {
  try {
    return now.toLocaleTimeString([], { timeZone: timezone, hour: '2-digit', minute: '2-digit' });
  } catch {
    return words.unknown;
  }
}

export function waitedText(since: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000));
  if (seconds < 60) return words.seconds(seconds);
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? words.minutes(minutes)
    : words.hours(Math.floor(minutes / 60), minutes % 60);
}

/** Visitor-supplied URLs become links only when they are http(s). */
export function safeHref(url: string): string | undefined {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A `mailto:` for a visitor-supplied address, or undefined when it does not look like one.
 * Each side of the `@` is percent-encoded: an address may legally hold `?` or `&`, which
 * would otherwise add a subject, a body or more recipients to the helper's email.
 */
export function safeMailto(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (at < 1 || !domain || /[\s<>"]/.test(email)) return undefined;
  return `mailto:${encodeURIComponent(local)}@${encodeURIComponent(domain)}`;
}

/** Where on the site a page is, for naming it briefly: "/pricing". */
export function pagePath(url: string): string {
  const href = safeHref(url);
  return href ? new URL(href).pathname : url;
}

/** Server messages are lower-case phrases; shown on their own they start with a capital. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
