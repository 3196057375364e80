import { Router } from 'express';
import type { HelpRequestCreated } from '../../protocol/domain.ts';
import { helpRequestSchema, parsePayload } from '../../protocol/schemas.ts';
import type { HelpDesk } from '../desk/desk.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { cors, preflight } from './cors.ts';
import { sendError } from './errors.ts';
import { jsonBody } from './json-body.ts';
import type { OriginPolicy } from './origins.ts';

/**
 * `POST /api/help-requests`: the widget's first call, made before any socket exists.
 * Cross-origin by nature (the widget runs on the customer's site), so CORS is answered here,
 * for allowed origins only.
 */
export function helpRequestsRoute(deps: {
  desk: HelpDesk;
  origins: OriginPolicy;
  limiter: RateLimiter;
}): Router {
  const router = Router();

  router.options('/api/help-requests', preflight(deps.origins, 'POST', 'Content-Type'));

  // The origin is checked before the body is parsed, so even a bad body's error carries CORS
  // headers the widget can read, and a foreign origin learns nothing from body parsing.
  router.post('/api/help-requests', cors(deps.origins), jsonBody, async (req, res) => {
    const ip = req.ip ?? 'unknown';
    const bucket = await deps.limiter.take(ip);
    if (!bucket.ok) {
      const seconds = Math.ceil(bucket.retryAfterMs / 1000);
      res.set('Retry-After', String(seconds));
      sendError(res, 429, 'rate_limited', `too many help requests; try again in ${seconds} s`);
      return;
    }
    const parsed = parsePayload(helpRequestSchema, req.body);
    if (!parsed.ok) {
      sendError(res, 400, parsed.error.code, parsed.error.message);
      return;
    }
    const { record, token } = await deps.desk.requestHelp(parsed.data);
    const body: HelpRequestCreated = {
      conversationId: record.id,
      visitorToken: token,
      joinCode: record.joinCode,
    };
    res.status(201).json(body);
  });

  return router;
}
