import { type Request, type Response, Router } from 'express';
import type { Availability } from '../../protocol/domain.ts';
import { parsePayload, signInSchema } from '../../protocol/schemas.ts';
import type { Sessions } from '../desk/sessions.ts';
import type { SignInGuard } from '../sign-in-guard.ts';
import { readCookie, SESSION_COOKIE } from './cookies.ts';
import { sendError } from './errors.ts';
import { jsonBody } from './json-body.ts';
import type { OriginPolicy } from './origins.ts';

/**
 * `/api/agent/session`: sign in (POST), who am I (GET), sign out (DELETE). Same-origin only:
 * the agent page is served by this server, and the cookie is SameSite=Strict besides.
 */
export function agentSessionRoute(deps: {
  sessions: Sessions;
  origins: OriginPolicy;
  guard: SignInGuard;
  sessionTtlMs: number;
  onSignOut: (ended: { tokenHash: string; helperId?: string }) => void;
  /** Applies the availability chosen on the sign-in form, before the desk page opens. */
  setAvailability: (helperId: string, availability: Availability) => Promise<void>;
}): Router {
  const router = Router();
  const path = '/api/agent/session';

  router.post(
    path,
    (req, res, next) => {
      if (sameOrigin(req, res, deps.origins)) next();
    },
    jsonBody,
    async (req, res) => {
      const parsed = parsePayload(signInSchema, req.body);
      if (!parsed.ok) {
        sendError(res, 400, parsed.error.code, parsed.error.message);
        return;
      }
      const { name, password, availability } = parsed.data;
      const attempt = await deps.guard.attempt(name, req.ip ?? 'unknown', () =>
        deps.sessions.signIn(name, password),
      );
      if (!attempt.ok) {
        const seconds = Math.max(1, Math.ceil(attempt.retryAfterMs / 1000));
        res.set('Retry-After', String(seconds));
        sendError(res, 429, 'rate_limited', `too many sign-ins; try again in ${wait(seconds)}`);
        return;
      }
      const session = attempt.value;
      if (!session) {
        sendError(res, 401, 'unauthorized', 'wrong name or password');
        return;
      }
      if (availability) await deps.setAvailability(session.helper.id, availability);
      res.cookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure,
        path: '/',
        maxAge: deps.sessionTtlMs,
      });
      res.json({ helper: { id: session.helper.id, name: session.helper.name } });
    },
  );

  // "Am I signed in?" is a question, not a request for something guarded: both answers are
  // a 200, so the agent page's first load logs no error in the console. What is guarded
  // (history, sockets) still answers 401 without a session.
  router.get(path, async (req, res) => {
    const found = await deps.sessions.helperFor(readCookie(req.get('cookie'), SESSION_COOKIE));
    res.json({ helper: found ? { id: found.helper.id, name: found.helper.name } : null });
  });

  router.delete(path, async (req, res) => {
    if (!sameOrigin(req, res, deps.origins)) return;
    const token = readCookie(req.get('cookie'), SESSION_COOKIE);
    if (token) deps.onSignOut(await deps.sessions.signOut(token));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  return router;
}

/** Blocks cross-site form posts: browsers always send Origin on POST and DELETE. */
function sameOrigin(req: Request, res: Response, origins: OriginPolicy): boolean {
  const origin = req.get('origin');
  if (origin && origins.isOwn(origin)) return true;
  sendError(res, 403, 'forbidden', "sign-in is only accepted from this server's own pages");
  return false;
}

function wait(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
