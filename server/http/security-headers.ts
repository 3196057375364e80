import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Headers for everything we serve: no MIME sniffing, no DNS prefetch, no Flash/PDF policy
 * files, origin-keyed agent clusters. Framing and cross-origin isolation are decided per
 * part (below); HSTS is left to the proxy that terminates TLS, which knows the domain.
 */
export function everywhereHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    // The widget is loaded by other sites; the agent page sets its own below.
    crossOriginResourcePolicy: false,
    // Pages of the demo send their origin to other sites, as a customer's pages would.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: false,
    xFrameOptions: false,
  });
}

/**
 * The agent page: scripts, images, fonts and connections from this server only, no inline
 * script, framed by nobody but itself. It frames the visitors' pages (follow mode), so
 * `frame-src` names the sites allowed to embed the widget. Mirror mode replays a visitor's page
 * in a frame of this page's own, which inherits this policy: its styles are inline (`<style>`
 * and `style=`, as recorded), hence `'unsafe-inline'` for styles only; its images and fonts
 * come from this server's asset route, and anything the rewriting missed is blocked here
 * rather than fetched from the site. No `Cross-Origin-Opener-Policy`: a copy opened in its own
 * window (pages that refuse frames) says hello through `opener`.
 */
export function agentPageHeaders(siteOrigins: readonly string[]): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        mediaSrc: ["'none'"],
        connectSrc: ["'self'"],
        frameSrc: ["'self'", ...siteOrigins],
        frameAncestors: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'sameorigin' },
  });
}

/** API answers are about one person at one moment: never kept by a browser or a proxy. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  res.set('Referrer-Policy', 'no-referrer');
  next();
};
