/**
 * The mirror recorder in a real page: rrweb records, our masking runs in this browser, and
 * what `send` gets is exactly what would leave it (gzip pieces), read back here.
 */
import { record } from '@rrweb/record';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { MIRROR_LIMITS } from '../../../protocol/limits.ts';
import { maskingOptions } from '../../../widget/mirror/masking.ts';
import { type Recording, startRecording } from '../../../widget/mirror/recorder.ts';
import { get, mount } from '../cobrowse/fixture.ts';
import { Wire } from './wire.ts';

const CANARY = 'CANARY-7f3a';
const MASKED = '•••• (hidden)';

const settle = () => new Promise((done) => setTimeout(done, 250));

/** What typing leaves behind, as rrweb's input observer hears it: the value, then `input`. */
function typeInto(selector: string, value: string): void {
  const field = get<HTMLInputElement | HTMLTextAreaElement>(selector);
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('the mirror recorder', () => {
  let recording: Recording | undefined;
  afterEach(() => {
    recording?.stop();
    recording = undefined;
    document.body.replaceChildren();
  });

  it('sends a snapshot first, then changes as they happen, each batch numbered on from where the share was', async () => {
    mount('<h1>Orders</h1><label>Name <input id="name"></label>');
    const wire = new Wire();
    recording = startRecording({ block: [], mask: [] }, 7, wire.send, () => undefined);
    await expect.poll(() => wire.parts.length).toBeGreaterThan(0);
    typeInto('#name', 'Sunny');
    await expect.poll(async () => (await wire.text()).includes('Sunny')).toBe(true);
    const batches = await wire.batches();
    expect(batches[0]).toMatchObject({ batch: 7, full: true });
    // rrweb's Meta, then its full snapshot, with the page's text in it.
    expect(batches[0]?.events.map((e) => e.type).slice(0, 2)).toEqual([4, 2]);
    expect(JSON.stringify(batches[0]?.events)).toContain('Orders');
    expect(batches.slice(1).every((b) => !b.full)).toBe(true);
    expect(batches.map((b) => b.batch)).toEqual(batches.map((_, i) => 7 + i));
  });

  it('masks passwords, card fields, one-time codes and [data-help-mask] before anything leaves', async () => {
    mount(`<input id="pw" type="password" value="${CANARY}-initial">
      <input id="card" autocomplete="cc-number">
      <input id="code" autocomplete="one-time-code">
      <div data-help-mask><input id="inside"><p>${CANARY}-text</p></div>
      <textarea id="free"></textarea>`);
    const wire = new Wire();
    recording = startRecording({ block: [], mask: [] }, 0, wire.send, () => undefined);
    for (const id of ['pw', 'card', 'code', 'inside']) typeInto(`#${id}`, `${CANARY}-${id}`);
    typeInto('#free', 'nothing secret');
    await expect.poll(async () => (await wire.text()).includes('nothing secret')).toBe(true);
    const text = await wire.text();
    expect(text).not.toContain(CANARY);
    expect(text).toContain(MASKED);
  });

  it('masks what the visitor types or picks later in a private text area or list, by our mark or by the site’s rule', async () => {
    mount(`<div data-help-mask>
        <textarea id="note"></textarea>
        <select id="choice"><option>Plain</option><option>${CANARY}-option</option></select>
      </div>
      <div class="account">
        <input id="iban"><textarea id="memo"></textarea>
        <select id="bank"><option>Plain</option><option>${CANARY}-bank</option></select>
      </div>
      <input id="shown">`);
    const wire = new Wire();
    recording = startRecording({ block: [], mask: ['.account'] }, 0, wire.send, () => undefined);
    await expect.poll(() => wire.parts.length).toBeGreaterThan(0);
    for (const id of ['note', 'iban', 'memo']) typeInto(`#${id}`, `${CANARY}-${id}`);
    for (const id of ['choice', 'bank']) {
      const list = get<HTMLSelectElement>(`#${id}`);
      list.selectedIndex = 1;
      list.dispatchEvent(new Event('change', { bubbles: true }));
    }
    // The marker: a plain field typed last reaches the wire, so everything before it did too.
    typeInto('#shown', 'plain answer');
    await expect.poll(async () => (await wire.text()).includes('plain answer')).toBe(true);
    const text = await wire.text();
    expect(text).not.toContain(CANARY);
    // Each private field's change went out, as the mask: the helper sees that it changed.
    const masks = await wire.batches().then((batches) =>
      batches
        .slice(1)
        .flatMap((b) => b.events)
        .filter((e) => JSON.stringify(e).includes(MASKED)),
    );
    expect(masks.length).toBeGreaterThanOrEqual(5);
  });

  it('never sends the name of a file the visitor picks', async () => {
    mount('<label>Your tax return <input id="upload" type="file"></label><input id="shown">');
    const wire = new Wire();
    recording = startRecording({ block: [], mask: [] }, 0, wire.send, () => undefined);
    await expect.poll(() => wire.parts.length).toBeGreaterThan(0);
    const upload = get<HTMLInputElement>('#upload');
    const picked = new DataTransfer();
    picked.items.add(new File(['private'], `${CANARY}-tax-return.pdf`));
    upload.files = picked.files;
    upload.dispatchEvent(new Event('input', { bubbles: true }));
    upload.dispatchEvent(new Event('change', { bubbles: true }));
    expect(upload.value).toContain(CANARY);
    typeInto('#shown', 'plain answer');
    await expect.poll(async () => (await wire.text()).includes('plain answer')).toBe(true);
    expect(await wire.text()).not.toContain(CANARY);
  });

  it('tells the site’s developer about a rule selector it skips, and keeps the others', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    onTestFinished(() => warn.mockRestore());
    const masking = maskingOptions({ block: [], mask: ['.balance', 'not a [valid selector'] });
    expect(masking.maskTextSelector).toBe('[data-help-mask],.balance');
    expect(warn).toHaveBeenCalledWith(
      'help-widget: the rule selector "not a [valid selector" is not valid CSS; skipped',
    );
  });

  it('applies the site’s rules: blocked elements go as their size alone, masked text as dots', async () => {
    mount(`<form class="payment" style="width: 200px; height: 80px">
        <input id="secret" value="${CANARY}-blocked"><p>${CANARY}-blocked-text</p></form>
      <p class="balance">Balance ${CANARY}</p>
      <p>Shown as it is</p>`);
    const wire = new Wire();
    recording = startRecording(
      { block: ['.payment'], mask: ['.balance', 'not a [valid selector'] },
      0,
      wire.send,
      () => undefined,
    );
    await expect.poll(async () => (await wire.text()).includes('Shown as it is')).toBe(true);
    const text = await wire.text();
    expect(text).not.toContain(CANARY);
    expect(text).toContain('"rr_width":"200px"');
    expect(text).toContain('•••••••');
  });

  it('the widget itself is never recorded, only its place', async () => {
    const widget = document.createElement('help-widget');
    widget.attachShadow({ mode: 'open' }).innerHTML = `<p>${CANARY} chat message</p>`;
    document.body.append(widget);
    mount('<p>The page</p>');
    const wire = new Wire();
    recording = startRecording({ block: [], mask: [] }, 0, wire.send, () => undefined);
    await expect.poll(async () => (await wire.text()).includes('The page')).toBe(true);
    expect(await wire.text()).not.toContain(CANARY);
  });

  it('cuts a big snapshot into pieces the socket takes', async () => {
    // Text that compresses badly: random words.
    const words = Array.from({ length: 6000 }, () => Math.random().toString(36).slice(2));
    mount(`<p>${words.join(' ')}</p>`.repeat(8));
    const wire = new Wire();
    recording = startRecording({ block: [], mask: [] }, 0, wire.send, () => undefined);
    await expect.poll(() => wire.parts.length, { timeout: 10_000 }).toBeGreaterThan(1);
    await settle();
    const first = wire.parts.filter((p) => p.batch === 0);
    expect(first.length).toBe(first[0]?.parts);
    expect(first.every((p) => p.data.byteLength <= MIRROR_LIMITS.partBytes)).toBe(true);
    expect(JSON.stringify((await wire.batches())[0]?.events)).toContain(words[4321]);
  });

  it('sends a fresh snapshot when asked, and after a lost piece waits for one rather than send what would not fit', async () => {
    mount('<input id="name">');
    const wire = new Wire();
    recording = startRecording({ block: [], mask: [] }, 0, wire.send, () => undefined);
    await expect.poll(() => wire.parts.length).toBe(1);
    recording.snapshot();
    await expect.poll(async () => (await wire.batches()).filter((b) => b.full).length).toBe(2);

    wire.answer = undefined;
    typeInto('#name', 'lost');
    await expect.poll(async () => (await wire.text()).includes('lost')).toBe(true);
    wire.answer = { snapshot: false };
    const sent = wire.parts.length;
    typeInto('#name', 'after the loss');
    await settle();
    // Not sent on its own: it would not fit the replay that missed a piece.
    expect(wire.parts.length).toBe(sent);
    // The next snapshot carries it, and changes flow again.
    recording.snapshot();
    await expect.poll(async () => (await wire.text()).includes('after the loss')).toBe(true);
    expect(wire.parts.at(-1)?.full).toBe(true);
  });

  it('the server asking for a snapshot in its answer gets one', async () => {
    mount('<input id="name">');
    const wire = new Wire();
    wire.answer = { snapshot: true };
    recording = startRecording({ block: [], mask: [] }, 0, wire.send, () => undefined);
    await expect.poll(() => wire.parts.filter((p) => p.full).length).toBeGreaterThan(1);
    wire.answer = { snapshot: false };
  });

  it('sends nothing once stopped', async () => {
    mount('<input id="name">');
    const wire = new Wire();
    recording = startRecording({ block: [], mask: [] }, 0, wire.send, () => undefined);
    await expect.poll(() => wire.parts.length).toBe(1);
    recording.stop();
    typeInto('#name', 'after stop');
    recording.snapshot();
    await settle();
    expect(wire.parts.length).toBe(1);
  });
});

describe('what the helper does on the replay, done on the visitor’s page', () => {
  let recording: Recording | undefined;
  afterEach(() => {
    recording?.stop();
    recording = undefined;
    document.body.replaceChildren();
  });

  async function recorded(markup: string) {
    mount(markup);
    const wire = new Wire();
    recording = startRecording(
      { block: ['.blocked'], mask: ['.private'] },
      0,
      wire.send,
      () => undefined,
    );
    await expect.poll(() => wire.parts.length).toBeGreaterThan(0);
    return { recording, id: (selector: string) => record.mirror.getId(get(selector)) };
  }

  it('types into plain fields, with the events a person’s typing fires; never into a masked one', async () => {
    const { recording, id } = await recorded(`<input id="name">
      <input id="pw" type="password"><input id="card" autocomplete="cc-number">
      <div data-help-mask><input id="marked"></div><div class="private"><input id="ruled"></div>
      <input id="box" type="checkbox">`);
    const seen: string[] = [];
    document.addEventListener('input', (e) => seen.push(`input:${(e.target as Element).id}`));
    document.addEventListener('change', (e) => seen.push(`change:${(e.target as Element).id}`));
    expect(recording.apply({ kind: 'input', nodeId: id('#name'), value: 'Robin' })).toBe(true);
    expect(get<HTMLInputElement>('#name').value).toBe('Robin');
    expect(seen).toEqual(['input:name', 'change:name']);
    for (const field of ['#pw', '#card', '#marked', '#ruled', '#box']) {
      expect(recording.apply({ kind: 'input', nodeId: id(field), value: 'forged' })).toBe(false);
      expect(get<HTMLInputElement>(field).value).not.toBe('forged');
    }
    expect(recording.apply({ kind: 'input', nodeId: 987_654, value: 'nowhere' })).toBe(false);
  });

  it('clicks within the site, never a link to another site, never what the rules block or the widget', async () => {
    const { recording, id } = await recorded(`<button id="go">Go</button>
      <a id="away" href="https://elsewhere.example/">Elsewhere</a>
      <div class="blocked"><button id="hidden">Hidden</button></div>`);
    const clicks: string[] = [];
    document.addEventListener('click', (e) => {
      clicks.push((e.target as Element).id);
      e.preventDefault();
    });
    expect(recording.apply({ kind: 'click', nodeId: id('#go') })).toBe(true);
    expect(recording.apply({ kind: 'click', nodeId: id('#away') })).toBe(false);
    expect(recording.apply({ kind: 'click', nodeId: id('.blocked') })).toBe(false);
    expect(clicks).toEqual(['go']);
  });

  it('points: the element pulses; a blocked one does not', async () => {
    const { recording, id } = await recorded('<h2 id="title">Orders</h2><p class="blocked">No</p>');
    expect(recording.point(id('#title'))).toBe(true);
    expect(get('#title').getAnimations().length).toBeGreaterThan(0);
    expect(recording.point(id('.blocked'))).toBe(false);
    recording.stop();
    expect(recording.point(id('#title'))).toBe(false);
  });
});

describe('the mirror’s masking rules', () => {
  afterEach(() => document.body.replaceChildren());

  it('hides masked controls’ values, all alike, and keeps the rest', () => {
    mount(`<input id="plain"><input id="pw" type="password">
      <input id="shown-pw" autocomplete="current-password">
      <section class="private"><input id="in-rule"></section>`);
    const { maskInputFn, blockSelector, maskTextSelector } = maskingOptions({
      block: ['#ads', 'oops[['],
      mask: ['.private'],
    });
    expect(maskInputFn('hello', get('#plain'))).toBe('hello');
    expect(maskInputFn('a', get('#pw'))).toBe(MASKED);
    expect(maskInputFn('a much longer secret', get('#pw'))).toBe(MASKED);
    expect(maskInputFn('shown', get('#shown-pw'))).toBe(MASKED);
    expect(maskInputFn('rule', get('#in-rule'))).toBe(MASKED);
    expect(blockSelector).toBe('help-widget,[data-help-block],#ads');
    expect(maskTextSelector).toBe('[data-help-mask],.private');
  });
});
