import { Router } from 'express';
import {
  agentHistoryQuerySchema,
  agentTranscriptParamsSchema,
  parsePayload,
} from '../../protocol/schemas.ts';
import type { HelperHistory } from '../desk/history.ts';
import type { Sessions } from '../desk/sessions.ts';
import { formatTranscript } from '../domain/transcript.ts';
import { sendError } from './errors.ts';
import { signedIn } from './signed-in.ts';

/**
 * `/api/agent/history`: a signed-in helper's ended conversations (GET, searchable with `q`)
 * and the plain-text transcript of one of them. Only the helper who handled a conversation
 * sees it; to anyone else it does not exist.
 */
export function agentHistoryRoute(deps: { sessions: Sessions; history: HelperHistory }): Router {
  const router = Router();

  router.get('/api/agent/history', async (req, res) => {
    const helper = await signedIn(deps.sessions, req, res);
    if (!helper) return;
    const parsed = parsePayload(agentHistoryQuerySchema, req.query);
    if (!parsed.ok) {
      sendError(res, 400, parsed.error.code, parsed.error.message);
      return;
    }
    const conversations = await deps.history.list(helper, parsed.data);
    res.set('Cache-Control', 'no-store');
    res.json({ conversations });
  });

  router.get('/api/agent/history/:id/transcript', async (req, res) => {
    const helper = await signedIn(deps.sessions, req, res);
    if (!helper) return;
    const parsed = parsePayload(agentTranscriptParamsSchema, { id: req.params.id });
    if (!parsed.ok) {
      sendError(res, 400, parsed.error.code, parsed.error.message);
      return;
    }
    const record = await deps.history.ended(helper, parsed.data.id);
    if (!record) {
      sendError(res, 404, 'not_found', 'no such conversation in your history');
      return;
    }
    const transcript = formatTranscript(
      record,
      await deps.history.messages(record.id),
      helper.name,
    );
    res.set({
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Disposition': `attachment; filename="transcript-${record.id.slice(0, 8)}.txt"`,
      'Cache-Control': 'no-store',
      // Visitors' text is shown as text, never sniffed into HTML.
      'X-Content-Type-Options': 'nosniff',
    });
    res.send(transcript);
  });

  return router;
}
