import { type Browser, chromium, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.ts';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/** Collects console errors and page errors, so a test can insist there were none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * Records everything a page sends, in order: websocket frames and request bodies (Socket.IO
 * may start on HTTP long-polling). Attach it before the page opens its sockets: a listener
 * added later does not see a websocket that is already open.
 */
export function recordSent(page: Page): string[] {
  const sent: string[] = [];
  page.on('websocket', (socket) => socket.on('framesent', (f) => sent.push(String(f.payload))));
  page.on('request', (request) => sent.push(request.postData() ?? ''));
  return sent;
}

/**
 * Everything the page's sockets and requests received, as text: to show that something never
 * reached this browser at all (a helper's internal note), not only that it is not drawn.
 */
export function recordReceived(page: Page): string[] {
  const received: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', (f) => received.push(String(f.payload))),
  );
  page.on('response', (response) => {
    void response.text().then(
      (body) => received.push(body),
      () => undefined,
    );
  });
  return received;
}

/** A Socket.IO event packet: `42`, then an optional `/namespace,`, ack id, and the JSON array. */
const eventPacket = /^42(?:\/[^,]*,)?\d*(\[.*\])$/s;

/** The payloads of the Socket.IO events called `name` among what `recordSent` recorded. */
export function sentEvents(sent: string[], name: string): Record<string, unknown>[] {
  const payloads: Record<string, unknown>[] = [];
  // Long-polling joins packets with the record separator.
  for (const packet of sent.flatMap((body) => body.split('\x1e'))) {
    const json = eventPacket.exec(packet)?.[1];
    if (!json) continue;
    const [event, payload] = JSON.parse(json) as [unknown, Record<string, unknown>];
    if (event === name) payloads.push(payload);
  }
  return payloads;
}
