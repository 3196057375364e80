import { Router } from 'express';
import { mirrorAssetQuerySchema } from '../../protocol/mirror.ts';
import { parsePayload } from '../../protocol/schemas.ts';
import type { AssetFetcher } from '../assets/asset-fetcher.ts';
import type { HelpDesk } from '../desk/desk.ts';
import type { Sessions } from '../desk/sessions.ts';
import { sendDeskError, sendError } from './errors.ts';
import { signedIn } from './signed-in.ts';

/**
 * `GET /api/mirror/asset`: an image, font or stylesheet of a page a visitor shares, fetched
 * by this server from the visitor's site (asset-fetcher.ts), for the helper the page is
 * shared with and no one else. The helper's browser never talks to the site itself.
 */
export function mirrorAssetRoute(deps: {
  sessions: Sessions;
  desk: HelpDesk;
  fetcher: AssetFetcher;
}): Router {
  const router = Router();
  router.get('/api/mirror/asset', async (req, res) => {
    const helper = await signedIn(deps.sessions, req, res);
    if (!helper) return;
    const parsed = parsePayload(mirrorAssetQuerySchema, req.query);
    if (!parsed.ok) {
      sendError(res, 400, parsed.error.code, parsed.error.message);
      return;
    }
    const { c: conversationId, u: url } = parsed.data;
    try {
      const actor = { kind: 'helper', helperId: helper.id, name: helper.name } as const;
      await deps.desk.checkMirrorFetch(actor, conversationId);
    } catch (error) {
      sendDeskError(res, error);
      return;
    }
    const asset = await deps.fetcher.fetch(url);
    if (!asset.ok) {
      sendError(res, asset.status, asset.code, asset.message);
      return;
    }
    const etag = `"${asset.hash}"`;
    res.set({
      'Content-Type': asset.contentType,
      ETag: etag,
      // Per helper and per share: a shared cache must not keep it.
      'Cache-Control': 'private, max-age=600',
      'X-Content-Type-Options': 'nosniff',
      // An SVG opened on its own would be a document of our origin: no script, no origin.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    if (req.get('if-none-match') === etag) {
      res.status(304).end();
      return;
    }
    res.send(asset.body);
  });
  return router;
}
