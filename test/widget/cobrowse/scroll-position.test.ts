import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import type { ScrollValue } from '../../../protocol/cobrowse.ts';
import { cobrowseChangeSchema } from '../../../protocol/cobrowse-schemas.ts';
import { applyScroll, readScroll } from '../../../widget/cobrowse/scroll-position.ts';
import { get, mount } from './fixture.ts';

let size = { width: 0, height: 0 };
beforeAll(() => {
  size = { width: innerWidth, height: innerHeight };
});

afterEach(async () => {
  document.body.replaceChildren();
  scrollTo({ top: 0, left: 0, behavior: 'instant' });
  if (innerWidth !== size.width || innerHeight !== size.height) {
    await page.viewport(size.width, size.height);
  }
});

const TEXT =
  'A paragraph long enough to wrap differently in a wide window and in a narrow one, ' +
  'so that the same words sit at another height when the helper looks at the page. ';

/** A long article: numbered sections whose height depends on the window width. */
function article(count = 40): void {
  const sections = Array.from(
    { length: count },
    (_, i) => `<section id="s${i}"><h2>Part ${i}</h2><p>${TEXT.repeat(1 + (i % 4))}</p></section>`,
  ).join('');
  mount(`<style>body { margin: 0; font: 16px/1.5 sans-serif } h2 { margin: 0 }
    p { margin: 0 0 12px }</style>${sections}`);
}

/** Whether the server takes this scroll as a change from the visitor's page. */
function accepted(key: string, value: ScrollValue): boolean {
  return cobrowseChangeSchema.safeParse({
    conversationId: 'conversation-1',
    type: 'scroll',
    key,
    value,
  }).success;
}

/** Scrolls the window so that `element`'s top is `ratio` of its height above the top edge. */
function scrollWindowInto(element: Element, ratio: number): void {
  const rect = element.getBoundingClientRect();
  scrollTo({ top: scrollY + rect.top + ratio * rect.height, behavior: 'instant' });
}

describe('the window scroll', () => {
  it('is read as the element at the top of the window and how far into it', () => {
    article();
    // The deepest element there is the anchor: the paragraph, not its section.
    scrollWindowInto(get('#s20 > p'), 0.25);
    const value = readScroll();
    expect(value.anchor?.path).toBe('#s20 > p:nth-of-type(1)');
    expect(value.anchor?.offsetRatio).toBeCloseTo(0.25, 2);
    const max = document.documentElement.scrollHeight - innerHeight;
    expect(value.ratioY).toBeCloseTo(scrollY / max, 3);
    expect(value.ratioX).toBe(0);
    expect(accepted('window', value)).toBe(true);
  });

  it('comes back to the same place after the window was scrolled elsewhere', () => {
    article();
    scrollWindowInto(get('#s13 > p'), 0.6);
    const where = scrollY;
    const value = readScroll();
    scrollTo({ top: 0, behavior: 'instant' });
    applyScroll(value);
    expect(Math.abs(scrollY - where)).toBeLessThanOrEqual(1);
  });

  it('on a copy of another width, the same element is at the top, as far into it', async () => {
    await page.viewport(900, 600);
    await expect.poll(() => innerWidth).toBe(900);
    article();
    const paragraph = get('#s17 > p');
    scrollWindowInto(paragraph, 0.3);
    const value = readScroll();
    expect(value.anchor?.path).toBe('#s17 > p:nth-of-type(1)');

    // The helper's window is narrower: text wraps, every section is taller.
    await page.viewport(420, 600);
    await expect.poll(() => innerWidth).toBe(420);
    scrollTo({ top: 0, behavior: 'instant' });
    applyScroll(value);

    const rect = paragraph.getBoundingClientRect();
    expect(-rect.top / rect.height).toBeCloseTo(0.3, 1);
    expect(document.elementFromPoint(innerWidth / 2, 2)).toBe(paragraph);
    // The ratio alone would have put another paragraph at the top: the anchor made it right.
    const byRatio = value.ratioY * (document.documentElement.scrollHeight - innerHeight);
    expect(Math.abs(byRatio - scrollY)).toBeGreaterThan(rect.height);
  });

  it('horizontally, comes back to the same ratio of the width', () => {
    mount('<style>body { margin: 0 }</style><div style="width: 3000px; height: 3000px"></div>');
    const maxX = document.documentElement.scrollWidth - innerWidth;
    scrollTo({ left: maxX / 4, top: 500, behavior: 'instant' });
    const value = readScroll();
    expect(value.ratioX).toBeCloseTo(0.25, 2);
    scrollTo({ left: 0, top: 0, behavior: 'instant' });
    applyScroll(value);
    expect(Math.abs(scrollX - maxX / 4)).toBeLessThanOrEqual(1);
    expect(scrollY).toBe(500);
  });

  it('uses the ratio when nothing at the top can be named', () => {
    mount('<style>body { margin: 0 }</style><div style="height: 5000px"></div>');
    const max = document.documentElement.scrollHeight - innerHeight;
    applyScroll({ anchor: null, ratioX: 0, ratioY: 0.5 });
    expect(scrollY).toBeCloseTo(max / 2, 0);
  });

  it('uses the ratio when the element named is not on this copy', () => {
    article();
    const max = document.documentElement.scrollHeight - innerHeight;
    applyScroll({ anchor: { path: '#not-here', offsetRatio: 0.5 }, ratioX: 0, ratioY: 0.75 });
    expect(scrollY).toBeCloseTo(max * 0.75, 0);
  });

  it('a page that does not scroll is at ratio 0, not at a division by zero', () => {
    mount('<p id="short">Short page</p>');
    const value = readScroll();
    expect(value.ratioX).toBe(0);
    expect(value.ratioY).toBe(0);
    expect(accepted('window', value)).toBe(true);
  });

  it.each([
    ['a fixed header', 'position: fixed; top: 0; left: 0; right: 0'],
    ['a sticky bar', 'position: sticky; top: 0'],
    ['a bar inside a sticky one', 'position: sticky; top: 0; padding: 0'],
  ])('skips %s: it is at the top whatever the scroll', (what, style) => {
    article();
    const bar = document.createElement('nav');
    bar.setAttribute('style', `${style}; height: 60px; background: #eee`);
    bar.innerHTML = what.includes('inside')
      ? '<div id="inner" style="height: 60px">Menu</div>'
      : 'Menu';
    bar.id = 'bar';
    document.body.prepend(bar);
    scrollWindowInto(get('#s9 > p'), 0.5);
    // Where the probe looks, the bar is what a hit test finds first.
    expect(document.elementFromPoint(innerWidth / 2, 2)?.closest('#bar')).toBe(bar);
    expect(readScroll().anchor?.path).toBe('#s9 > p:nth-of-type(1)');
  });

  it("skips the widget's own UI lying over the page", () => {
    article();
    scrollWindowInto(get('#s5 > p'), 0.1);
    const overlay = mount(`<help-widget style="display: block; position: absolute; left: 0;
      right: 0; height: 100px; top: ${scrollY}px; background: #123"></help-widget>`);
    expect(document.elementFromPoint(innerWidth / 2, 2)?.closest('help-widget')).not.toBeNull();
    expect(readScroll().anchor?.path).toBe('#s5 > p:nth-of-type(1)');
    overlay.remove();
  });

  it('an overlay put outside <body> (as extensions do) is looked through', () => {
    article();
    scrollWindowInto(get('#s7 > p'), 0.2);
    const overlay = document.createElement('div');
    overlay.setAttribute(
      'style',
      'position: absolute; left: 0; right: 0; height: 80px; z-index: 9',
    );
    overlay.style.top = `${scrollY}px`;
    document.documentElement.append(overlay);
    try {
      expect(document.elementFromPoint(innerWidth / 2, 2)).toBe(overlay);
      const value = readScroll();
      expect(value.anchor?.path).toBe('#s7 > p:nth-of-type(1)');
      expect(accepted('window', value)).toBe(true);
    } finally {
      overlay.remove();
    }
  });

  it('with the page locked by a fixed body (as dialogs do), what is at the top is still named', () => {
    article();
    document.body.style.position = 'fixed';
    try {
      expect(readScroll().anchor?.path).toBe('#s0 > h2:nth-of-type(1)');
    } finally {
      document.body.style.position = '';
    }
  });

  it('an element found far below the top edge still gives a position the server accepts', () => {
    // Nothing at the very top; a tiny element lower down is the nearest thing to anchor to.
    mount(`<style>body { margin: 0; padding-top: 25px }</style>
      <span id="tiny" style="display: block; height: 10px"></span>`);
    const value = readScroll();
    expect(value.anchor).toEqual({ path: '#tiny', offsetRatio: -1 });
    expect(accepted('window', value)).toBe(true);
  });
});

describe('a scrollable element inside the page', () => {
  function list(horizontal = false): HTMLElement {
    const items = Array.from(
      { length: 30 },
      (_, i) => `<li id="item${i}" style="height: ${40 + (i % 3) * 10}px">Item ${i}</li>`,
    ).join('');
    const style = horizontal
      ? 'width: 200px; overflow-x: auto; white-space: nowrap'
      : 'height: 200px; overflow-y: auto';
    mount(`<div style="height: 120px"></div><div id="box" style="${style}">
      <ul style="margin: 0; ${horizontal ? 'width: 1000px' : ''}">${items}</ul></div>`);
    return get('#box');
  }

  it('is read as the item at its top edge and how far into it', () => {
    const box = list();
    const item = get('#item12');
    box.scrollTop = item.offsetTop - box.offsetTop + item.offsetHeight * 0.5;
    const value = readScroll(box);
    expect(value.anchor?.path).toBe('#item12');
    expect(value.anchor?.offsetRatio).toBeCloseTo(0.5, 1);
    expect(value.ratioY).toBeCloseTo(box.scrollTop / (box.scrollHeight - box.clientHeight), 3);
    expect(accepted('#box', value)).toBe(true);
  });

  it('the item found is the first one crossing the edge, even when the window is scrolled', () => {
    const box = list();
    scrollTo({ top: 100, behavior: 'instant' });
    box.scrollTop = get('#item20').offsetTop - box.offsetTop + 5;
    expect(readScroll(box).anchor?.path).toBe('#item20');
  });

  it('comes back to the same place, and the window does not move', () => {
    const box = list();
    box.scrollTop = 777;
    const value = readScroll(box);
    box.scrollTop = 0;
    applyScroll(value, box);
    expect(Math.abs(box.scrollTop - 777)).toBeLessThanOrEqual(1);
    expect(scrollY).toBe(0);
  });

  it('with items that changed height on the copy, the same item is at its top', () => {
    const box = list();
    const item = get('#item15');
    box.scrollTop = item.offsetTop - box.offsetTop;
    const value = readScroll(box);
    box.scrollTop = 0;
    for (const li of box.querySelectorAll('li')) li.style.height = '25px';
    applyScroll(value, box);
    expect(item.getBoundingClientRect().top).toBeCloseTo(box.getBoundingClientRect().top, 0);
  });

  it('horizontally, comes back to the same ratio of its width', () => {
    const box = list(true);
    const max = box.scrollWidth - box.clientWidth;
    box.scrollLeft = max / 2;
    const value = readScroll(box);
    expect(value.ratioX).toBeCloseTo(0.5, 2);
    box.scrollLeft = 0;
    applyScroll(value, box);
    expect(box.scrollLeft).toBeCloseTo(max / 2, 0);
  });

  it('the item is looked for up to three levels down, not deeper', () => {
    const box = mount(
      `<div id="box" style="height: 100px; overflow: auto">${Array.from(
        { length: 10 },
        (_, i) => `<section id="row${i}"><div><p><span><b>Row ${i}</b></span></p></div></section>`,
      ).join('')}</div>`,
    ).firstElementChild!;
    box.scrollTop = get('#row4').offsetTop - (box as HTMLElement).offsetTop;
    expect(readScroll(box).anchor?.path).toBe('#row4 > div:nth-of-type(1) > p:nth-of-type(1)');
  });

  it('uses its own ratio when the item is unknown', () => {
    const box = list();
    const max = box.scrollHeight - box.clientHeight;
    applyScroll({ anchor: null, ratioX: 0, ratioY: 1 }, box);
    expect(box.scrollTop).toBeCloseTo(max, 0);
    expect(scrollY).toBe(0);
  });
});

describe('right-to-left pages', () => {
  it('a horizontal scroller in a right-to-left page comes back to the same place', () => {
    const host = mount(`<div id="carousel" dir="rtl" style="width: 200px; overflow-x: auto">
      <div style="width: 1000px; height: 50px"></div></div>`);
    const box = get('#carousel', host);
    const max = box.scrollWidth - box.clientWidth;
    // Scrolled from its start (the right edge) towards the left: scrollLeft counts down.
    box.scrollLeft = -max / 2;
    const value = readScroll(box);
    expect(value.ratioX).toBeCloseTo(0.5, 2);
    box.scrollLeft = 0;
    applyScroll(value, box);
    expect(Math.abs(box.scrollLeft + max / 2)).toBeLessThanOrEqual(1);
  });
});
