import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Identity verification: the site's server signs its user id with `HELP_IDENTITY_SECRET`
 * (hex HMAC-SHA256 of the id), the page passes both to `identify({userId, userHash})`. Only a
 * matching hash marks the id verified; anything else is a claim, shown as such.
 */
export function userHashMatches(secret: string, userId: string, userHash: string): boolean {
  const expected = Buffer.from(createHmac('sha256', secret).update(userId).digest('hex'));
  const given = Buffer.from(userHash.toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
