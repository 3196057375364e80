import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { CobrowseChange } from '../../../protocol/cobrowse.ts';
import { cobrowseChangeSchema } from '../../../protocol/cobrowse-schemas.ts';
import { noteApplied, startLeading } from '../../../widget/cobrowse/leader.ts';
import { applyScroll } from '../../../widget/cobrowse/scroll-position.ts';
import { get, mount } from './fixture.ts';
import { listenerLedger } from './listener-ledger.ts';

const navigation = (window as Window & { navigation: EventTarget }).navigation;
const startUrl = location.href;
let size = { width: 0, height: 0 };

/** A leader whose sends are collected, stopped after each test. */
let sent: CobrowseChange[] = [];
let stops: (() => void)[] = [];
function lead(into: CobrowseChange[] = sent): () => void {
  const stop = startLeading((change) => into.push(change));
  stops.push(stop);
  return stop;
}

const ofType = <T extends CobrowseChange['type']>(type: T, from = sent) =>
  from.filter((c): c is Extract<CobrowseChange, { type: T }> => c.type === type);

/** Two animation frames: what the leader throttles to one frame has been sent by then. */
const frames = () =>
  new Promise<void>((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
  );

beforeEach(async () => {
  sent = [];
  stops = [];
  size = { width: innerWidth, height: innerHeight };
  // Scroll events from the last test's clean-up arrive a frame late: let them pass first.
  await frames();
});

afterEach(async () => {
  for (const stop of stops) stop();
  getSelection()?.removeAllRanges();
  document.body.replaceChildren();
  scrollTo({ top: 0, left: 0, behavior: 'instant' });
  if (location.href !== startUrl) history.replaceState(null, '', startUrl);
  if (innerWidth !== size.width || innerHeight !== size.height) {
    await page.viewport(size.width, size.height);
  }
});

describe('when a helper starts following', () => {
  it('the copy gets the page, window size, focus, scroll and what the visitor filled in', () => {
    mount(`<label>Name <input id="name" value="as loaded"></label>
      <label>City <input id="city" value="Paris"></label>
      <label>Password <input id="pw" type="password"></label>
      <input type="hidden" id="token" value="a">
      <help-widget><input id="chat" value=""></help-widget>`);
    get<HTMLInputElement>('#name').value = 'Ada';
    get<HTMLInputElement>('#pw').value = 'hunter2';
    get<HTMLInputElement>('#token').value = 'b';
    get<HTMLInputElement>('#chat').value = 'my question';
    lead();
    expect(ofType('navigate')).toEqual([
      {
        type: 'navigate',
        key: 'page',
        // This page load, named the same in every report of it.
        value: {
          url: location.href,
          title: document.title,
          load: expect.stringMatching(/^\w{24}$/),
        },
      },
    ]);
    expect(ofType('resize')).toEqual([
      { type: 'resize', key: 'viewport', value: { width: innerWidth, height: innerHeight } },
    ]);
    expect(ofType('focus')).toEqual([
      {
        type: 'focus',
        key: 'focus',
        value: { visible: true, focused: document.hasFocus(), tabId: expect.any(String) },
      },
    ]);
    // Only what was changed, masked as it must be; never the widget's own fields.
    expect(ofType('field')).toEqual([
      { type: 'field', key: '#name', value: { value: 'Ada' } },
      { type: 'field', key: '#pw', value: { masked: true } },
    ]);
    expect(ofType('scroll').map((c) => c.key)).toEqual(['window']);
    // And nothing else: no selection when nothing is selected.
    expect(sent.map((c) => c.type).sort()).toEqual([
      'field',
      'field',
      'focus',
      'navigate',
      'resize',
      'scroll',
    ]);
    expect(JSON.stringify(sent)).not.toContain('hunter2');
    // Every one of them is a change the server takes.
    for (const change of sent) {
      expect(
        cobrowseChangeSchema.safeParse({ conversationId: 'conversation-1', ...change }).success,
      ).toBe(true);
    }
  });

  it('the same browser tab keeps its id when following restarts', () => {
    sessionStorage.removeItem('help-widget:tab');
    lead();
    const first = ofType('focus')[0]?.value.tabId;
    const again: CobrowseChange[] = [];
    lead(again);
    expect(first).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(ofType('focus', again)[0]?.value.tabId).toBe(first);
  });

  it('with storage blocked (a sandboxed or third-party frame) the tab still gets an id', () => {
    const own = Object.getOwnPropertyDescriptor(window, 'sessionStorage');
    Object.defineProperty(window, 'sessionStorage', {
      configurable: true,
      get: () => {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    });
    try {
      lead();
    } finally {
      if (own) Object.defineProperty(window, 'sessionStorage', own);
      else Reflect.deleteProperty(window, 'sessionStorage');
    }
    expect(ofType('focus')[0]?.value.tabId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});

describe('while a helper follows', () => {
  it('typing in a field sends its path and value', async () => {
    mount('<label>Name <input id="name"></label><textarea id="note"></textarea>');
    lead();
    sent.length = 0;
    await userEvent.fill(page.getByLabelText('Name'), 'Ada');
    await expect
      .poll(() => ofType('field').at(-1))
      .toEqual({ type: 'field', key: '#name', value: { value: 'Ada' } });
  });

  it('typing a password or a card number sends only that the field is masked', async () => {
    mount(`<label>Password <input id="pw" type="password"></label>
      <label>Card <input id="card" autocomplete="cc-number"></label>`);
    lead();
    sent.length = 0;
    await userEvent.fill(page.getByLabelText('Password'), 'hunter2');
    await userEvent.fill(page.getByLabelText('Card'), '4111111111111111');
    await expect.poll(() => ofType('field').map((c) => c.key)).toContain('#card');
    expect(ofType('field').map((c) => c.value)).toEqual(
      ofType('field').map(() => ({ masked: true })),
    );
    expect(JSON.stringify(sent)).not.toMatch(/hunter2|4111/);
  });

  it('ticking a box and choosing an option are sent', async () => {
    mount(`<label><input type="checkbox" id="agree"> I agree</label>
      <label>Plan <select id="plan"><option>Free</option><option>Team</option></select></label>`);
    lead();
    sent.length = 0;
    await userEvent.click(page.getByLabelText('I agree'));
    await userEvent.selectOptions(page.getByLabelText('Plan'), 'Team');
    await expect
      .poll(() => ofType('field'))
      .toContainEqual({
        type: 'field',
        key: '#plan',
        value: { selectedIndex: 1 },
      });
    expect(ofType('field')).toContainEqual({
      type: 'field',
      key: '#agree',
      value: { checked: true },
    });
  });

  it("typing in the widget's own fields or in a hidden input is never sent", async () => {
    mount(`<help-widget><label>Chat <input id="chat"></label></help-widget>
      <input type="hidden" id="token"><label>Name <input id="name"></label>`);
    lead();
    sent.length = 0;
    await userEvent.fill(page.getByLabelText('Chat'), 'private question');
    get<HTMLInputElement>('#token').dispatchEvent(new Event('input', { bubbles: true }));
    // The marker: a page field typed after them arrives, and is the only field sent.
    await userEvent.fill(page.getByLabelText('Name'), 'Ada');
    await expect.poll(() => ofType('field').length).toBeGreaterThan(0);
    expect(ofType('field').map((c) => c.key)).toEqual(['#name']);
  });

  it('scrolling the window sends one position per frame, however many scroll events', async () => {
    mount('<div style="height: 5000px"></div>');
    lead();
    sent.length = 0;
    scrollTo({ top: 1000, behavior: 'instant' });
    for (let i = 0; i < 5; i++) document.dispatchEvent(new Event('scroll'));
    await frames();
    expect(ofType('scroll')).toHaveLength(1);
    expect(ofType('scroll')[0]?.key).toBe('window');
    expect(ofType('scroll')[0]?.value.ratioY).toBeGreaterThan(0);
    expect(sent.map((c) => c.type)).toEqual(['scroll']);
  });

  it('scrolling an element inside the page sends that element and its position', async () => {
    mount(`<div id="box" style="height: 100px; overflow: auto">
      ${'<p style="height: 50px; margin: 0">row</p>'.repeat(20)}</div>`);
    lead();
    sent.length = 0;
    get('#box').scrollTop = 300;
    await expect.poll(() => ofType('scroll').map((c) => c.key)).toEqual(['#box']);
    expect(ofType('scroll')[0]?.value.anchor).toEqual({
      path: '#box > p:nth-of-type(7)',
      offsetRatio: 0,
    });
  });

  it("scrolling inside the widget's own UI is never sent", async () => {
    mount(`<help-widget><div id="mine" style="display: block; height: 50px; overflow: auto">
        <div style="height: 500px"></div></div></help-widget>
      <div id="box" style="height: 50px; overflow: auto"><div style="height: 500px"></div></div>`);
    lead();
    sent.length = 0;
    get('#mine').scrollTop = 100;
    await frames();
    get('#box').scrollTop = 100;
    await expect.poll(() => ofType('scroll').length).toBeGreaterThan(0);
    expect(ofType('scroll').map((c) => c.key)).toEqual(['#box']);
  });

  it('selecting text sends the selection', async () => {
    mount('<p id="a">Hello world</p>');
    lead();
    sent.length = 0;
    const text = get('#a').firstChild!;
    getSelection()?.setBaseAndExtent(text, 0, text, 5);
    await expect
      .poll(() => ofType('select').at(-1))
      .toEqual({
        type: 'select',
        key: 'selection',
        value: { ranges: [{ start: { path: '#a', offset: 0 }, end: { path: '#a', offset: 5 } }] },
      });
    // Scrolling afterwards sends the scroll, not the same selection again.
    mount('<div style="height: 5000px"></div>');
    scrollTo({ top: 400, behavior: 'instant' });
    await expect.poll(() => ofType('scroll').length).toBe(1);
    await frames();
    expect(ofType('select')).toHaveLength(1);
  });

  it('a field or scroller that cannot be named (outside <body>) is not sent', async () => {
    mount('<label>Name <input id="name"></label>');
    const outside = document.createElement('div');
    outside.innerHTML = `<input id="stray"><div id="stray-box" style="height: 50px; overflow: auto">
      <div style="height: 500px"></div></div>`;
    document.documentElement.append(outside);
    try {
      lead();
      sent.length = 0;
      const stray = get<HTMLInputElement>('#stray');
      stray.value = 'x';
      stray.dispatchEvent(new Event('input', { bubbles: true }));
      get('#stray-box').scrollTop = 100;
      await frames();
      // The marker: a field in the page, typed afterwards, is the only change sent.
      await userEvent.fill(page.getByLabelText('Name'), 'Ada');
      await expect.poll(() => ofType('field').length).toBeGreaterThan(0);
      expect(ofType('field')).toEqual([{ type: 'field', key: '#name', value: { value: 'Ada' } }]);
      expect(ofType('scroll')).toEqual([]);
    } finally {
      outside.remove();
    }
  });

  it('a single-page-app route change or a new #fragment is sent as a navigation', async () => {
    lead();
    sent.length = 0;
    history.pushState(null, '', `${startUrl.split('#')[0]}#step-2`);
    await expect.poll(() => ofType('navigate').map((c) => c.value.url)).toEqual([location.href]);
    location.hash = 'step-3';
    await expect.poll(() => ofType('navigate').length).toBe(2);
    expect(ofType('navigate')[1]?.value.url).toMatch(/#step-3$/);
  });

  it('a route change is found by the timer where the Navigation API says nothing', async () => {
    // As in a browser without it: nothing tells the leader, so it must look by itself.
    const quiet = (event: Event) => event.stopImmediatePropagation();
    navigation.addEventListener('currententrychange', quiet);
    try {
      lead();
      sent.length = 0;
      history.replaceState(null, '', `${startUrl.split('#')[0]}#quiet-route`);
      await expect.poll(() => ofType('navigate').map((c) => c.value.url)).toEqual([location.href]);
    } finally {
      navigation.removeEventListener('currententrychange', quiet);
    }
  });

  it('a new window size is sent', async () => {
    lead();
    sent.length = 0;
    await page.viewport(500, 400);
    await expect.poll(() => ofType('resize').at(-1)?.value).toEqual({ width: 500, height: 400 });
  });

  it('the tab losing and regaining focus is sent', () => {
    lead();
    sent.length = 0;
    dispatchEvent(new FocusEvent('blur'));
    dispatchEvent(new FocusEvent('focus'));
    expect(ofType('focus')).toHaveLength(2);
  });
});

describe('with the site open in a tab the visitor is not looking at', () => {
  /** What the browser says of a background tab, until `show()`. */
  function hide(): () => void {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    return () => {
      // The document's own property is gone; the browser's getter answers again.
      Reflect.deleteProperty(document, 'visibilityState');
      document.dispatchEvent(new Event('visibilitychange'));
    };
  }

  it('the hidden tab says only that it is hidden, and everything again once looked at', async () => {
    mount('<label>Name <input id="name"></label>');
    lead();
    sent.length = 0;
    const show = hide();
    try {
      expect(sent).toEqual([
        { type: 'focus', key: 'focus', value: expect.objectContaining({ visible: false }) },
      ]);
      await userEvent.fill(page.getByLabelText('Name'), 'typed while hidden');
      history.replaceState(null, '', `${startUrl.split('#')[0]}#hidden-route`);
      await frames();
      // Filling may give the window focus (when another test left it without): still only
      // "hidden", however many times it is said.
      expect(sent.length).toBeGreaterThanOrEqual(1);
      for (const change of sent) {
        expect(change).toEqual({
          type: 'focus',
          key: 'focus',
          value: expect.objectContaining({ visible: false }),
        });
      }
    } finally {
      show();
    }
    // Back in view: a fresh snapshot, with what changed meanwhile.
    expect(ofType('focus').at(-1)?.value.visible).toBe(true);
    expect(ofType('navigate').map((c) => c.value.url)).toEqual([location.href]);
    expect(ofType('field')).toEqual([
      { type: 'field', key: '#name', value: { value: 'typed while hidden' } },
    ]);
  });
});

describe('what the other side applied here', () => {
  it('is not sent back, but the visitor changing it, even back to it, is', async () => {
    mount('<label>Name <input id="name"></label>');
    lead();
    sent.length = 0;
    const input = get<HTMLInputElement>('#name');
    const type = (value: string) => {
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    noteApplied({ type: 'field', key: '#name', value: { value: 'from the helper' } });
    type('from the helper');
    type('from the helper!');
    type('from the helper');
    expect(ofType('field').map((c) => c.value)).toEqual([
      { value: 'from the helper!' },
      { value: 'from the helper' },
    ]);
  });

  it('is in the next full report of the page: that is the page as it is, not a reply', () => {
    mount('<label>Name <input id="name"></label>');
    noteApplied({ type: 'field', key: '#name', value: { value: 'from the helper' } });
    get<HTMLInputElement>('#name').value = 'from the helper';
    // Following again (or this tab coming into view) reports the page afresh.
    lead();
    expect(ofType('field')).toEqual([
      { type: 'field', key: '#name', value: { value: 'from the helper' } },
    ]);
  });

  it('the copy in control reports only what the helper changes, never the copy as it stands', async () => {
    mount('<label>Name <input id="name"></label><label>City <input id="city"></label>');
    get<HTMLInputElement>('#name').value = 'an older value';
    stops.push(startLeading((change) => sent.push(change), { changesOnly: true }));
    await frames();
    // What control passes on (a stray selection report is not among it).
    const passed = () => sent.filter((c) => ['navigate', 'scroll', 'field'].includes(c.type));
    expect(passed()).toEqual([]);
    const city = get<HTMLInputElement>('#city');
    city.value = 'Lyon';
    city.dispatchEvent(new Event('input', { bubbles: true }));
    expect(passed()).toEqual([{ type: 'field', key: '#city', value: { value: 'Lyon' } }]);
  });

  it('a scroll position applied here is not sent back; the visitor scrolling on is', async () => {
    mount(
      `<div style="height: 5000px">${'<p style="height: 100px; margin: 0">row</p>'.repeat(40)}</div>`,
    );
    lead();
    sent.length = 0;
    // As the follower and control do: note the position sent from the other window (its
    // fractions are not this window's pixels), then apply it.
    const there = {
      anchor: {
        path: 'body > div:nth-of-type(1) > div:nth-of-type(1) > p:nth-of-type(13)',
        offsetRatio: 0.33333,
      },
      ratioX: 0,
      ratioY: 0.2857142,
    };
    noteApplied({ type: 'scroll', key: 'window', value: there });
    applyScroll(there);
    await frames();
    // The marker: the visitor's own scroll after it arrives, and is the only one.
    scrollTo({ top: 300, behavior: 'instant' });
    await expect.poll(() => ofType('scroll').length).toBe(1);
    await frames();
    expect(ofType('scroll')).toHaveLength(1);
    expect(ofType('scroll')[0]?.value.anchor?.path).toMatch(/p:nth-of-type\(4\)$/);
  });

  it('in a scroller with nothing to anchor to, the applied ratio is not sent back, a new one is', async () => {
    mount(
      `<div id="box" style="height: 100px; overflow: auto; white-space: pre">${'line\n'.repeat(100)}</div>`,
    );
    const box = get('#box');
    lead();
    sent.length = 0;
    const there = { anchor: null, ratioX: 0, ratioY: 0.5 };
    noteApplied({ type: 'scroll', key: '#box', value: there });
    applyScroll(there, box);
    await frames();
    box.scrollTop = box.scrollHeight - box.clientHeight;
    await expect.poll(() => ofType('scroll').length).toBe(1);
    await frames();
    expect(ofType('scroll').map((c) => [c.value.anchor, c.value.ratioY])).toEqual([[null, 1]]);
  });
});

describe('stop()', () => {
  /** Does everything the leader listens for, the way a visitor would. */
  async function visitorActs(): Promise<void> {
    await userEvent.fill(page.getByLabelText('Name'), `typed ${Math.random()}`);
    await userEvent.click(page.getByLabelText('I agree'));
    scrollTo({ top: scrollY + 200, behavior: 'instant' });
    get('#box').scrollTop += 50;
    const text = get('#words').firstChild!;
    getSelection()?.setBaseAndExtent(text, 0, text, 1 + Math.floor(Math.random() * 4));
    history.pushState(null, '', `${startUrl.split('#')[0]}#route-${Math.random()}`);
    location.hash = `hash-${Math.random()}`;
    dispatchEvent(new PopStateEvent('popstate'));
    dispatchEvent(new FocusEvent('blur'));
    dispatchEvent(new FocusEvent('focus'));
    document.dispatchEvent(new Event('visibilitychange'));
    await page.viewport(innerWidth === 480 ? 500 : 480, 400);
  }

  function page_(): void {
    mount(`<label>Name <input id="name"></label><label><input type="checkbox" id="agree">
      I agree</label><p id="words">Some words</p>
      <div id="box" style="height: 50px; overflow: auto"><div style="height: 500px"></div></div>
      <div style="height: 5000px"></div>`);
  }

  it('removes every listener and timer it added', () => {
    page_();
    const ledger = listenerLedger([window, document, navigation]);
    try {
      const stop = startLeading(() => undefined);
      expect(ledger.types).toEqual(
        expect.arrayContaining(['scroll', 'input', 'change', 'selectionchange', 'resize']),
      );
      expect(ledger.open().length).toBeGreaterThan(5);
      stop();
      expect(ledger.open()).toEqual([]);
    } finally {
      ledger.restore();
    }
  });

  it('after stop, nothing the visitor does is sent', async () => {
    page_();
    const stop = lead();
    stop();
    sent.length = 0;
    // The marker: a leader started afterwards hears all of it; the stopped one nothing.
    const heard: CobrowseChange[] = [];
    lead(heard);
    heard.length = 0;
    await visitorActs();
    const types = ['field', 'scroll', 'select', 'navigate', 'focus', 'resize'];
    await expect.poll(() => types.filter((t) => !heard.some((c) => c.type === t))).toEqual([]);
    await expect.poll(() => heard.some((c) => c.type === 'scroll' && c.key === '#box')).toBe(true);
    expect(sent).toEqual([]);
  });

  it('a scroll just before stop is not sent after it', async () => {
    page_();
    const stop = lead();
    sent.length = 0;
    scrollTo({ top: 700, behavior: 'instant' });
    document.dispatchEvent(new Event('scroll'));
    addEventListener('resize', () => undefined, { once: true });
    dispatchEvent(new Event('resize'));
    stop();
    await frames();
    expect(sent).toEqual([]);
  });
});
