import {
  createServer as createHttpServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import { NAMESPACES } from '../protocol/events.ts';
import { LIMITS } from '../protocol/limits.ts';
import { AssetFetcher } from './assets/asset-fetcher.ts';
import type { ServerConfig } from './config.ts';
import { HelpDesk } from './desk/desk.ts';
import { HelperHistory } from './desk/history.ts';
import { DeskReports } from './desk/reports.ts';
import { Sessions } from './desk/sessions.ts';
import { createApp } from './http/app.ts';
import { OriginPolicy } from './http/origins.ts';
import { RateLimiter } from './rate-limit.ts';
import { setUpAgentNamespace } from './realtime/agent-namespace.ts';
import { clientAddress } from './realtime/client-address.ts';
import type { VisitorEventLimiters } from './realtime/event-limits.ts';
import { setUpFollowNamespace } from './realtime/follow-namespace.ts';
import { Publisher } from './realtime/publisher.ts';
import { rooms } from './realtime/rooms.ts';
import type { AgentNamespace, FollowNamespace, VisitorNamespace } from './realtime/types.ts';
import { setUpVisitorNamespace } from './realtime/visitor-namespace.ts';
import { SignInGuard } from './sign-in-guard.ts';
import type { LiveState } from './store/live-state.ts';
import type { Store } from './store/store.ts';
import { Webhook } from './webhook.ts';
import { webhookListener } from './webhook-news.ts';

export interface HelpServer {
  httpServer: HttpServer;
  io: Server;
  desk: HelpDesk;
  /** Stops accepting, closes sockets and connections, waits for pending writes. */
  close(): Promise<void>;
}

/**
 * Builds the whole server around a store and live state. Nothing listens until asked. An
 * `adapter` carries Socket.IO rooms to the other processes (see run.ts); `close` ends it.
 */
export async function createServer(
  config: ServerConfig,
  store: Store,
  live: LiveState,
  cluster: { adapter?: ServerOptions['adapter']; close?: () => Promise<void> } = {},
): Promise<HelpServer> {
  const httpServer = createHttpServer();
  // Express must be the server's request listener before Socket.IO attaches: Socket.IO then
  // answers /socket.io/ itself and hands everything else on. Attached after, Express would
  // answer long-polls too, and the double response crashed the process.
  let app: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  httpServer.on('request', (req, res) => app?.(req, res));
  const origins = new OriginPolicy(httpServer, config.allowedOrigins, config.publicOrigin);
  const desk = new HelpDesk(store, live, {
    graceMs: config.graceMs,
    followTokenTtlMs: config.followTokenTtlMs,
    joinCodeTtlMs: config.joinCodeTtlMs,
    visitorGoneMs: config.visitorGoneMs,
    waitingVisitorTimeoutMs: config.waitingVisitorTimeoutMs,
    ...(config.rules ? { rules: config.rules } : {}),
    identitySecret: config.identitySecret,
  });
  const sessions = new Sessions(store, config.sessionTtlMs);

  const io = new Server(httpServer, {
    ...(cluster.adapter ? { adapter: cluster.adapter } : {}),
    maxHttpBufferSize: LIMITS.socketPayloadBytes,
    // Checked on every handshake request, polling and websocket upgrade alike.
    allowRequest: (request, callback) => {
      const allowed = origins.allowsRequest(request);
      callback(allowed ? null : 'origin not allowed', allowed);
    },
    cors: {
      origin: (origin, callback) =>
        callback(null, origin !== undefined && origins.isAllowed(origin)),
      credentials: true,
    },
  });
  // Socket.IO types `of()` with the server's event maps; each namespace has its own contract.
  const visitors = io.of(NAMESPACES.visitor) as unknown as VisitorNamespace;
  const agents = io.of(NAMESPACES.agent) as unknown as AgentNamespace;
  const follow = io.of(NAMESPACES.follow) as unknown as FollowNamespace;
  const publisher = new Publisher(desk, { visitors, agents, follow });
  desk.onNews((news) => publisher.publish(news));
  const webhook = config.webhook && new Webhook(config.webhook);
  if (webhook) desk.onNews(webhookListener(webhook));

  const sendLimiter = new RateLimiter(live, 'chat', config.chatRate);
  setUpFollowNamespace(desk, follow);
  const visitorNamespace = setUpVisitorNamespace({
    desk,
    visitors,
    publisher,
    limiters: visitorEventLimiters(live, config),
    addressOf: clientAddress(config.trustProxy),
    // Half the time after which a visitor with no connection counts as gone (1–30 s).
    visitorLeaseMs: Math.min(30_000, Math.max(1000, config.visitorGoneMs / 2)),
  });
  setUpAgentNamespace({
    desk,
    sessions,
    agents,
    publisher,
    origins,
    sendLimiter,
    joinCodeLimiter: new RateLimiter(live, 'join-code', config.joinCodeRate),
    wrongJoinCodeLimiter: new RateLimiter(live, 'wrong-join-code', config.wrongJoinCodeRate),
  });

  app = createApp({
    config,
    desk,
    sessions,
    history: new HelperHistory(store),
    reports: new DeskReports(store),
    limiters: {
      helpRequest: new RateLimiter(live, 'help-request', config.helpRequestRate),
    },
    signInGuard: new SignInGuard(
      new RateLimiter(live, 'sign-in-ip', config.signIn.perIp),
      live,
      config.signIn.backoff,
    ),
    origins,
    // The sites that embed the widget, and this server's own demo pages.
    assets: new AssetFetcher({
      allowedOrigins: () => [...config.allowedOrigins, ...origins.own()],
    }),
    onSignOut: ({ tokenHash, helperId }) => {
      // Signing out ends that session's sockets at once, not at their next reconnect, and the
      // helper's follow grants and control with them.
      agents.in(rooms.session(tokenHash)).disconnectSockets(true);
      if (helperId) {
        desk
          .helperSignedOut(helperId)
          .catch((error: unknown) => console.error('ending a signed-out helper failed', error));
      }
    },
  });
  desk.start();

  return {
    httpServer,
    io,
    desk,
    async close() {
      desk.stop();
      visitorNamespace.stop();
      const closing = io.close();
      // io.close() ends with httpServer.close(), which waits for every keep-alive and
      // long-poll connection to end by itself: end them once the server has stopped listening.
      await new Promise((resolve) => setImmediate(resolve));
      httpServer.closeAllConnections();
      await closing;
      // What visitors who left just before are still writing, before the store closes.
      await visitorNamespace.settle();
      await webhook?.close();
      await cluster.close?.();
      await store.close();
      await live.close();
    },
  };
}

/** One pair of buckets per visitor event; an address gets `perIpFactor` times as much. */
function visitorEventLimiters(live: LiveState, config: ServerConfig): VisitorEventLimiters {
  const rates = { 'chat:send': config.chatRate, ...config.visitorEventRates };
  const entries = Object.entries(rates).map(([event, rate]) => [
    event,
    {
      perConversation: new RateLimiter(live, `${event}:conversation`, rate),
      perIp: new RateLimiter(live, `${event}:ip`, {
        burst: rate.burst * config.perIpFactor,
        perSecond: rate.perSecond * config.perIpFactor,
      }),
    },
  ]);
  return Object.fromEntries(entries) as VisitorEventLimiters;
}
