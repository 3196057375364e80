import type { Request, Response } from 'express';
import type { Sessions } from '../desk/sessions.ts';
import type { HelperAccount } from '../domain/helper-types.ts';
import { readCookie, SESSION_COOKIE } from './cookies.ts';
import { sendError } from './errors.ts';

/** The helper the session cookie belongs to; answers 401 itself when there is none. */
export async function signedIn(
  sessions: Sessions,
  req: Request,
  res: Response,
): Promise<HelperAccount | undefined> {
  const found = await sessions.helperFor(readCookie(req.get('cookie'), SESSION_COOKIE));
  if (!found) sendError(res, 401, 'unauthorized', 'not signed in');
  return found?.helper;
}
