import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CobrowseChange, ControlChange } from '../../../protocol/cobrowse.ts';
import { applyControlChange } from '../../../widget/cobrowse/control-apply.ts';
import { startLeading } from '../../../widget/cobrowse/leader.ts';
import { get, mount } from './fixture.ts';

/** The Navigation API's event, which the DOM types of this TypeScript do not describe. */
interface NavigateEvent extends Event {
  readonly destination: { readonly url: string };
}
const navigation = (window as Window & { navigation: EventTarget }).navigation;

/**
 * Every navigation this page starts, recorded and cancelled: the test page must stay where it
 * is, and what matters is where the visitor's page would have gone.
 */
let navigations: string[] = [];
const holdNavigation = (event: Event) => {
  navigations.push((event as NavigateEvent).destination.url);
  event.preventDefault();
};

/** Events the site's own scripts would see, in order, with the value at that moment. */
let seen: string[] = [];
const record = (event: Event) => {
  const target = event.target as HTMLInputElement;
  const state = target.type === 'checkbox' ? String(target.checked) : target.value;
  seen.push(`${event.type}:${target.id}=${state}:${event.bubbles ? 'bubbles' : 'stays'}`);
};

beforeEach(() => {
  navigations = [];
  seen = [];
  navigation.addEventListener('navigate', holdNavigation);
  document.addEventListener('input', record);
  document.addEventListener('change', record);
});

afterEach(() => {
  navigation.removeEventListener('navigate', holdNavigation);
  document.removeEventListener('input', record);
  document.removeEventListener('change', record);
  document.body.replaceChildren();
  scrollTo({ top: 0, behavior: 'instant' });
});

function navigate(url: string): ControlChange {
  return { type: 'navigate', key: 'page', value: { url, title: 'Another page' } };
}

function field(key: string, value: Extract<ControlChange, { type: 'field' }>['value']) {
  return { type: 'field', key, value } satisfies ControlChange;
}

describe('navigation by the helper', () => {
  it('takes the visitor to another page of the same site, relative links included', () => {
    applyControlChange(navigate(`${location.origin}/pricing?plan=team#faq`));
    applyControlChange(navigate('/contact'));
    expect(navigations).toEqual([
      `${location.origin}/pricing?plan=team#faq`,
      `${location.origin}/contact`,
    ]);
  });

  it.each([
    ['another site', 'https://attacker.example/login'],
    ['the same host on another port', `${location.protocol}//${location.hostname}:1/`],
    ['the same host over another scheme', `https://${location.host}/`],
    ['a scheme-relative link to another site', '//attacker.example/x'],
    ['a data: URL', 'data:text/html,<h1>Sign in again</h1>'],
  ])('never goes to %s', (_what, url) => {
    applyControlChange(navigate(url));
    // The marker: a navigation that is allowed arrives, and is the only one.
    applyControlChange(navigate('/after'));
    expect(navigations).toEqual([`${location.origin}/after`]);
  });

  it('never runs a javascript: URL on the visitor page', async () => {
    const flags = document.documentElement.dataset;
    try {
      applyControlChange(navigate('javascript:void(document.documentElement.dataset.hijacked=1)'));
      // javascript: URLs run in order, later: once ours has run, the helper's would have too.
      location.assign('javascript:void(document.documentElement.dataset.marker=1)');
      await expect.poll(() => flags.marker).toBe('1');
      expect(flags.hijacked).toBeUndefined();
    } finally {
      delete flags.marker;
      delete flags.hijacked;
    }
  });

  it('does not reload the page the visitor is already on', () => {
    applyControlChange(navigate(location.href));
    applyControlChange(navigate('/after'));
    expect(navigations).toEqual([`${location.origin}/after`]);
  });
});

describe('typing by the helper', () => {
  it("fills the visitor's field and fires input then change, as typing would", () => {
    mount('<label>Name <input id="name"></label>');
    applyControlChange(field('#name', { value: 'Ada Lovelace' }));
    expect(get<HTMLInputElement>('#name').value).toBe('Ada Lovelace');
    expect(seen).toEqual(['input:name=Ada Lovelace:bubbles', 'change:name=Ada Lovelace:bubbles']);
  });

  it('ticks boxes and chooses options, firing the same events', () => {
    mount(`<input type="checkbox" id="agree"><select id="plan"><option>Free</option>
      <option>Team</option></select>`);
    applyControlChange(field('#agree', { checked: true }));
    applyControlChange(field('#plan', { selectedIndex: 1 }));
    expect(get<HTMLInputElement>('#agree').checked).toBe(true);
    expect(get<HTMLSelectElement>('#plan').value).toBe('Team');
    expect(seen).toEqual([
      'input:agree=true:bubbles',
      'change:agree=true:bubbles',
      'input:plan=Team:bubbles',
      'change:plan=Team:bubbles',
    ]);
  });

  it.each([
    ['a password', '<input id="f" type="password">'],
    ['a card number', '<input id="f" autocomplete="cc-number">'],
    ['a card code', '<input id="f" autocomplete="billing cc-csc">'],
    ['a one-time code', '<input id="f" autocomplete="one-time-code">'],
    ['a field the site masked', '<div data-help-mask><input id="f"></div>'],
    ['a hidden input', '<input id="f" type="hidden">'],
  ])('never writes into %s, even when the change carries a value', (_what, markup) => {
    mount(`${markup}<input id="marker">`);
    applyControlChange(field('#f', { value: 'written by the helper' }));
    applyControlChange(field('#marker', { value: 'marker' }));
    expect(get<HTMLInputElement>('#f').value).toBe('');
    expect(seen).toEqual(['input:marker=marker:bubbles', 'change:marker=marker:bubbles']);
  });

  it("never writes the mask placeholder into the visitor's real field", () => {
    mount('<input id="name" value="Ada">');
    applyControlChange(field('#name', { masked: true }));
    expect(get<HTMLInputElement>('#name').value).toBe('Ada');
    expect(seen).toEqual([]);
  });

  it('a path to something that is not a field, or to nothing, changes nothing', () => {
    mount('<p id="text">Words</p>');
    expect(() => applyControlChange(field('#text', { value: 'x' }))).not.toThrow();
    expect(() => applyControlChange(field('#missing', { value: 'x' }))).not.toThrow();
    expect(() => applyControlChange(field('not a selector ((', { value: 'x' }))).not.toThrow();
    expect(get('#text').textContent).toBe('Words');
    expect(seen).toEqual([]);
  });

  it("is not sent back to the helper as the visitor's own typing", async () => {
    mount('<input id="name">');
    const sent: CobrowseChange[] = [];
    const stop = startLeading((change) => sent.push(change));
    try {
      sent.length = 0;
      applyControlChange(field('#name', { value: 'from the helper' }));
      // The visitor then types: that is theirs, and it goes out.
      const input = get<HTMLInputElement>('#name');
      input.value = 'from the helper!';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await expect.poll(() => sent.filter((c) => c.type === 'field')).toHaveLength(1);
      expect(sent.filter((c) => c.type === 'field')).toEqual([
        { type: 'field', key: '#name', value: { value: 'from the helper!' } },
      ]);
    } finally {
      stop();
    }
  });
});

describe('scrolling by the helper', () => {
  function tallPage(): HTMLElement {
    const host = mount(`<div style="height: 4000px"></div>
      <div id="box" style="height: 100px; overflow: auto"><div style="height: 1000px"></div></div>`);
    return get('#box', host);
  }

  it('scrolls the window', () => {
    tallPage();
    const max = document.documentElement.scrollHeight - innerHeight;
    applyControlChange({
      type: 'scroll',
      key: 'window',
      value: { anchor: null, ratioX: 0, ratioY: 0.5 },
    });
    expect(Math.abs(scrollY - max / 2)).toBeLessThanOrEqual(1);
  });

  it('scrolls the scrollable element the path names, and not the window', () => {
    const box = tallPage();
    applyControlChange({
      type: 'scroll',
      key: '#box',
      value: { anchor: null, ratioX: 0, ratioY: 1 },
    });
    expect(box.scrollTop).toBe(box.scrollHeight - box.clientHeight);
    expect(scrollY).toBe(0);
  });

  it('a path to nothing scrolls nothing', () => {
    const box = tallPage();
    applyControlChange({
      type: 'scroll',
      key: '#gone',
      value: { anchor: null, ratioX: 0, ratioY: 1 },
    });
    expect(box.scrollTop).toBe(0);
    expect(scrollY).toBe(0);
  });
});
