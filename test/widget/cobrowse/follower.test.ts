import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { commands, page, userEvent } from 'vitest/browser';
import type { CobrowseChange, FollowMessage } from '../../../protocol/cobrowse.ts';
import { pathOf } from '../../../widget/cobrowse/element-path.ts';
import { MASK, PRIVATE_NOTE } from '../../../widget/cobrowse/fields.ts';
import { becomeFollower, startFollowing } from '../../../widget/cobrowse/follower.ts';
import { get, mount } from './fixture.ts';
import { listenerLedger } from './listener-ledger.ts';

/**
 * The agent page is played by the window this test page runs in (Vitest's own page, same
 * origin). A message it posts must come from its realm to count as coming from it, so it is
 * posted by a function made there.
 */
const agent = window.parent as Window & typeof globalThis;
const postFromAgent = new agent.Function(
  'target',
  'message',
  'origin',
  'target.postMessage(message, origin)',
) as (target: Window, message: unknown, origin: string) => void;
const fromAgent = (message: FollowMessage | { marker: number } | null) =>
  postFromAgent(window, message, '*');

/** Messages this page posts to the agent page. */
let toAgent: FollowMessage[] = [];
const hear = (event: MessageEvent) => {
  if (event.data?.source === 'help-widget') toAgent.push(event.data);
};

/** Resolves once a message posted after everything before it has arrived here. */
let markers = 0;
function marker(post: (message: { marker: number }) => void = fromAgent): Promise<void> {
  const id = ++markers;
  return new Promise((resolve) => {
    const seen = (event: MessageEvent) => {
      if (event.data?.marker !== id) return;
      removeEventListener('message', seen);
      resolve();
    };
    addEventListener('message', seen);
    post({ marker: id });
  });
}

/** Navigations the copy starts, recorded; loads are cancelled so the test page stays. */
interface NavigateEvent extends Event {
  readonly destination: { readonly url: string };
  readonly hashChange: boolean;
}
const navigation = (window as Window & { navigation: EventTarget }).navigation;
let navigations: string[] = [];
const hold = (event: Event) => {
  const { destination, hashChange } = event as NavigateEvent;
  navigations.push(destination.url);
  if (!hashChange) event.preventDefault();
};

const startUrl = location.href;
let statuses: string[] = [];
const onStatus = (text: string) => statuses.push(text);
let stops: (() => void)[] = [];
let controllers: AbortController[] = [];

beforeEach(() => {
  toAgent = [];
  navigations = [];
  statuses = [];
  stops = [];
  controllers = [];
  agent.addEventListener('message', hear);
  navigation.addEventListener('navigate', hold);
});

afterEach(() => {
  for (const stop of stops) stop();
  for (const controller of controllers) controller.abort();
  agent.removeEventListener('message', hear);
  navigation.removeEventListener('navigate', hold);
  vi.useRealTimers();
  CSS.highlights.clear();
  document.body.replaceChildren();
  if (location.href !== startUrl) history.replaceState(null, '', startUrl);
});

/** Whether the helper can type into the copy's field labelled `label`. */
async function canType(label: string): Promise<boolean> {
  const field = page.getByLabelText(label);
  const before = (field.element() as HTMLInputElement).value;
  await userEvent.fill(field, `${before}x`);
  return (field.element() as HTMLInputElement).value === `${before}x`;
}

function form(): void {
  mount(`<label>Name <input id="name"></label>
    <label>Card <input id="card" autocomplete="cc-number"></label>
    <p id="words">Hello world</p><button id="target" type="button">Buy</button>`);
}

function handshake(serverOrigin = location.origin) {
  const controller = new AbortController();
  controllers.push(controller);
  let joined: boolean | undefined;
  const done = becomeFollower(serverOrigin, onStatus, controller.signal).then((result) => {
    joined = result;
    return result;
  });
  return { controller, done, joined: () => joined };
}

const grant = (token: unknown = 'a-token'): FollowMessage =>
  ({ source: 'help-agent', type: 'follow:grant', conversationId: 'c-1', token }) as FollowMessage;

describe('the handshake with the agent page', () => {
  it("says hello to the help server's origin, and follows only the agent page's grant", async () => {
    form();
    const { done, joined } = handshake();
    await expect.poll(() => toAgent).toEqual([{ source: 'help-widget', type: 'follow:hello' }]);
    // Not a grant: from this page itself, a token that is not text, another sender, another
    // kind of message even with a token, and the empty messages other scripts post.
    postMessage(grant(), '*');
    fromAgent(grant(42));
    fromAgent({ ...grant(), source: 'help-widget' } as unknown as FollowMessage);
    fromAgent({ ...grant(), type: 'follow:point-mode', on: true } as unknown as FollowMessage);
    fromAgent(null);
    await marker();
    expect(joined()).toBeUndefined();
    expect(await canType('Name')).toBe(true);
    fromAgent(grant());
    expect(await done).toBe(true);
    // Following: the copy is read-only.
    expect(await canType('Name')).toBe(false);
  });

  it('a grant from the right window but another origin is ignored', async () => {
    const { controller, done, joined } = handshake('http://127.0.0.1:9');
    fromAgent(grant());
    await marker();
    expect(joined()).toBeUndefined();
    controller.abort();
    expect(await done).toBe(false);
  });

  it('with no answer in 5 seconds it gives up, changing nothing', async () => {
    form();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // No signal this time: it is optional.
    const done = becomeFollower(location.origin, onStatus);
    vi.advanceTimersByTime(4999);
    fromAgent({ source: 'help-agent', type: 'follow:point-mode', on: false });
    await marker();
    vi.advanceTimersByTime(1);
    expect(await done).toBe(false);
    vi.useRealTimers();
    fromAgent(grant());
    await marker();
    expect(await canType('Name')).toBe(true);
    expect(statuses).toEqual([]);
  });

  it('asked to follow with a signal already aborted, it says nothing and resolves false', async () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(await becomeFollower(location.origin, onStatus, aborted.signal)).toBe(false);
    await marker();
    expect(toAgent).toEqual([]);
  });

  it('aborted during the handshake: resolves false at once, and a later grant is ignored', async () => {
    form();
    const { controller, done } = handshake();
    controller.abort();
    // At once: before a message posted now arrives, not after the 5-second wait.
    expect(await Promise.race([done, marker().then(() => 'still waiting')])).toBe(false);
    fromAgent(grant());
    await marker();
    expect(await canType('Name')).toBe(true);
  });

  it('aborted once following: the copy is the plain page again', async () => {
    form();
    const { controller, done } = handshake();
    fromAgent(grant());
    expect(await done).toBe(true);
    expect(await canType('Name')).toBe(false);
    controller.abort();
    expect(await canType('Name')).toBe(true);
  });
});

describe('pointing', () => {
  function pointing(): void {
    form();
    stops.push(
      startFollowing({
        agent,
        serverOrigin: location.origin,
        token: 'no-server-here',
        conversationId: 'c-1',
        onStatus,
      }),
    );
  }

  it("in point mode the helper's next click names the element to the agent page, once", async () => {
    pointing();
    const clicks: string[] = [];
    document.addEventListener('click', (event) => clicks.push((event.target as Element).id));
    // Before point mode, a click is a click.
    await userEvent.click(page.getByRole('button', { name: 'Buy' }));
    expect(clicks).toEqual(['target']);
    clicks.length = 0;
    fromAgent({ source: 'help-agent', type: 'follow:point-mode', on: true });
    // Other messages from the agent page (another grant, empty ones) leave point mode on.
    fromAgent(grant());
    fromAgent(null);
    await marker();
    expect(document.documentElement.style.cursor).toBe('crosshair');
    await userEvent.click(page.getByRole('button', { name: 'Buy' }));
    await expect
      .poll(() => toAgent)
      .toEqual([{ source: 'help-widget', type: 'follow:point', path: '#target' }]);
    // The click named the element and did nothing else on the copy.
    expect(clicks).toEqual([]);
    expect(document.documentElement.style.cursor).toBe('');
    await userEvent.click(page.getByRole('button', { name: 'Buy' }));
    await marker();
    expect(toAgent).toHaveLength(1);
    expect(clicks).toEqual(['target']);
  });

  it('point mode turned off, or asked for by another window, names nothing', async () => {
    pointing();
    fromAgent({ source: 'help-agent', type: 'follow:point-mode', on: true });
    fromAgent({ source: 'help-agent', type: 'follow:point-mode', on: false });
    postMessage({ source: 'help-agent', type: 'follow:point-mode', on: true }, '*');
    await marker();
    expect(document.documentElement.style.cursor).toBe('');
    await userEvent.click(page.getByRole('button', { name: 'Buy' }));
    await marker();
    expect(toAgent).toEqual([]);
  });

  it('point mode asked for from another origin than the help server is ignored', async () => {
    form();
    stops.push(
      startFollowing({
        agent,
        serverOrigin: 'http://127.0.0.1:9',
        token: 'no-server-here',
        conversationId: 'c-1',
        onStatus,
      }),
    );
    fromAgent({ source: 'help-agent', type: 'follow:point-mode', on: true });
    await marker();
    expect(document.documentElement.style.cursor).toBe('');
  });

  it('after stop, point mode is neither shown nor used, and clicks are clicks again', async () => {
    pointing();
    fromAgent({ source: 'help-agent', type: 'follow:point-mode', on: true });
    await expect.poll(() => document.documentElement.style.cursor).toBe('crosshair');
    stops.pop()?.();
    expect(document.documentElement.style.cursor).toBe('');
    const clicks: string[] = [];
    document.addEventListener('click', (event) => clicks.push((event.target as Element).id));
    fromAgent({ source: 'help-agent', type: 'follow:point-mode', on: true });
    await marker();
    expect(document.documentElement.style.cursor).toBe('');
    await userEvent.click(page.getByRole('button', { name: 'Buy' }));
    await marker();
    expect(toAgent).toEqual([]);
    expect(clicks).toEqual(['target']);
  });

  it("a click on the widget's own UI in point mode names nothing and stays in point mode", async () => {
    pointing();
    mount('<help-widget><button type="button">Chat</button></help-widget>');
    fromAgent({ source: 'help-agent', type: 'follow:point-mode', on: true });
    await expect.poll(() => document.documentElement.style.cursor).toBe('crosshair');
    // Clicked by script: once another test has loaded the real <help-widget>, its shadow root
    // hides this light-DOM button from the pointer, whatever the order the tests run in.
    // (A real widget, once loaded, also says its own hello to the agent page: not a point.)
    document.querySelector<HTMLButtonElement>('help-widget button')?.click();
    await marker();
    expect(toAgent.filter((m) => m.type === 'follow:point')).toEqual([]);
    expect(document.documentElement.style.cursor).toBe('crosshair');
  });
});

describe('following a real visitor through a real help server', () => {
  let server = '';
  beforeEach(async () => {
    server = (await commands.startHelpServer(location.origin)).url;
  });
  afterEach(async () => {
    for (const stop of stops) stop();
    stops = [];
    await commands.stopHelpServer(server);
  });

  async function follow(): Promise<() => void> {
    const { token, conversationId } = await commands.followVisitor(server);
    const stop = startFollowing({ agent, serverOrigin: server, token, conversationId, onStatus });
    stops.push(stop);
    await expect.poll(() => statuses).toContain("Following the visitor's page");
    return stop;
  }

  const field = (key: string, value: string): CobrowseChange => ({
    type: 'field',
    key,
    value: { value },
  });

  /** The visitor is at `url`; `load` names their page load (another one: they reloaded). */
  const visitorAt = (url: string, load?: string): CobrowseChange => ({
    type: 'navigate',
    key: 'page',
    value: { url, title: 'Checkout', ...(load === undefined ? {} : { load }) },
  });

  it('the copy shows everything the visitor did before it joined, at once', async () => {
    form();
    mount('<div style="height: 5000px"></div>');
    const here = startUrl.split('#')[0];
    const { token, conversationId } = await commands.followVisitor(server);
    // Every kind of change, in this order; the server keeps the latest of each.
    await commands.visitorChange(server, {
      type: 'navigate',
      key: 'page',
      value: { url: `${here}#step-2`, title: 'Checkout' },
    });
    await commands.visitorChange(server, {
      type: 'scroll',
      key: 'window',
      value: { anchor: null, ratioX: 0, ratioY: 0.5 },
    });
    await commands.visitorChange(server, {
      type: 'select',
      key: 'selection',
      value: {
        ranges: [{ start: { path: '#words', offset: 0 }, end: { path: '#words', offset: 5 } }],
      },
    });
    await commands.visitorChange(server, {
      type: 'resize',
      key: 'viewport',
      value: { width: 900, height: 700 },
    });
    await commands.visitorChange(server, {
      type: 'focus',
      key: 'focus',
      value: { visible: true, focused: true, tabId: 'tab-1' },
    });
    await commands.visitorChange(server, field('#name', 'Ada'));
    await commands.visitorChange(server, { type: 'field', key: '#card', value: { masked: true } });
    stops.push(startFollowing({ agent, serverOrigin: server, token, conversationId, onStatus }));
    await expect.poll(() => get<HTMLInputElement>('#name').value).toBe('Ada');
    expect(get<HTMLInputElement>('#card').value).toBe('•••• (hidden)');
    expect(location.hash).toBe('#step-2');
    const max = document.documentElement.scrollHeight - innerHeight;
    expect(Math.abs(scrollY - max / 2)).toBeLessThanOrEqual(1);
    expect([...(CSS.highlights.get('help-visitor-selection') ?? [])].map(String)).toEqual([
      'Hello',
    ]);
    // The window size and tab are for the helper's pane: the copy's own window is untouched.
    expect(innerWidth).not.toBe(900);
  });

  it("when the visitor's last page is on another site, the copy stays and shows the rest", async () => {
    form();
    const { token, conversationId } = await commands.followVisitor(server);
    await commands.visitorChange(server, {
      type: 'navigate',
      key: 'page',
      value: { url: 'https://payments.example/checkout', title: 'Pay' },
    });
    await commands.visitorChange(server, field('#name', 'Ada'));
    stops.push(startFollowing({ agent, serverOrigin: server, token, conversationId, onStatus }));
    await expect.poll(() => get<HTMLInputElement>('#name').value).toBe('Ada');
    expect(navigations).toEqual([]);
  });

  it('the copy shows what the visitor types while it follows', async () => {
    form();
    await follow();
    await commands.visitorChange(server, field('#name', 'Ada'));
    await expect.poll(() => get<HTMLInputElement>('#name').value).toBe('Ada');
    await commands.visitorChange(server, field('#name', 'Ada Lovelace'));
    await expect.poll(() => get<HTMLInputElement>('#name').value).toBe('Ada Lovelace');
  });

  it("the copy shows the visitor's selection and scroll", async () => {
    form();
    mount(
      '<div id="box" style="height: 50px; overflow: auto"><div style="height: 500px"></div></div>',
    );
    await follow();
    await commands.visitorChange(server, {
      type: 'select',
      key: 'selection',
      value: {
        ranges: [{ start: { path: '#words', offset: 6 }, end: { path: '#words', offset: 11 } }],
      },
    });
    await commands.visitorChange(server, {
      type: 'scroll',
      key: '#box',
      value: { anchor: null, ratioX: 0, ratioY: 1 },
    });
    await expect
      .poll(() => [...(CSS.highlights.get('help-visitor-selection') ?? [])].map(String))
      .toEqual(['world']);
    await expect.poll(() => get('#box').scrollTop).toBe(450);
  });

  it('a change naming what is not a field, or nothing, on the copy is passed over', async () => {
    form();
    mount('<div style="height: 5000px"></div>');
    await follow();
    await commands.visitorChange(server, field('#words', 'not a field'));
    await commands.visitorChange(server, {
      type: 'scroll',
      key: '#gone',
      value: { anchor: null, ratioX: 0, ratioY: 1 },
    });
    // The marker: a field change sent after them arrives, and nothing else moved.
    await commands.visitorChange(server, field('#name', 'after'));
    await expect.poll(() => get<HTMLInputElement>('#name').value).toBe('after');
    expect(get('#words').textContent).toBe('Hello world');
    expect(scrollY).toBe(0);
  });

  it("once late images and fonts have loaded, the copy puts the visitor's view back", async () => {
    form();
    mount(
      `<div style="height: 5000px">${'<p style="height: 100px; margin: 0">row</p>'.repeat(40)}</div>`,
    );
    const row = document.querySelectorAll('p')[12]!;
    await follow();
    await commands.visitorChange(server, {
      type: 'scroll',
      key: 'window',
      value: { anchor: { path: pathOf(row)!, offsetRatio: 0 }, ratioX: 0, ratioY: 0.1 },
    });
    await expect.poll(() => Math.round(row.getBoundingClientRect().top)).toBe(0);
    // A late image above it pushes the content down (where the browser does not hold the
    // content in place itself: Safari, or pages that turn scroll anchoring off).
    document.documentElement.style.overflowAnchor = 'none';
    onTestFinished(() => {
      document.documentElement.style.overflowAnchor = '';
    });
    const image = document.createElement('figure');
    image.setAttribute('style', 'height: 300px; margin: 0');
    document.body.prepend(image);
    expect(Math.round(row.getBoundingClientRect().top)).toBe(300);
    dispatchEvent(new Event('load'));
    expect(Math.round(row.getBoundingClientRect().top)).toBe(0);
  });

  it('the helper pressing Follow page again leaves this copy following', async () => {
    form();
    await follow();
    await commands.followToken(server);
    await commands.visitorChange(server, field('#name', 'still here'));
    await expect.poll(() => get<HTMLInputElement>('#name').value).toBe('still here');
    expect(statuses).not.toContain('The visitor stopped sharing their page');
  });

  it('with a token the server refuses, the copy says it could not join', async () => {
    stops.push(
      startFollowing({
        agent,
        serverOrigin: server,
        token: 'used-or-made-up',
        conversationId: 'c-1',
        onStatus,
      }),
    );
    await expect
      .poll(() => statuses)
      .toEqual(["Joining the visitor's page…", 'Could not join: reopen the follow pane']);
  });

  it('goes to a new #part of the page and to other pages of the site, never elsewhere', async () => {
    await follow();
    const here = startUrl.split('#')[0];
    const navigate = (url: string): CobrowseChange => ({
      type: 'navigate',
      key: 'page',
      value: { url, title: 'Shop' },
    });
    await commands.visitorChange(server, navigate('https://elsewhere.example/'));
    await commands.visitorChange(server, navigate(`${here}#part-2`));
    await expect.poll(() => location.hash).toBe('#part-2');
    expect(navigations).toEqual([`${here}#part-2`]);
    // Another path, or the same path with another query: a page load, not a #part.
    const { pathname, search } = location;
    await commands.visitorChange(server, navigate(`${location.origin}/checkout${search}`));
    await commands.visitorChange(server, navigate(`${location.origin}${pathname}?step=3`));
    await expect
      .poll(() => navigations)
      .toEqual([
        `${here}#part-2`,
        `${location.origin}/checkout${search}`,
        `${location.origin}${pathname}?step=3`,
      ]);
  });

  it("is read-only until the visitor grants control; then the helper's typing drives their page", async () => {
    form();
    await follow();
    // The visitor is on this page: control may take them elsewhere on this site only.
    await commands.visitorChange(server, {
      type: 'navigate',
      key: 'page',
      value: { url: startUrl, title: document.title },
    });
    expect(await canType('Name')).toBe(false);
    await commands.visitorControl(server, true);
    await expect.poll(() => statuses.at(-1)).toBe("You are in control of the visitor's page");
    await userEvent.fill(page.getByLabelText('Name'), 'typed by the helper');
    await expect
      .poll(() => commands.visitorApplied(server))
      .toContainEqual(field('#name', 'typed by the helper'));
    // Scrolling and going to another #part on the copy drive the visitor's page too.
    mount('<div style="height: 5000px"></div>');
    scrollTo({ top: 1000, behavior: 'instant' });
    location.hash = 'helper-went-here';
    const arrived = async () => {
      const applied = await commands.visitorApplied(server);
      return [
        applied.some((c) => c.type === 'scroll' && c.value.ratioY > 0),
        applied.some((c) => c.type === 'navigate' && c.value.url.endsWith('#helper-went-here')),
      ];
    };
    await expect.poll(arrived).toEqual([true, true]);
    await commands.visitorControl(server, false);
    await expect.poll(() => statuses.at(-1)).toBe("Following the visitor's page");
    expect(await canType('Name')).toBe(false);
  });

  it('when the visitor stops sharing, the copy says so and is read-only again', async () => {
    form();
    await follow();
    await commands.visitorControl(server, true);
    await expect.poll(() => statuses.at(-1)).toBe("You are in control of the visitor's page");
    await commands.visitorStopSharing(server);
    await expect.poll(() => statuses.at(-1)).toBe('The visitor stopped sharing their page');
    await expect.poll(() => commands.followSockets(server)).toBe(0);
    expect(await canType('Name')).toBe(false);
  });

  it('stop() closes the socket and removes every listener, guard and cursor it added', async () => {
    form();
    const ledger = listenerLedger([window, document, navigation]);
    let stop: () => void;
    try {
      stop = await follow();
      await commands.visitorControl(server, true);
      await expect.poll(() => statuses.at(-1)).toBe("You are in control of the visitor's page");
      // The copy's own listeners, the read-only guard's and, in control, the leader's.
      expect(ledger.open().length).toBeGreaterThan(10);
      stop();
      expect(ledger.open()).toEqual([]);
    } finally {
      ledger.restore();
    }
    await expect.poll(() => commands.followSockets(server)).toBe(0);
    // The plain page again: the helper's typing is the copy's own.
    expect(await canType('Name')).toBe(true);
  });

  describe("the visitor's page loads", () => {
    /**
     * A form as the site's page loads it: every field starts with a value of its own. The
     * hidden field first: not a field the visitor fills, passed over, and the rest still put back.
     */
    function checkout(): void {
      mount(`<form>
        <input type="hidden" name="csrf" value="from-the-site">
        <label>Full name <input id="full-name" value="Guest"></label>
        <label>Notes <textarea id="notes">Leave at the door</textarea></label>
        <label><input type="checkbox" id="gift" checked> This is a gift</label>
        <label>Delivery <select id="delivery">
          <option>Express</option><option selected>Standard</option>
        </select></label>
      </form>
      <help-widget><label>Chat <input id="chat"></label></help-widget>`);
    }
    const shown = () => ({
      name: get<HTMLInputElement>('#full-name').value,
      notes: get<HTMLTextAreaElement>('#notes').value,
      gift: get<HTMLInputElement>('#gift').checked,
      delivery: get<HTMLSelectElement>('#delivery').selectedOptions[0]?.text,
      chat: get<HTMLInputElement>('#chat').value,
    });

    it("after the visitor reloads, the copy's fields show the page as it loaded, then the visitor's new values", async () => {
      checkout();
      await follow();
      await commands.visitorChange(server, visitorAt(startUrl, 'load-1'));
      await commands.visitorChange(server, field('#full-name', 'Ada'));
      await commands.visitorChange(server, field('#notes', 'Ring twice'));
      await commands.visitorChange(server, {
        type: 'field',
        key: '#gift',
        value: { checked: false },
      });
      await commands.visitorChange(server, {
        type: 'field',
        key: '#delivery',
        value: { selectedIndex: 0 },
      });
      // The helper's draft in the widget's own chat box (set by script: once another test has
      // loaded the real <help-widget>, its shadow root hides this light-DOM field).
      get<HTMLInputElement>('#chat').value = 'draft to the visitor';
      await expect.poll(shown).toEqual({
        name: 'Ada',
        notes: 'Ring twice',
        gift: false,
        delivery: 'Express',
        chat: 'draft to the visitor',
      });
      // The visitor reloads: the same URL, another page load. Their reloaded page reports
      // only what differs from how it loaded, here the name typed again.
      await commands.visitorChange(server, visitorAt(startUrl, 'load-2'));
      await commands.visitorChange(server, field('#full-name', 'Ada again'));
      await expect.poll(shown).toEqual({
        name: 'Ada again',
        notes: 'Leave at the door',
        gift: true,
        delivery: 'Standard',
        // The widget's own field is not the visitor's page: the draft stays.
        chat: 'draft to the visitor',
      });
    });

    it("going to another #part of the same page load, or naming no page load, leaves the visitor's values on the copy", async () => {
      form();
      const here = startUrl.split('#')[0];
      await follow();
      await commands.visitorChange(server, visitorAt(startUrl, 'load-1'));
      await commands.visitorChange(server, field('#name', 'Ada'));
      await expect.poll(() => get<HTMLInputElement>('#name').value).toBe('Ada');
      await commands.visitorChange(server, visitorAt(`${here}#part-2`, 'load-1'));
      await expect.poll(() => location.hash).toBe('#part-2');
      expect(get<HTMLInputElement>('#name').value).toBe('Ada');
      // A page with an older widget names no page load: it is the same one as before.
      await commands.visitorChange(server, visitorAt(`${here}#part-3`));
      await expect.poll(() => location.hash).toBe('#part-3');
      expect(get<HTMLInputElement>('#name').value).toBe('Ada');
    });

    it('a page load named after pages that named none (the site updated its widget, the visitor reloaded) starts the copy afresh', async () => {
      form();
      await follow();
      // The older widget names no page load.
      await commands.visitorChange(server, visitorAt(startUrl));
      await commands.visitorChange(server, field('#name', 'Ada'));
      await expect.poll(() => get<HTMLInputElement>('#name').value).toBe('Ada');
      // Reloaded with the new widget: the same page, the field as the page loads it.
      await commands.visitorChange(server, visitorAt(startUrl, 'load-1'));
      await expect.poll(() => get<HTMLInputElement>('#name').value).toBe('');
    });

    it('a copy that joins after the visitor went to another #part of the page shows what they filled in before', async () => {
      form();
      const here = startUrl.split('#')[0];
      const { token, conversationId } = await commands.followVisitor(server);
      await commands.visitorChange(server, visitorAt(startUrl, 'load-1'));
      await commands.visitorChange(server, field('#name', 'Ada'));
      // The server keeps the latest change last: the copy hears of the page after the field.
      await commands.visitorChange(server, visitorAt(`${here}#part-2`, 'load-1'));
      stops.push(startFollowing({ agent, serverOrigin: server, token, conversationId, onStatus }));
      // The page comes last in the state, which the copy applies at once.
      await expect.poll(() => location.hash).toBe('#part-2');
      expect(get<HTMLInputElement>('#name').value).toBe('Ada');
    });
  });

  it("taking control sends nothing to the visitor's page by itself: only what the helper then does", async () => {
    form();
    await follow();
    await commands.visitorChange(server, visitorAt(startUrl, 'load-1'));
    await commands.visitorChange(server, field('#name', 'Ada'));
    await expect.poll(() => get<HTMLInputElement>('#name').value).toBe('Ada');
    await commands.visitorControl(server, true);
    await expect.poll(() => statuses.at(-1)).toBe("You are in control of the visitor's page");
    await userEvent.fill(page.getByLabelText('Name'), 'Ada Lovelace');
    await expect
      .poll(() => commands.visitorApplied(server))
      .toContainEqual(field('#name', 'Ada Lovelace'));
    const applied = await commands.visitorApplied(server);
    // What the copy showed was not sent back over the visitor's page, and nothing moved it.
    expect(applied).not.toContainEqual(field('#name', 'Ada'));
    expect(applied.filter((change) => change.type !== 'field')).toEqual([]);
  });

  it('a private field is read-only on the copy and says why, also while the helper is in control; nothing typed there goes out', async () => {
    form();
    mount('<label>PIN <input id="pin"></label>');
    await follow();
    await commands.visitorChange(server, visitorAt(startUrl, 'load-1'));
    // The visitor's page keeps this one private (inside data-help-mask there): only that
    // fact comes, and the copy's field is private from then on.
    await commands.visitorChange(server, { type: 'field', key: '#pin', value: { masked: true } });
    await expect.poll(() => get<HTMLInputElement>('#pin').value).toBe(MASK);
    // The card number is private on the copy as soon as it follows.
    await expect.element(page.getByLabelText('Card')).toHaveAttribute('readonly');
    await expect.element(page.getByLabelText('Card')).toHaveAccessibleDescription(PRIVATE_NOTE);

    await commands.visitorControl(server, true);
    await expect.poll(() => statuses.at(-1)).toBe("You are in control of the visitor's page");
    // A password field the page adds now, and the card field the site's own script makes
    // editable again: each is private again once it gets focus.
    mount('<label>Password <input id="password" type="password"></label>');
    get<HTMLInputElement>('#card').readOnly = false;
    for (const label of ['Card', 'PIN', 'Password']) {
      const privateField = page.getByLabelText(label);
      await userEvent.click(privateField);
      await userEvent.keyboard('CANARY');
      expect((privateField.element() as HTMLInputElement).value, label).not.toContain('CANARY');
      await expect.element(privateField).toHaveAttribute('readonly');
      await expect.element(privateField).toHaveAccessibleDescription(PRIVATE_NOTE);
    }
    // The marker: an ordinary field typed after them reaches the visitor, and nothing else.
    await userEvent.fill(page.getByLabelText('Name'), 'typed by the helper');
    await expect
      .poll(() => commands.visitorApplied(server))
      .toContainEqual(field('#name', 'typed by the helper'));
    const applied = await commands.visitorApplied(server);
    expect(applied.filter((change) => change.type === 'field' && change.key !== '#name')).toEqual(
      [],
    );
    expect(JSON.stringify(applied)).not.toContain('CANARY');
  });
});

describe('<help-widget> on the copy', () => {
  it('taken out of the page, it stops following; put back, it asks the agent page again', async () => {
    await import('../../../widget/help-widget.ts');
    form();
    const host = mount(`<help-widget server="${location.origin}"></help-widget>`);
    const widget = get('help-widget', host);
    await expect.poll(() => toAgent).toEqual([{ source: 'help-widget', type: 'follow:hello' }]);
    fromAgent(grant());
    // Following: the widget says so instead of offering help, and the copy is read-only.
    await expect.poll(() => widget.shadowRoot?.querySelector('.following')).not.toBeNull();
    expect(await canType('Name')).toBe(false);
    widget.remove();
    expect(await canType('Name')).toBe(true);
    host.append(widget);
    await expect.poll(() => toAgent).toHaveLength(2);
    expect(toAgent[1]).toEqual({ source: 'help-widget', type: 'follow:hello' });
    widget.remove();
  });
});
