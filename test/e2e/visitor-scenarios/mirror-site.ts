/** The customer's site of the mirror-mode scenarios: a signed-in account page and the next. */
import type { SiteFile } from '../../support/third-party-site.ts';

/** Typed by the visitor into fields that must never leave their browser. */
export const CANARY = {
  password: 'hunter2-CANARY-pw',
  card: '4111-CANARY-1111',
  marked: 'CANARY-in-data-help-mask',
  blocked: 'CANARY-in-a-blocked-form',
};
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const SITE_CSS = 'h1 { color: rgb(12, 34, 56); background: url(/bg.png) } body { margin: 1rem }';

/** The customer's account page: only the visitor, signed in, could load it. */
const accountPage = (helpServer: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Your account — Shop</title>
<link rel="stylesheet" href="/site.css">
<script type="module" src="${helpServer}/widget.js"></script></head>
<body>
  <h1>Your account</h1>
  <img id="logo" src="/logo.png" alt="Shop logo" width="40" height="40">
  <p class="balance">Balance: 1,234.56</p>
  <label>Nickname <input id="nickname"></label>
  <label>Password <input id="password" type="password"></label>
  <label>Card <input id="card" autocomplete="cc-number"></label>
  <div data-help-mask><label>Notes <input id="marked"></label></div>
  <form id="card-form"><label>Secret <input id="blocked"></label></form>
  <p><a id="next" href="/orders.html">Your orders</a></p>
  <help-widget server="${helpServer}"></help-widget>
</body></html>`;

const ordersPage = (helpServer: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Orders — Shop</title>
<link rel="stylesheet" href="/site.css">
<script type="module" src="${helpServer}/widget.js"></script></head>
<body><h1>Your orders</h1><p>Order 1042: a tent.</p>
<help-widget server="${helpServer}"></help-widget></body></html>`;

/** The site's files, the pages naming the help server at `helpServer`. */
export function mirrorSiteFiles(helpServer: string): Record<string, SiteFile> {
  return {
    '/site.css': { type: 'text/css', body: SITE_CSS },
    '/logo.png': { type: 'image/png', body: PNG },
    '/bg.png': { type: 'image/png', body: PNG },
    '/account.html': { type: 'text/html', body: accountPage(helpServer) },
    '/orders.html': { type: 'text/html', body: ordersPage(helpServer) },
  };
}
