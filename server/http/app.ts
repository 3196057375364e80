import { existsSync } from 'node:fs';
import express, { type Express } from 'express';
import type { AssetFetcher } from '../assets/asset-fetcher.ts';
import type { ServerConfig } from '../config.ts';
import type { HelpDesk } from '../desk/desk.ts';
import type { HelperHistory } from '../desk/history.ts';
import type { DeskReports } from '../desk/reports.ts';
import type { Sessions } from '../desk/sessions.ts';
import type { RateLimiter } from '../rate-limit.ts';
import type { SignInGuard } from '../sign-in-guard.ts';
import { agentHistoryRoute } from './agent-history-route.ts';
import { agentReportsRoute } from './agent-reports-route.ts';
import { agentSessionRoute } from './agent-session-route.ts';
import { errorHandler, sendError } from './errors.ts';
import { helpRequestsRoute } from './help-requests-route.ts';
import { mirrorAssetRoute } from './mirror-asset-route.ts';
import type { OriginPolicy } from './origins.ts';
import { agentPageHeaders, everywhereHeaders, noStore } from './security-headers.ts';
import { widgetRoutes } from './widget-routes.ts';

const startedAt = Date.now();
const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'";

/** The HTTP side: REST API, the widget bundle, the agent page and the demo site. */
export function createApp(deps: {
  config: ServerConfig;
  desk: HelpDesk;
  sessions: Sessions;
  history: HelperHistory;
  reports: DeskReports;
  /** Help requests per IP. */
  limiters: { helpRequest: RateLimiter };
  signInGuard: SignInGuard;
  origins: OriginPolicy;
  onSignOut: (ended: { tokenHash: string; helperId?: string }) => void;
  /** Mirror mode's images, fonts and stylesheets, fetched from the visitors' sites. */
  assets: AssetFetcher;
}): Express {
  const { config, desk, origins } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(everywhereHeaders());
  app.use('/api', noStore);

  app.get('/api/health', (_req, res) => {
    res.json({ ok: true, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  });
  app.use(helpRequestsRoute({ desk, origins, limiter: deps.limiters.helpRequest }));
  app.use(widgetRoutes({ desk, origins }));
  app.use(
    agentSessionRoute({
      sessions: deps.sessions,
      origins,
      sessionTtlMs: config.sessionTtlMs,
      onSignOut: deps.onSignOut,
      guard: deps.signInGuard,
      setAvailability: (helperId, availability) => desk.setAvailability(helperId, { availability }),
    }),
  );
  app.use(agentHistoryRoute({ sessions: deps.sessions, history: deps.history }));
  app.use(agentReportsRoute({ sessions: deps.sessions, reports: deps.reports }));
  app.use(mirrorAssetRoute({ sessions: deps.sessions, desk, fetcher: deps.assets }));
  app.use('/api', (req, res) => {
    sendError(res, 404, 'not_found', `no API route ${req.method} ${req.path}`);
  });

  const { widget, agent, demo } = config.staticDirs;
  if (existsSync(widget)) {
    // Module scripts are fetched with CORS from the customer's site; the bundle is public.
    app.use(
      express.static(widget, {
        index: false,
        setHeaders: (res) => {
          res.set('Access-Control-Allow-Origin', '*');
          res.set('Cache-Control', 'no-cache');
        },
      }),
    );
  }
  if (existsSync(agent)) {
    app.use('/agent', agentPageHeaders(config.allowedOrigins), express.static(agent));
  }
  if (existsSync(demo)) {
    app.use(
      express.static(demo, {
        extensions: ['html'],
        // One demo page runs under a strict Content-Security-Policy, to show the widget needs
        // no inline script, no inline style and no eval. Another refuses to be framed, as many
        // account pages do, so the helper follows it in a separate window instead.
        setHeaders: (res, path) => {
          if (path.endsWith('strict-csp.html')) res.set('Content-Security-Policy', STRICT_CSP);
          if (path.endsWith('no-frame.html')) {
            res.set('X-Frame-Options', 'DENY');
            res.set('Content-Security-Policy', "frame-ancestors 'none'");
          }
        },
      }),
    );
  }

  app.use(errorHandler);
  return app;
}
