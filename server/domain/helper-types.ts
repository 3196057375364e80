/** Helpers, their preferences and sign-in sessions, as stored. Types only. */
import type { Availability } from '../../protocol/domain.ts';

export interface HelperAccount {
  id: string;
  name: string;
  /** `scrypt$N$r$p$salt$hash`, see server/desk/secrets.ts. */
  passwordHash: string;
  createdAt: string;
}

export interface HelperPrefs {
  availability: Availability;
  capacity: number;
}

export interface SessionRecord {
  /** sha256 of the cookie value; the cookie itself is never stored. */
  tokenHash: string;
  helperId: string;
  createdAt: string;
  expiresAt: string;
}
