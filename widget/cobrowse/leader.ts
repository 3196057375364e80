import type { CobrowseChange } from '../../protocol/cobrowse.ts';
import { randomId } from '../random-id.ts';
import { pathOf } from './element-path.ts';
import { asControl, type Control, isChanged, readField } from './fields.ts';
import { readScroll } from './scroll-position.ts';
import { readSelection } from './selection.ts';

/**
 * The visitor's page while a helper follows it: reports navigation (full loads and
 * single-page-app route changes), scrolling (the window and scrollable elements), form values
 * (masked ones as `{masked: true}` only) and the selected text. Scroll and selection are
 * throttled to animation frames. Loaded only once follow mode starts. Returns `stop`.
 *
 * `changesOnly` is for the helper's copy in control: it reports what the helper does from now
 * on, never the copy as it stands, which may lag the visitor's page and would overwrite it.
 */
export function startLeading(
  sendAny: (change: CobrowseChange) => void,
  { changesOnly = false }: { changesOnly?: boolean } = {},
): () => void {
  // With the site open in two tabs, both lead; only the one in view speaks, so the copy
  // follows the tab the visitor is using. A hidden tab says only that it is hidden.
  const inView = () => document.visibilityState === 'visible';
  const send = (change: CobrowseChange) => {
    if (!inView()) return;
    // What the other side just applied here must not bounce back to it.
    if (isEcho(change)) return;
    sendAny(change);
  };
  const tabId = tabIdentity();
  let lastUrl: string | undefined = changesOnly ? location.href : undefined;
  const reportPage = () => {
    if (location.href === lastUrl) return;
    lastUrl = location.href;
    send({
      type: 'navigate',
      key: 'page',
      value: { url: location.href, title: document.title, load: PAGE_LOAD },
    });
  };

  const sendField = (control: Control) => {
    const key = pathOf(control);
    if (key) send({ type: 'field', key, value: readField(control) });
  };
  const onInput = (event: Event) => {
    const control = asControl(event.target);
    if (control && !control.closest('help-widget')) sendField(control);
  };

  let selectionDirty = false;
  const dirty = new Set<Element | 'window'>();
  let frame = 0;
  const flush = () => {
    frame = 0;
    if (selectionDirty) {
      selectionDirty = false;
      send({ type: 'select', key: 'selection', value: readSelection() });
    }
    for (const target of dirty) {
      if (target === 'window') {
        send({ type: 'scroll', key: 'window', value: readScroll() });
        continue;
      }
      const key = pathOf(target);
      if (key) send({ type: 'scroll', key, value: readScroll(target) });
    }
    dirty.clear();
  };
  const onScroll = (event: Event) => {
    const target = event.target;
    if (target === document || target === document.documentElement) dirty.add('window');
    else if (target instanceof Element && !target.closest('help-widget')) dirty.add(target);
    else return;
    frame ||= requestAnimationFrame(flush);
  };
  const onSelection = () => {
    selectionDirty = true;
    frame ||= requestAnimationFrame(flush);
  };

  // Route changes without a load: pushState and replaceState fire no event, so the URL is
  // compared on every history event and, for those two, on a light timer. The page's own
  // history functions are left alone.
  const timer = setInterval(reportPage, 250);
  // Where the Navigation API exists it tells at once.
  const navigation = (window as Window & { navigation?: EventTarget }).navigation;
  navigation?.addEventListener('currententrychange', reportPage);
  addEventListener('popstate', reportPage);
  addEventListener('hashchange', reportPage);
  document.addEventListener('scroll', onScroll, { capture: true, passive: true });
  document.addEventListener('input', onInput, { capture: true });
  document.addEventListener('change', onInput, { capture: true });
  document.addEventListener('selectionchange', onSelection);

  const reportSize = () => {
    send({ type: 'resize', key: 'viewport', value: { width: innerWidth, height: innerHeight } });
  };
  let sizeFrame = 0;
  const onResize = () => {
    sizeFrame ||= requestAnimationFrame(() => {
      sizeFrame = 0;
      reportSize();
    });
  };

  /**
   * Everything the copy needs to show this tab as it is now. The page first: from another
   * page load (a reload, another tab) it starts the copy's state afresh, and the rest follows.
   */
  const snapshot = () => {
    // The page as it is, not a reply: what was applied here from the other side goes too.
    applied.clear();
    lastUrl = undefined;
    reportPage();
    reportSize();
    // What the visitor has already filled in, so the copy shows it from the start.
    for (const element of document.querySelectorAll('input, textarea, select')) {
      const control = asControl(element);
      if (control && !control.closest('help-widget') && isChanged(control)) sendField(control);
    }
    dirty.add('window');
    flush();
  };
  const reportFocus = () => {
    sendAny({
      type: 'focus',
      key: 'focus',
      value: { visible: inView(), focused: document.hasFocus(), tabId },
    });
  };
  const onVisibility = () => {
    reportFocus();
    if (inView() && !changesOnly) snapshot();
  };
  addEventListener('resize', onResize);
  addEventListener('focus', reportFocus);
  addEventListener('blur', reportFocus);
  document.addEventListener('visibilitychange', onVisibility);
  reportFocus();
  if (!changesOnly) snapshot();

  return () => {
    clearInterval(timer);
    cancelAnimationFrame(frame);
    navigation?.removeEventListener('currententrychange', reportPage);
    removeEventListener('popstate', reportPage);
    removeEventListener('hashchange', reportPage);
    document.removeEventListener('scroll', onScroll, { capture: true });
    document.removeEventListener('input', onInput, { capture: true });
    document.removeEventListener('change', onInput, { capture: true });
    document.removeEventListener('selectionchange', onSelection);
    removeEventListener('resize', onResize);
    removeEventListener('focus', reportFocus);
    removeEventListener('blur', reportFocus);
    document.removeEventListener('visibilitychange', onVisibility);
    cancelAnimationFrame(sizeFrame);
  };
}

/** The last value applied here from the other side, per field and scroll target. */
const applied = new Map<string, string>();

/**
 * This page load, named once per document: a reload or another tab is another page load, and
 * what the copy shows of the one before (fields, scroll, selection) no longer holds.
 */
const PAGE_LOAD = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) =>
  b.toString(16).padStart(2, '0'),
).join('');

function fingerprint(change: CobrowseChange): string | undefined {
  if (change.type === 'field') return JSON.stringify(change.value);
  if (change.type === 'scroll') {
    // Positions read back after applying differ by fractions; compare them coarsely.
    const { anchor, ratioY } = change.value;
    return anchor ? `${anchor.path}@${anchor.offsetRatio.toFixed(1)}` : `y${ratioY.toFixed(2)}`;
  }
  return undefined;
}

/** Notes a change applied here from the other side, so its echo is not sent back. */
export function noteApplied(change: CobrowseChange): void {
  const print = fingerprint(change);
  if (print !== undefined) applied.set(`${change.type} ${change.key}`, print);
}

/**
 * Whether `change` only repeats what was applied here. Once this page differs from it, the
 * note is dropped: the visitor's own later change is theirs even if it equals the applied one.
 */
function isEcho(change: CobrowseChange): boolean {
  const print = fingerprint(change);
  if (print === undefined) return false;
  const key = `${change.type} ${change.key}`;
  if (applied.get(key) === print) return true;
  applied.delete(key);
  return false;
}

/** One id per browser tab, kept across reloads of that tab. */
function tabIdentity(): string {
  try {
    const saved = sessionStorage.getItem('help-widget:tab');
    if (saved) return saved;
    const fresh = randomId();
    sessionStorage.setItem('help-widget:tab', fresh);
    return fresh;
  } catch {
    return randomId();
  }
}
