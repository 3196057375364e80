/**
 * What this browser remembers for its helper between visits: the availability they chose at
 * sign-in (or switched to last) and the width of the page pane. localStorage, because none of
 * it is a secret and the server cannot know who is signing in before they do.
 */
import type { Availability } from '../protocol/domain.ts';

const AVAILABILITY = 'help-agent.availability';
const PAGE_SHARE = 'help-agent.page-share';

/** Storage may be off (private modes, policies): then nothing is remembered, nothing breaks. */
function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not remembered: the default is used next time.
  }
}

/** The last choice; "away" before any, so nobody is handed chats they did not ask for. */
export function rememberedAvailability(): Availability {
  return read(AVAILABILITY) === 'available' ? 'available' : 'away';
}

export function rememberAvailability(availability: Availability): void {
  write(AVAILABILITY, availability);
}

/** The page pane's share of the conversation's width, in percent, within the bounds given. */
export function rememberedPageShare(fallback: number, min: number, max: number): number {
  const kept = Number(read(PAGE_SHARE));
  return Number.isFinite(kept) && kept >= min && kept <= max ? kept : fallback;
}

export function rememberPageShare(percent: number): void {
  write(PAGE_SHARE, String(Math.round(percent)));
}
