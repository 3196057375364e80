import { afterEach, describe, expect, it } from 'vitest';
import { findByPath, pathOf } from '../../../widget/cobrowse/element-path.ts';
import { get, mount } from './fixture.ts';

afterEach(() => {
  document.body.replaceChildren();
});

/** The path of `element`, which must have one, after checking it leads back to `element`. */
function roundTrip(element: Element): string {
  const path = pathOf(element);
  expect(path, element.outerHTML.slice(0, 80)).toBeTypeOf('string');
  expect(findByPath(path!)).toBe(element);
  return path!;
}

describe('element paths name the same element on the visitor page and its copy', () => {
  it('an element with a unique id is named by it', () => {
    mount('<p id="intro">Hello</p><p>Bye</p>');
    expect(roundTrip(get('#intro'))).toBe('#intro');
  });

  it.each([
    ['a space', 'first name'],
    ['double quotes', 'say "hi"'],
    ['a single quote', "visitor's"],
    ['colons', 'form:field:1'],
    ['a leading digit', '1st'],
    ['only digits', '42'],
    ['brackets and dots', 'a[0].b'],
    ['a hash and a greater-than sign', '#x > y'],
    ['non-Latin letters', 'überschrift-名前'],
  ])('an id with %s still names its element', (_what, id) => {
    const host = mount('<p></p><p></p>');
    const target = host.children[1]!;
    target.id = id;
    roundTrip(target);
    expect(pathOf(target)?.startsWith('#')).toBe(true);
  });

  it('duplicate ids are not trusted: each element still gets a path of its own', () => {
    mount('<section><p id="dup">one</p></section><section><p id="dup">two</p></section>');
    const [one, two] = document.querySelectorAll('p');
    const paths = [roundTrip(one!), roundTrip(two!)];
    expect(paths[0]).not.toBe(paths[1]);
    for (const path of paths) expect(path).not.toContain('#dup');
  });

  it('a unique data-help-id comes next, then a unique name', () => {
    mount(`<div data-help-id="checkout">
        <input name="email"><input name="email" type="hidden">
        <select name="country"></select><textarea name="note"></textarea>
      </div>`);
    expect(roundTrip(get('[data-help-id]'))).toBe('[data-help-id="checkout"]');
    expect(roundTrip(get('select'))).toBe('select[name="country"]');
    expect(roundTrip(get('textarea'))).toBe('textarea[name="note"]');
    // Two elements share the name "email": the path counts from the named ancestor instead.
    expect(roundTrip(get('input'))).toBe('[data-help-id="checkout"] > input:nth-of-type(1)');
  });

  it('data-help-id and name values with quotes and spaces still name their element', () => {
    mount(`<div data-help-id='the "main" area'><input name="a b'c"></div>`);
    roundTrip(get('div > div'));
    roundTrip(get('input'));
  });

  it('a repeated data-help-id or an empty one falls back to the element position', () => {
    mount(
      '<ul><li data-help-id="row">a</li><li data-help-id="row">b</li><li data-help-id="">c</li></ul>',
    );
    const items = document.querySelectorAll('li');
    expect(roundTrip(items[1]!)).toMatch(/li:nth-of-type\(2\)$/);
    expect(roundTrip(items[2]!)).toMatch(/li:nth-of-type\(3\)$/);
  });

  it('an element with no name is counted by type from its nearest named ancestor', () => {
    mount(`<main id="content">
        <h2>A</h2><p>first</p><h2>B</h2><p>second</p>
        <p>third <em>one</em> and <em>two</em></p>
      </main>`);
    const ems = document.querySelectorAll('em');
    expect(roundTrip(ems[1]!)).toBe('#content > p:nth-of-type(3) > em:nth-of-type(2)');
    expect(roundTrip(document.querySelectorAll('h2')[1]!)).toBe('#content > h2:nth-of-type(2)');
  });

  it('with no named ancestor the chain starts at body', () => {
    mount('<div><span>a</span></div><div><span>b</span><span>c</span></div>');
    const c = document.querySelectorAll('span')[2]!;
    expect(roundTrip(c)).toBe(
      'body > div:nth-of-type(1) > div:nth-of-type(2) > span:nth-of-type(2)',
    );
    expect(roundTrip(document.body)).toBe('body');
  });

  it('text pasted from a word processor, with tags like <o:p>, still has paths', () => {
    // Word's HTML keeps namespaced tags; the HTML parser makes "o:p" the tag name.
    mount(`<p>Dear <o:p><span>customer</span></o:p></p><p><o:p>x</o:p><o:p name="n">y</o:p></p>
      <p><x.y>dotted</x.y><x.y>again</x.y></p>`);
    for (const element of document.body.querySelectorAll('div *')) roundTrip(element);
  });

  it('every element of a realistic page round-trips to itself', () => {
    mount(`<header id="top"><nav><a href="#a">A</a><a href="#b">B</a></nav></header>
      <main><article data-help-id="post"><h1>Title</h1><p>One <b>bold</b> <i>it</i></p>
        <p id="dup">Two</p><p id="dup">Three</p>
        <form><label>Name <input name="name"></label><label>Size
          <input type="radio" name="size" value="s"><input type="radio" name="size" value="m">
        </label><select name="pick"><option>x</option><option>y</option></select>
        <input name="null"><input><input name=""></form>
        <table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td><span>4</span></td></tr></table>
        <svg viewBox="0 0 10 10"><circle r="3"></circle><rect width="2" height="2"></rect></svg>
      </article></main><footer><p>end</p></footer>`);
    const all = [...document.body.querySelectorAll('*')];
    expect(all.length).toBeGreaterThan(30);
    const paths = all.map(roundTrip);
    expect(new Set(paths).size).toBe(all.length);
  });

  it('a path made on one page finds the matching element in a copy of it', async () => {
    const markup = `<section><p>a</p><p>b <b>c</b></p></section><section data-help-id="s">
      <ul><li>1</li><li>2</li><li><input name="q"></li></ul></section>`;
    mount(markup);
    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><body><div>${markup}</div></body>`;
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve));
    document.body.append(frame);
    await loaded;
    const copy = frame.contentDocument!;
    // The iframe is on the visitor page too, after the fixture: same positions before it.
    const here = [...document.body.querySelectorAll('div *')];
    const there = [...copy.body.querySelectorAll('div *')];
    expect(here.length).toBe(there.length);
    here.forEach((element, i) => {
      const found = findByPath(pathOf(element)!, copy);
      expect(found?.outerHTML).toBe(there[i]!.outerHTML);
      expect(found).toBe(there[i]);
    });
  });
});

describe('what is never named or found', () => {
  it("the widget's own UI is never a target, in its light or its shadow tree", () => {
    mount(`<p id="page">page</p>
      <help-widget id="widget"><button id="inside">x</button><span>y</span></help-widget>`);
    const widget = get('#widget');
    const shadow = widget.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<button id="launcher">Help</button>';
    expect(pathOf(widget)).toBeUndefined();
    expect(pathOf(get('#inside'))).toBeUndefined();
    expect(pathOf(get('span', widget))).toBeUndefined();
    expect(pathOf(get('#launcher', shadow))).toBeUndefined();
    // A path sent from the other side that happens to name it finds nothing here.
    expect(findByPath('#widget')).toBeUndefined();
    expect(findByPath('#inside')).toBeUndefined();
    expect(findByPath('help-widget > span')).toBeUndefined();
    expect(findByPath('#page')).toBe(get('#page'));
  });

  it("an element inside a site's shadow root has no path, and its host has one", () => {
    const host = mount('<fancy-card id="card"></fancy-card>');
    const card = get('#card', host);
    const shadow = card.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<p id="inner">in the shadow</p><p>more</p>';
    // A document-wide selector cannot reach into a shadow root: no path is better than a
    // path that names some other element of the page.
    expect(pathOf(get('#inner', shadow))).toBeUndefined();
    expect(pathOf(shadow.querySelectorAll('p')[1]!)).toBeUndefined();
    expect(roundTrip(card)).toBe('#card');
    expect(findByPath('#inner')).toBeUndefined();
  });

  it('an element not in the page has no path', () => {
    const loose = document.createElement('p');
    loose.id = 'loose';
    expect(pathOf(loose)).toBeUndefined();
    const inHead = document.createElement('meta');
    document.head.append(inHead);
    try {
      expect(pathOf(inHead)).toBeUndefined();
      expect(pathOf(document.documentElement)).toBeUndefined();
    } finally {
      inHead.remove();
    }
  });

  it('a path that matches several elements, none, or is not a selector finds nothing', () => {
    mount('<p class="x">a</p><p class="x">b</p>');
    expect(findByPath('p.x')).toBeUndefined();
    expect(findByPath('#nothing-here')).toBeUndefined();
    expect(findByPath('p:nth-of-type(')).toBeUndefined();
    expect(findByPath('')).toBeUndefined();
    expect(findByPath('p.x:nth-of-type(2)')).toBe(document.querySelectorAll('p')[1]);
  });
});
