/**
 * Vitest browser commands: run in Node, called from tests in Chromium. They let an element
 * test start a real help server that allows the test page's origin, and look at what it stored.
 */
import type { BrowserCommand } from 'vitest/node';
import type { ClientDetails } from '../../protocol/domain.ts';
import { type Harness, startHarness } from './server-harness.ts';

const servers = new Map<string, Harness>();

const startHelpServer: BrowserCommand<[origin: string]> = async (_ctx, origin) => {
  const harness = await startHarness({ allowedOrigins: [origin] });
  servers.set(harness.url, harness);
  return { url: harness.url };
};

const stopHelpServer: BrowserCommand<[url: string]> = async (_ctx, url) => {
  await servers.get(url)?.stop();
  servers.delete(url);
};

const storedDetails: BrowserCommand<[url: string, conversationId: string]> = async (
  _ctx,
  url,
  conversationId,
) => (await servers.get(url)?.store.getConversation(conversationId))?.details ?? null;

export const helpCommands = { startHelpServer, stopHelpServer, storedDetails };

declare module 'vitest/browser' {
  interface BrowserCommands {
    startHelpServer: (origin: string) => Promise<{ url: string }>;
    stopHelpServer: (url: string) => Promise<void>;
    storedDetails: (url: string, conversationId: string) => Promise<ClientDetails | null>;
  }
}
