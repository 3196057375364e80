import { afterEach, describe, expect, it } from 'vitest';
import { applySelection, readSelection } from '../../../widget/cobrowse/selection.ts';
import { get, mount } from './fixture.ts';

const NAME = 'help-visitor-selection';

afterEach(() => {
  getSelection()?.removeAllRanges();
  CSS.highlights.clear();
  // Each test starts from a page without the highlight's style, as a fresh copy would.
  document.adoptedStyleSheets = [];
  document.body.replaceChildren();
});

/** What the helper's copy shows highlighted, as text. */
function highlighted(): string[] {
  const highlight = CSS.highlights.get(NAME);
  return highlight ? [...highlight].map((range) => range.toString()) : [];
}

/** Selects like a visitor's drag, and returns the selected text as a range reads it. */
function select(from: Node, fromOffset: number, to: Node, toOffset: number): string {
  const selection = getSelection()!;
  selection.setBaseAndExtent(from, fromOffset, to, toOffset);
  return selection.rangeCount ? selection.getRangeAt(0).toString() : '';
}

/** Selects, reads, clears, applies: what the helper would see of what the visitor selected. */
function roundTrip(from: Node, fromOffset: number, to: Node, toOffset: number): void {
  const text = select(from, fromOffset, to, toOffset);
  expect(text.length).toBeGreaterThan(0);
  const value = readSelection();
  getSelection()?.removeAllRanges();
  applySelection(value);
  expect(highlighted()).toEqual([text]);
}

describe("the visitor's selected text", () => {
  it('a selection across two paragraphs is sent as element paths and character offsets', () => {
    mount('<p id="a">Hello world</p><p id="b">Second line</p>');
    select(get('#a').firstChild!, 6, get('#b').firstChild!, 6);
    expect(readSelection()).toEqual({
      ranges: [{ start: { path: '#a', offset: 6 }, end: { path: '#b', offset: 6 } }],
    });
  });

  it('a selection made backwards is sent from its start to its end', () => {
    mount('<p id="a">Hello world</p><p id="b">Second line</p>');
    select(get('#b').firstChild!, 3, get('#a').firstChild!, 2);
    expect(readSelection()).toEqual({
      ranges: [{ start: { path: '#a', offset: 2 }, end: { path: '#b', offset: 3 } }],
    });
  });

  it('offsets count characters within the element holding the text', () => {
    mount('<p id="c">Some <b>bold</b> and <i>italic</i> text</p>');
    select(get('#c b').firstChild!, 2, get('#c i').firstChild!, 3);
    expect(readSelection()).toEqual({
      ranges: [
        {
          start: { path: '#c > b:nth-of-type(1)', offset: 2 },
          end: { path: '#c > i:nth-of-type(1)', offset: 3 },
        },
      ],
    });
  });

  it('a selection ending in a later text node of the same element counts the text before it', () => {
    mount('<p id="c">Some <b>bold</b> and more</p>');
    const p = get('#c');
    select(p.firstChild!, 1, p.lastChild!, 4);
    expect(readSelection().ranges[0]?.end).toEqual({ path: '#c', offset: 13 });
  });

  it('a whole element selected is sent as its full text', () => {
    mount('<p id="d">All <em>of</em> it</p>');
    getSelection()?.selectAllChildren(get('#d'));
    expect(readSelection()).toEqual({
      ranges: [{ start: { path: '#d', offset: 0 }, end: { path: '#d', offset: 9 } }],
    });
  });

  it('nothing selected, or only a caret, sends no ranges', () => {
    mount('<p id="a">Hello</p>');
    expect(readSelection()).toEqual({ ranges: [] });
    select(get('#a').firstChild!, 2, get('#a').firstChild!, 2);
    expect(getSelection()?.rangeCount).toBe(1);
    expect(readSelection()).toEqual({ ranges: [] });
  });

  it('text selected in a masked region is not sent, from either end', () => {
    mount('<p id="open">Open text</p><div data-help-mask><p id="private">Card 4111</p></div>');
    select(get('#open').firstChild!, 0, get('#private').firstChild!, 4);
    expect(readSelection()).toEqual({ ranges: [] });
    select(get('#private').firstChild!, 0, get('#private').firstChild!, 4);
    expect(readSelection()).toEqual({ ranges: [] });
    select(get('#private').firstChild!, 2, get('#open').firstChild!, 4);
    expect(readSelection()).toEqual({ ranges: [] });
  });

  it("text selected in the widget's own UI is not sent", () => {
    mount('<p id="open">Open text</p><help-widget><p id="mine">Chat text</p></help-widget>');
    select(get('#mine').firstChild!, 0, get('#mine').firstChild!, 4);
    expect(readSelection()).toEqual({ ranges: [] });
  });
});

describe("the helper's copy highlights it", () => {
  it('a selection across elements comes back as the same text', () => {
    mount('<p id="a">Hello world</p><ul><li>one</li><li>two <b>three</b></li></ul><p>end</p>');
    roundTrip(get('#a').firstChild!, 3, get('li:nth-of-type(2) b').firstChild!, 2);
  });

  it('a selection inside nested inline elements comes back as the same text', () => {
    mount('<p>Some <b>bold <i>and italic</i> words</b> here</p>');
    roundTrip(get('i').firstChild!, 4, get('b').lastChild!, 3);
  });

  it('a whole paragraph selected comes back whole', () => {
    mount('<p>before</p><p id="d">All <em>of</em> it</p><p>after</p>');
    getSelection()?.selectAllChildren(get('#d'));
    const value = readSelection();
    getSelection()?.removeAllRanges();
    applySelection(value);
    expect(highlighted()).toEqual(['All of it']);
  });

  it('the highlight is a visible colour of its own, added to the page once', () => {
    mount('<p id="a">Hello world</p>');
    const value = {
      ranges: [{ start: { path: '#a', offset: 0 }, end: { path: '#a', offset: 5 } }],
    };
    applySelection(value);
    applySelection(value);
    const rules = document.adoptedStyleSheets
      .flatMap((sheet) => [...sheet.cssRules])
      .map((rule) => rule.cssText)
      .filter((text) => text.includes(`::highlight(${NAME})`));
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatch(/background(-color)?: rgb\(255, 224, 102\)/);
    expect(highlighted()).toEqual(['Hello']);
  });

  it('the highlight keeps its colour when the page replaces its own style sheets', () => {
    mount('<p id="a">Hello world</p>');
    const value = {
      ranges: [{ start: { path: '#a', offset: 0 }, end: { path: '#a', offset: 5 } }],
    };
    applySelection(value);
    // Some sites set their constructed sheets wholesale, dropping any added before.
    const theirs = new CSSStyleSheet();
    theirs.replaceSync('p { color: navy }');
    document.adoptedStyleSheets = [theirs];
    applySelection(value);
    const texts = document.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText));
    expect(texts).toEqual(['p { color: navy; }', expect.stringContaining(`::highlight(${NAME})`)]);
  });

  it('a page that adopted an empty style sheet still gets the highlight', () => {
    mount('<p id="a">Hello world</p>');
    document.adoptedStyleSheets = [new CSSStyleSheet()];
    applySelection({
      ranges: [{ start: { path: '#a', offset: 0 }, end: { path: '#a', offset: 5 } }],
    });
    expect(highlighted()).toEqual(['Hello']);
    expect(document.adoptedStyleSheets).toHaveLength(2);
  });

  it('a new selection replaces the old one, and a cleared selection clears the highlight', () => {
    mount('<p id="a">Hello world</p>');
    applySelection({
      ranges: [{ start: { path: '#a', offset: 0 }, end: { path: '#a', offset: 5 } }],
    });
    applySelection({
      ranges: [{ start: { path: '#a', offset: 6 }, end: { path: '#a', offset: 11 } }],
    });
    expect(highlighted()).toEqual(['world']);
    applySelection({ ranges: [] });
    expect(highlighted()).toEqual([]);
  });

  it('a range naming an element not on the copy is left out; the others are shown', () => {
    mount('<p id="a">Hello world</p>');
    applySelection({
      ranges: [
        { start: { path: '#gone', offset: 0 }, end: { path: '#a', offset: 5 } },
        { start: { path: '#a', offset: 0 }, end: { path: '#gone', offset: 5 } },
        { start: { path: '#a', offset: 6 }, end: { path: '#a', offset: 11 } },
      ],
    });
    expect(highlighted()).toEqual(['world']);
  });

  it('an offset past the end of the copy’s text stops at the end of the element', () => {
    mount('<p id="a">Hello <b>world</b></p><p id="b">Next</p>');
    applySelection({
      ranges: [{ start: { path: '#a', offset: 6 }, end: { path: '#a', offset: 99 } }],
    });
    expect(highlighted()).toEqual(['world']);
  });

  it('an offset at a boundary between text nodes starts in the first of them', () => {
    mount('<p id="a">ab<b>cd</b>ef</p>');
    applySelection({
      ranges: [{ start: { path: '#a', offset: 2 }, end: { path: '#a', offset: 5 } }],
    });
    expect(highlighted()).toEqual(['cde']);
  });

  it('a range whose end comes before its start on the copy shows nothing, and throws not', () => {
    mount('<p id="a">Hello world</p><p id="b">Other</p>');
    expect(() =>
      applySelection({
        ranges: [{ start: { path: '#b', offset: 2 }, end: { path: '#a', offset: 1 } }],
      }),
    ).not.toThrow();
    expect(highlighted().join('')).toBe('');
  });
});
