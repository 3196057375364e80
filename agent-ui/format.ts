/** Small formatting helpers for what helpers read about visitors. */
import type { ClientDetails } from '../protocol/domain.ts';

export function browserText(details: ClientDetails): string {
  const { browser, os, device } = details.agent;
  const name = [browser.name, browser.version?.split('.')[0]].filter(Boolean).join(' ');
  const system = [os.name, os.version].filter(Boolean).join(' ');
  return [name || 'Unknown browser', system || 'unknown OS', device.type].join(' · ');
}

/** The visitor's wall-clock time now, in their own timezone. */
export function visitorTime(timezone: string, now: Date): string {
  try {
    return now.toLocaleTimeString([], { timeZone: timezone, hour: '2-digit', minute: '2-digit' });
  } catch {
    return 'unknown';
  }
}

export function waitedText(since: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
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

/** Server messages are lower-case phrases; shown on their own they start with a capital. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
