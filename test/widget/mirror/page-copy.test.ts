/**
 * What the helper's replay builds from the recording is the visitor's page: recorded here, in
 * a real page, replayed here by rrweb's replayer (as the agent page does), and compared with
 * the page, after changes of every kind, made after the snapshot and while it is being written.
 */
import { record } from '@rrweb/record';
import { Replayer } from '@rrweb/replay';
import { afterEach, describe, expect, it } from 'vitest';
import { type Recording, startRecording } from '../../../widget/mirror/recorder.ts';
import { get } from '../cobrowse/fixture.ts';
import { Wire } from './wire.ts';

const CANARY = 'CANARY-91c2';

type ReplayEvent = Exclude<Parameters<Replayer['addEvent']>[0], string>;

/** The replay, fed every batch so far in order, as the agent page feeds it. */
class Replay {
  readonly #host = document.createElement('div');
  #replayer: Replayer | undefined;
  #fed = 0;

  constructor() {
    document.documentElement.append(this.#host);
  }

  async catchUp(wire: Wire): Promise<void> {
    const batches = await wire.batches();
    for (const batch of batches.slice(this.#fed)) {
      for (const raw of batch.events) {
        const event = { ...raw, timestamp: Date.now() } as ReplayEvent;
        if (!this.#replayer) {
          this.#replayer = new Replayer([], {
            root: this.#host,
            liveMode: true,
            mouseTail: false,
            showWarning: false,
          });
          this.#replayer.startLive(event.timestamp);
        }
        this.#replayer.addEvent(event);
      }
    }
    this.#fed = batches.length;
  }

  get document(): Document | undefined {
    return this.#replayer?.iframe.contentDocument ?? undefined;
  }

  remove(): void {
    this.#replayer?.destroy();
    this.#host.remove();
  }
}

/** Elements, their ids and classes, and text, as a person would compare two pages. */
function outline(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent?.trim() ?? '';
  // The replay's nodes are another window's: instanceof Element would say no.
  if (node.nodeType !== Node.ELEMENT_NODE) return '';
  const element = node as Element;
  if (element.localName === 'style') return '';
  const id = element.id ? `#${element.id}` : '';
  const classes = element.getAttribute('class') ? `.${element.getAttribute('class')}` : '';
  const shadow = element.shadowRoot
    ? `{${[...element.shadowRoot.childNodes].map(outline).join('')}}`
    : '';
  const children = [...element.childNodes].map(outline).join('');
  return `<${element.localName}${id}${classes}>${shadow}${children}</>`;
}

/** The stage's outline on the visitor's page and in the replay become the same. */
async function expectSameStage(wire: Wire, replay: Replay): Promise<void> {
  const page = outline(get('#stage'));
  await expect
    .poll(
      async () => {
        await replay.catchUp(wire);
        const copy = replay.document?.getElementById('stage');
        return copy ? outline(copy) : 'no stage in the replay';
      },
      { timeout: 10_000 },
    )
    .toBe(page);
}

function stage(markup: string): HTMLElement {
  const section = document.createElement('section');
  section.id = 'stage';
  section.innerHTML = markup;
  document.body.append(section);
  return section;
}

/** A custom element drawing into an open shadow root, styled as Lit styles it. */
class PriceTag extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('b { color: rgb(0, 128, 0); }');
    root.adoptedStyleSheets = [sheet];
    root.innerHTML = '<b class="amount">12.50</b>';
  }
}
customElements.define('price-tag', PriceTag);

describe('the replay is the visitor’s page', () => {
  let recording: Recording | undefined;
  let replay: Replay | undefined;
  afterEach(() => {
    recording?.stop();
    recording = undefined;
    replay?.remove();
    replay = undefined;
    document.body.replaceChildren();
    for (const style of document.head.querySelectorAll('style.test')) style.remove();
  });

  it('after changes of every kind: added, removed, moved, text, attributes, shadow roots, inserted CSS rules', async () => {
    const style = document.createElement('style');
    style.className = 'test';
    style.textContent = '#stage .late { color: rgb(1, 2, 3); }';
    document.head.append(style);
    stage(`<h1 id="title">Orders</h1>
      <ul id="list"><li id="a">A</li><li id="b">B</li><li id="c">C</li></ul>
      <p id="text">First words</p>
      <svg id="icon" width="20" height="20"><circle cx="10" cy="10" r="5"></circle></svg>
      <price-tag id="price"></price-tag>
      <div id="box" class="plain"></div>`);
    const wire = new Wire();
    replay = new Replay();
    recording = startRecording({ block: [], mask: [] }, 0, wire.send, () => undefined);
    await expectSameStage(wire, replay);

    const list = get('#list');
    list.append(Object.assign(document.createElement('li'), { id: 'd', textContent: 'D' }));
    list.insertBefore(get('#c'), get('#a'));
    get('#b').remove();
    (get('#text').firstChild as Text).data = 'Other words';
    get('#box').setAttribute('class', 'late');
    get('#box').textContent = 'Coloured by a rule a script inserted';
    get('#title').removeAttribute('id');
    const gone = document.createElement('p');
    get('#stage').append(gone);
    gone.remove();
    get('#price').shadowRoot?.append(
      Object.assign(document.createElement('i'), { textContent: 'incl. tax' }),
    );
    get('#icon').append(document.createElementNS('http://www.w3.org/2000/svg', 'rect'));
    style.sheet?.insertRule('#stage .late { border-left: 7px solid rgb(4, 5, 6); }', 1);
    await expectSameStage(wire, replay);

    // Styles as the visitor sees them: the site's sheet with its inserted rule, the shadow
    // root's adopted sheet, the SVG in its namespace.
    const copy = replay.document;
    await expect
      .poll(() => {
        const box = copy?.querySelector('.late');
        return box ? getComputedStyle(box).borderLeftWidth : 'missing';
      })
      .toBe('7px');
    const box = copy?.querySelector('.late') as Element;
    expect(getComputedStyle(box).color).toBe('rgb(1, 2, 3)');
    const amount = copy?.getElementById('price')?.shadowRoot?.querySelector('.amount');
    expect(amount && getComputedStyle(amount).color).toBe('rgb(0, 128, 0)');
    expect(copy?.querySelector('#icon rect')?.namespaceURI).toBe('http://www.w3.org/2000/svg');
  });

  it('a big page: the visitor’s page gets its turn while the snapshot is written, and what changed meanwhile is in the copy', async () => {
    const rows = Array.from(
      { length: 4000 },
      (_, i) =>
        `<article id="row-${i}"><h3>Item ${i}</h3><p>Light, ${i % 7} days away</p></article>`,
    );
    stage(rows.join(''));
    const last = get('#row-3999');
    const wire = new Wire();
    replay = new Replay();
    recording = startRecording({ block: [], mask: [] }, 0, wire.send, () => undefined);
    // The page's own script, in tasks queued now: they run between slices of the snapshot.
    const ran = await new Promise<{ snapshotUnfinished: boolean }>((done) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        const snapshotUnfinished = record.mirror.getId(last) === -1;
        // Early rows are written out by now, later ones not yet: change both kinds.
        get('#row-0').remove();
        get('#row-1 h3').textContent = 'Renamed early';
        get('#row-3998 h3').textContent = 'Renamed late';
        get('#row-3997').remove();
        get('#row-2').after(get('#row-3996'));
        // From one row not yet written to another: written once, where it went.
        get('#row-3991').append(get('#row-3990 h3'));
        get('#stage').prepend(Object.assign(document.createElement('p'), { id: 'new' }));
        done({ snapshotUnfinished });
      };
      channel.port2.postMessage(undefined);
    });
    expect(ran.snapshotUnfinished).toBe(true);
    await expectSameStage(wire, replay);
  });

  it('masks and blocks what is there and what is added later; changes inside a blocked element and hidden fields never leave', async () => {
    stage(`<div class="payment" id="pay"><p>Card</p></div><div id="later"></div>
      <textarea autocomplete="one-time-code">${CANARY}-code</textarea>
      <input type="hidden" id="token" value="${CANARY}-token">`);
    const wire = new Wire();
    replay = new Replay();
    recording = startRecording(
      { block: ['.payment'], mask: ['.balance'] },
      0,
      wire.send,
      () => undefined,
    );
    await expect.poll(async () => (await wire.text()).includes('later')).toBe(true);
    get('#pay').append(
      Object.assign(document.createElement('p'), { textContent: `${CANARY}-in-block` }),
    );
    get('#pay').setAttribute('data-note', `${CANARY}-attribute`);
    get('#later').innerHTML = `<p class="balance">${CANARY}-balance</p>
      <div data-help-mask><span>${CANARY}-masked</span></div>
      <input id="pw" type="password" value="${CANARY}-password">
      <form class="payment"><input value="${CANARY}-blocked-field"></form>
      <textarea autocomplete="one-time-code">${CANARY}-later-code</textarea>
      <p>Shown as it is</p>`;
    get<HTMLInputElement>('#token').value = `${CANARY}-new-token`;
    const shown = get('#later p:last-of-type');
    (get('#later .balance').firstChild as Text).data = `${CANARY}-changed-balance`;
    get<HTMLInputElement>('#pw').setAttribute('value', `${CANARY}-password-attribute`);
    shown.textContent = 'Shown, changed';
    await expect.poll(async () => (await wire.text()).includes('Shown, changed')).toBe(true);
    expect(await wire.text()).not.toContain(CANARY);
    await replay.catchUp(wire);
    // Both blocked elements are there, as empty boxes.
    await expect
      .poll(() =>
        [...(replay?.document?.querySelectorAll('.payment') ?? [])].map(
          (box) => box.childNodes.length,
        ),
      )
      .toEqual([0, 0]);
  });
});
