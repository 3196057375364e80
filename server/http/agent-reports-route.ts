import { Router } from 'express';
import { reportCsvQuerySchema, reportQuerySchema } from '../../protocol/reports.ts';
import { parsePayload } from '../../protocol/schemas.ts';
import type { DeskReports } from '../desk/reports.ts';
import type { Sessions } from '../desk/sessions.ts';
import { sendError } from './errors.ts';
import { signedIn } from './signed-in.ts';

/**
 * `/api/agent/reports`: the desk's figures for a range of days in the helper's time zone, as
 * JSON for the Reports page and as CSV downloads. Any signed-in helper sees the whole desk's.
 */
export function agentReportsRoute(deps: { sessions: Sessions; reports: DeskReports }): Router {
  const router = Router();

  router.get('/api/agent/reports', async (req, res) => {
    if (!(await signedIn(deps.sessions, req, res))) return;
    const parsed = parsePayload(reportQuerySchema, req.query);
    if (!parsed.ok) {
      sendError(res, 400, parsed.error.code, parsed.error.message);
      return;
    }
    res.json({ report: await deps.reports.report(parsed.data) });
  });

  router.get('/api/agent/reports.csv', async (req, res) => {
    if (!(await signedIn(deps.sessions, req, res))) return;
    const parsed = parsePayload(reportCsvQuerySchema, req.query);
    if (!parsed.ok) {
      sendError(res, 400, parsed.error.code, parsed.error.message);
      return;
    }
    const { what, ...query } = parsed.data;
    const body =
      what === 'figures'
        ? await deps.reports.figuresCsv(query)
        : await deps.reports.conversationsCsv(query);
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      // Dates are digits and hyphens only (the schema): nothing to escape in the name.
      'Content-Disposition': `attachment; filename="${what}-${query.from}-to-${query.to}.csv"`,
      'X-Content-Type-Options': 'nosniff',
    });
    res.send(body);
  });

  return router;
}
