import { Router } from 'express';
import type { DeskStatus } from '../../protocol/domain.ts';
import { parsePayload, ratingSchema } from '../../protocol/schemas.ts';
import type { HelpDesk } from '../desk/desk.ts';
import { cors, preflight } from './cors.ts';
import { sendDeskError, sendError } from './errors.ts';
import { jsonBody } from './json-body.ts';
import type { OriginPolicy } from './origins.ts';

/**
 * The widget's calls besides the help request itself, cross-origin like it:
 * - `GET /api/desk-status`: whether someone is there and how long answers usually take, so
 *   the dialog can greet honestly before any conversation exists;
 * - `POST /api/ratings`: the visitor rates their ended chat, with their token as the bearer
 *   (a header, never the URL, so it stays out of logs).
 */
export function widgetRoutes(deps: { desk: HelpDesk; origins: OriginPolicy }): Router {
  const router = Router();
  // Nothing here is secret: the server's own pages (the demo) may ask without an Origin.
  router.get('/api/desk-status', cors(deps.origins, { sameOriginToo: true }), async (_req, res) => {
    const status: DeskStatus = await deps.desk.deskStatus();
    res.json(status);
  });

  router.options('/api/ratings', preflight(deps.origins, 'POST', 'Content-Type, Authorization'));
  router.post('/api/ratings', cors(deps.origins), jsonBody, async (req, res) => {
    const token = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(req.get('authorization') ?? '')?.[1];
    if (!token) {
      sendError(res, 401, 'unauthorized', 'a visitor token is required');
      return;
    }
    const parsed = parsePayload(ratingSchema, req.body);
    if (!parsed.ok) {
      sendError(res, 400, parsed.error.code, parsed.error.message);
      return;
    }
    try {
      const { record } = await deps.desk.rate(token, parsed.data);
      res.json({ ok: true, data: record.rating });
    } catch (error) {
      sendDeskError(res, error);
    }
  });

  return router;
}
