import type { CobrowseChange } from '../../protocol/cobrowse.ts';
import { pathOf } from './element-path.ts';
import { readScroll } from './scroll-position.ts';

/**
 * The visitor's page while a helper follows it: reports navigation (full loads and
 * single-page-app route changes) and scrolling (the window and scrollable elements), scroll
 * throttled to animation frames. Loaded only once follow mode starts. Returns `stop`.
 */
export function startLeading(send: (change: CobrowseChange) => void): () => void {
  let lastUrl = '';
  const reportPage = () => {
    if (location.href === lastUrl) return;
    lastUrl = location.href;
    send({ type: 'navigate', key: 'page', value: { url: location.href, title: document.title } });
  };

  const dirty = new Set<Element | 'window'>();
  let frame = 0;
  const flush = () => {
    frame = 0;
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

  reportPage();
  dirty.add('window');
  flush();

  return () => {
    clearInterval(timer);
    cancelAnimationFrame(frame);
    navigation?.removeEventListener('currententrychange', reportPage);
    removeEventListener('popstate', reportPage);
    removeEventListener('hashchange', reportPage);
    document.removeEventListener('scroll', onScroll, { capture: true });
  };
}
