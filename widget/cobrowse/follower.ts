import { io, type Socket } from 'socket.io-client';
import type { FollowMessage, StoredChange } from '../../protocol/cobrowse.ts';
import type { FollowClientEvents, FollowServerEvents } from '../../protocol/events.ts';
import { findByPath, pathOf } from './element-path.ts';
import { applyField, asControl } from './fields.ts';
import { noteApplied, startLeading } from './leader.ts';
import { makeControlsReadOnly } from './read-only.ts';
import { applyScroll } from './scroll-position.ts';
import { applySelection } from './selection.ts';

type FollowSocket = Socket<FollowServerEvents, FollowClientEvents>;

const HANDSHAKE_MS = 5000;

/**
 * The helper's copy of the visitor's page. When this page runs in the agent page's frame (or
 * a window it opened), it says hello to the help server's origin only, and accepts a follow
 * token only from that origin and that window. Then it follows: same URL, same scroll.
 * Resolves false, changing nothing, when no agent page answers.
 */
export function becomeFollower(
  serverOrigin: string,
  onStatus: (text: string) => void,
): Promise<boolean> {
  const agent =
    (window.opener as Window | null) ?? (window.parent !== window ? window.parent : null);
  if (!agent) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (joined: boolean) => {
      removeEventListener('message', onMessage);
      clearTimeout(timer);
      resolve(joined);
    };
    const onMessage = (event: MessageEvent<FollowMessage>) => {
      if (event.origin !== serverOrigin || event.source !== agent) return;
      const data = event.data;
      if (data?.source !== 'help-agent' || data.type !== 'follow:grant') return;
      if (typeof data.token !== 'string') return;
      done(true);
      follow(serverOrigin, data.token, data.conversationId, onStatus);
      listenForPointing(agent, serverOrigin);
    };
    const timer = setTimeout(() => done(false), HANDSHAKE_MS);
    addEventListener('message', onMessage);
    const hello: FollowMessage = { source: 'help-widget', type: 'follow:hello' };
    agent.postMessage(hello, serverOrigin);
  });
}

function follow(
  serverOrigin: string,
  token: string,
  conversationId: string,
  onStatus: (text: string) => void,
): void {
  const socket: FollowSocket = io(`${serverOrigin}/follow`, {
    auth: { token },
    reconnection: false,
  });
  const scrolls = new Map<string, StoredChange>();
  const apply = (change: StoredChange): boolean => {
    switch (change.type) {
      case 'navigate':
        return navigate(change.value.url);
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
  let stopReporting: (() => void) | undefined;
  socket.on('control:status', (status) => {
    if (status.state === 'granted' && !stopReporting) {
      undoReadOnly?.();
      undoReadOnly = undefined;
      stopReporting = startLeading((change) => {
        if (change.type === 'navigate' || change.type === 'scroll' || change.type === 'field') {
          socket.emit('control:change', { conversationId, ...change });
        }
      });
      onStatus("You are in control of the visitor's page");
    } else if (status.state !== 'granted' && stopReporting) {
      stopReporting();
      stopReporting = undefined;
      undoReadOnly ??= makeControlsReadOnly();
      onStatus("Following the visitor's page");
    }
  });
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
  // Late images and fonts move content: put the visitor's view back once they are in.
  addEventListener('load', () => {
    for (const change of scrolls.values()) scrollTo(change);
  });
}

/**
 * "Point": while the agent page has pointing on, the helper's next click on the copy names
 * that element to the agent page (its origin only), which sends it on to the visitor.
 */
function listenForPointing(agent: Window, serverOrigin: string): void {
  let pointing = false;
  addEventListener('message', (event: MessageEvent<FollowMessage>) => {
    if (event.origin !== serverOrigin || event.source !== agent) return;
    if (event.data?.source === 'help-agent' && event.data.type === 'follow:point-mode') {
      pointing = event.data.on === true;
      document.documentElement.style.cursor = pointing ? 'crosshair' : '';
    }
  });
  // On window, capturing: before the copy's read-only guard on document sees the click.
  addEventListener(
    'click',
    (event) => {
      if (!pointing || !(event.target instanceof Element)) return;
      const path = pathOf(event.target);
      if (!path) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      pointing = false;
      document.documentElement.style.cursor = '';
      const message: FollowMessage = { source: 'help-widget', type: 'follow:point', path };
      agent.postMessage(message, serverOrigin);
    },
    { capture: true },
  );
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

function scrollTo(change: StoredChange): void {
  if (change.type !== 'scroll') return;
  if (change.key === 'window') applyScroll(change.value);
  else {
    const element = findByPath(change.key);
    if (element) applyScroll(change.value, element);
  }
}
