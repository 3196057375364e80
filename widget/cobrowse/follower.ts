import { io, type Socket } from 'socket.io-client';
import type { FollowMessage, StoredChange } from '../../protocol/cobrowse.ts';
import type { FollowClientEvents, FollowServerEvents } from '../../protocol/events.ts';
import { TRANSPORTS } from '../../protocol/transports.ts';
import { findByPath, pathOf } from './element-path.ts';
import { applyField, asControl, resetField } from './fields.ts';
import { noteApplied, startLeading } from './leader.ts';
import { keepPrivateFieldsReadOnly, makeControlsReadOnly } from './read-only.ts';
import { applyScroll } from './scroll-position.ts';
import { applySelection } from './selection.ts';

type FollowSocket = Socket<FollowServerEvents, FollowClientEvents>;
type ScrollChange = Extract<StoredChange, { type: 'scroll' }>;

const HANDSHAKE_MS = 5000;

/**
 * The helper's copy of the visitor's page. When this page runs in the agent page's frame (or
 * a window it opened), it says hello to the help server's origin only, and accepts a follow
 * token only from that origin and that window. Then it follows: same URL, same scroll.
 * Resolves false, changing nothing, when no agent page answers. When `signal` aborts, the
 * handshake or the following ends and everything it added to the page goes.
 */
export function becomeFollower(
  serverOrigin: string,
  onStatus: (text: string) => void,
  signal?: AbortSignal,
): Promise<boolean> {
  const agent =
    (window.opener as Window | null) ?? (window.parent !== window ? window.parent : null);
  if (!agent || signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (joined: boolean) => {
      removeEventListener('message', onMessage);
      signal?.removeEventListener('abort', abandon);
      clearTimeout(timer);
      resolve(joined);
    };
    const abandon = () => done(false);
    const onMessage = (event: MessageEvent<FollowMessage>) => {
      if (event.origin !== serverOrigin || event.source !== agent) return;
      const data = event.data;
      if (data?.source !== 'help-agent' || data.type !== 'follow:grant') return;
      if (typeof data.token !== 'string') return;
      done(true);
      const stop = startFollowing({
        agent,
        serverOrigin,
        token: data.token,
        conversationId: data.conversationId,
        onStatus,
      });
      signal?.addEventListener('abort', stop, { once: true });
    };
    const timer = setTimeout(abandon, HANDSHAKE_MS);
    addEventListener('message', onMessage);
    signal?.addEventListener('abort', abandon, { once: true });
    const hello: FollowMessage = { source: 'help-widget', type: 'follow:hello' };
    agent.postMessage(hello, serverOrigin);
  });
}

export interface FollowOptions {
  /** The agent page's window: the only one whose messages are heard. */
  agent: Window;
  /** The help server's origin, which is also the agent page's. */
  serverOrigin: string;
  /** The follow token the agent page granted. */
  token: string;
  conversationId: string;
  onStatus: (text: string) => void;
}

/**
 * Follows the visitor's page once the agent page has granted a token. Returns `stop`: the
 * socket closes, and every listener, the read-only guard and the pointing cursor go.
 */
export function startFollowing(options: FollowOptions): () => void {
  const lifetime = new AbortController();
  follow(options, lifetime.signal);
  listenForPointing(options.agent, options.serverOrigin, lifetime.signal);
  return () => lifetime.abort();
}

function follow(
  { serverOrigin, token, conversationId, onStatus }: FollowOptions,
  signal: AbortSignal,
): void {
  const socket: FollowSocket = io(`${serverOrigin}/follow`, {
    auth: { token },
    reconnection: false,
    ...TRANSPORTS,
  });
  const scrolls = new Map<string, ScrollChange>();
  /**
   * The page load named by the visitor's latest navigation (see NavigateValue.load), once one
   * has come. The same rule as the server's (`startsAnotherPageLoad`): a navigation naming a
   * page load other than the latest one's, even after one that named none (an older widget
   * before the site updated it), is another page load; one naming none is the same.
   */
  let page: { load: string | undefined } | undefined;
  const apply = (change: StoredChange): boolean => {
    switch (change.type) {
      case 'navigate': {
        const next = change.value.load;
        const reloaded = page !== undefined && next !== undefined && next !== page.load;
        page = { load: next };
        if (navigate(change.value.url)) return true;
        // The visitor's page loaded again here (or another tab of it is in view): what the
        // copy shows of the page before goes; what the new one has follows this change.
        if (reloaded) startAfresh();
        return false;
      }
      case 'scroll':
        scrolls.set(change.key, change);
        noteApplied(change);
        scrollTo(change);
        return false;
      case 'field': {
        const control = asControl(findByPath(change.key) ?? null);
        noteApplied(change);
        if (control) applyField(control, change.value);
        return false;
      }
      case 'select':
        applySelection(change.value);
        return false;
      default:
        // Window size and tab focus are for the helper's pane, not the page.
        return false;
    }
  };
  // Read-only until the visitor grants control; then the helper's own scrolling, navigation
  // and typing here are reported and drive the visitor's page.
  let undoReadOnly: (() => void) | undefined = makeControlsReadOnly();
  const undoPrivate = keepPrivateFieldsReadOnly();
  let stopReporting: (() => void) | undefined;
  const endControl = () => {
    stopReporting?.();
    stopReporting = undefined;
    undoReadOnly ??= makeControlsReadOnly();
  };
  socket.on('control:status', (status) => {
    if (status.state === 'granted' && !stopReporting) {
      undoReadOnly?.();
      undoReadOnly = undefined;
      stopReporting = startLeading(
        (change) => {
          if (change.type === 'navigate' || change.type === 'scroll' || change.type === 'field') {
            socket.emit('control:change', { conversationId, ...change });
          }
        },
        { changesOnly: true },
      );
      onStatus("You are in control of the visitor's page");
    } else if (status.state !== 'granted' && stopReporting) {
      endControl();
      onStatus("Following the visitor's page");
    }
  });
  // Said at once: the copy is read-only from here, whatever the connection does next.
  onStatus("Joining the visitor's page…");
  socket.on('connect', () => onStatus("Following the visitor's page"));
  socket.on('connect_error', () => onStatus('Could not join: reopen the follow pane'));
  socket.on('cobrowse:state', ({ changes }) => {
    for (const change of changes) if (apply(change)) return;
  });
  socket.on('cobrowse:change', (change) => void apply(change));
  socket.on('cobrowse:status', (status) => {
    if (status.active) return;
    onStatus('The visitor stopped sharing their page');
    socket.disconnect();
  });
  // With the socket gone, whatever the helper does here reaches no one: read-only again.
  socket.on('disconnect', endControl);
  // Late images and fonts move content: put the visitor's view back once they are in.
  addEventListener(
    'load',
    () => {
      for (const change of scrolls.values()) scrollTo(change);
    },
    { signal },
  );
  signal.addEventListener(
    'abort',
    () => {
      socket.disconnect();
      endControl();
      undoReadOnly?.();
      undoReadOnly = undefined;
      undoPrivate();
    },
    { once: true },
  );
}

/**
 * "Point": while the agent page has pointing on, the helper's next click on the copy names
 * that element to the agent page (its origin only), which sends it on to the visitor.
 */
function listenForPointing(agent: Window, serverOrigin: string, signal: AbortSignal): void {
  let pointing = false;
  const point = (on: boolean) => {
    pointing = on;
    document.documentElement.style.cursor = on ? 'crosshair' : '';
  };
  addEventListener(
    'message',
    (event: MessageEvent<FollowMessage>) => {
      if (event.origin !== serverOrigin || event.source !== agent) return;
      if (event.data?.source === 'help-agent' && event.data.type === 'follow:point-mode') {
        point(event.data.on === true);
      }
    },
    { signal },
  );
  // On window, capturing: before the copy's read-only guard on document sees the click.
  addEventListener(
    'click',
    (event) => {
      if (!pointing || !(event.target instanceof Element)) return;
      const path = pathOf(event.target);
      if (!path) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      point(false);
      const message: FollowMessage = { source: 'help-widget', type: 'follow:point', path };
      agent.postMessage(message, serverOrigin);
    },
    { capture: true, signal },
  );
  signal.addEventListener('abort', () => point(false), { once: true });
}

/** Goes where the visitor went, within this site only. True when the page is leaving. */
function navigate(url: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.origin !== location.origin || target.href === location.href) return false;
  const here = new URL(location.href);
  if (target.pathname === here.pathname && target.search === here.search) {
    location.hash = target.hash;
    return false;
  }
  location.assign(target.href);
  return true;
}

/** Every field as the page loaded it: the visitor's new page load reports its own after. */
function startAfresh(): void {
  for (const element of document.querySelectorAll('input, textarea, select')) {
    const control = asControl(element);
    if (control && !control.closest('help-widget')) resetField(control);
  }
}

function scrollTo(change: ScrollChange): void {
  if (change.key === 'window') applyScroll(change.value);
  else {
    const element = findByPath(change.key);
    if (element) applyScroll(change.value, element);
  }
}
