import { afterEach, describe, expect, it } from 'vitest';
import {
  applyField,
  asControl,
  type Control,
  isChanged,
  isMasked,
  PRIVATE_NOTE,
  readField,
  resetField,
} from '../../../widget/cobrowse/fields.ts';
import { mount } from './fixture.ts';

/** What the helper sees in a masked field, in words (not the constant, which could be ''). */
const SHOWN = '•••• (hidden)';

afterEach(() => {
  document.body.replaceChildren();
});

/** The one form control in `markup`, as the leader and follower see it. */
function control(markup: string): Control {
  const element = mount(markup).querySelector('input, textarea, select');
  const found = asControl(element);
  if (!found) throw new Error(`not a control: ${markup}`);
  return found;
}

describe('what a visitor typed is sent, and what is private is not', () => {
  it.each([
    ['a password', '<input type="password" value="hunter2">'],
    ['a card number field', '<input autocomplete="cc-number" value="4111 1111 1111 1111">'],
    ['a card security code', '<input autocomplete="cc-csc" value="123">'],
    ['a card expiry', '<input autocomplete="cc-exp" value="12/29">'],
    ['a name on card', '<input autocomplete="cc-name" value="Ada Lovelace">'],
    ['a one-time code', '<input autocomplete="one-time-code" value="482913">'],
    ['a billing card number', '<input autocomplete="billing cc-number" value="4111">'],
    ['a sectioned card code', '<input autocomplete="section-pay  shipping cc-csc" value="999">'],
    ['a card field spelled in capitals', '<input autocomplete="CC-Number" value="4111">'],
    ['a field marked by the site', '<input data-help-mask value="secret">'],
    ['a field in a marked region', '<div data-help-mask><input value="secret"></div>'],
    [
      'a field deep in a marked region',
      '<section data-help-mask="yes"><div><label>Note <textarea>secret</textarea></label></div></section>',
    ],
    [
      'a choice in a marked region',
      '<form data-help-mask><select><option>Visa</option><option selected>Amex</option></select></form>',
    ],
    ['a tick box in a marked region', '<p data-help-mask><input type="checkbox" checked></p>'],
  ])('%s sends only that it is masked', (_name, markup) => {
    const field = control(markup);
    expect(isMasked(field)).toBe(true);
    // Exactly this and nothing else: no value, no length, no checked state.
    expect(readField(field)).toStrictEqual({ masked: true });
  });

  it.each([
    ['a plain text field', '<input value="Ada">'],
    ['an e-mail field', '<input type="email" autocomplete="email" value="ada@example.org">'],
    [
      'a field whose autocomplete only mentions cards',
      '<input autocomplete="acc-number" value="7">',
    ],
    ['a field with autocomplete off', '<input autocomplete="off" value="7">'],
    ['a field next to a marked region', '<div data-help-mask></div><input value="open">'],
  ])('%s is sent as it is', (_name, markup) => {
    const field = control(markup);
    expect(isMasked(field)).toBe(false);
    expect(readField(field)).toStrictEqual({ value: field.value });
  });

  it.each(['current-password', 'new-password', 'section-login current-password'])(
    'a password the visitor chose to show (autocomplete "%s") stays masked',
    (autocomplete) => {
      // "Show password" buttons turn the field into a text field; it is still a password.
      const field = control(`<input type="password" autocomplete="${autocomplete}" value="pw">`);
      (field as HTMLInputElement).type = 'text';
      expect(readField(field)).toStrictEqual({ masked: true });
    },
  );

  it('a long text is cut at 10,000 characters, from its start', () => {
    const field = control('<textarea></textarea>');
    field.value = `${'a'.repeat(9_999)}bc${'z'.repeat(3_000)}`;
    const sent = readField(field);
    expect(sent).toStrictEqual({ value: `${'a'.repeat(9_999)}b` });
    field.value = 'x'.repeat(10_000);
    expect(readField(field)).toStrictEqual({ value: 'x'.repeat(10_000) });
  });

  it('a choice is sent as its position, a tick box and a radio button as ticked or not', () => {
    const form =
      mount(`<select><option>Tea</option><option>Coffee</option><option>Water</option></select>
      <input type="checkbox" checked><input type="radio" name="size" value="s">`);
    const select = form.querySelector('select')!;
    select.selectedIndex = 2;
    expect(readField(select)).toStrictEqual({ selectedIndex: 2 });
    expect(readField(form.querySelector<HTMLInputElement>('[type=checkbox]')!)).toStrictEqual({
      checked: true,
    });
    expect(readField(form.querySelector<HTMLInputElement>('[type=radio]')!)).toStrictEqual({
      checked: false,
    });
  });

  it('a textarea is sent by its text', () => {
    const field = control('<textarea>line one\nline two</textarea>');
    expect(readField(field)).toStrictEqual({ value: 'line one\nline two' });
  });
});

describe('which elements are fields', () => {
  it.each(['hidden', 'file', 'button', 'submit', 'reset', 'image'])(
    'an input of type %s is not a value anyone sees or types, so it is never sent',
    (type) => {
      const input = mount(`<input type="${type}" value="x">`).querySelector('input');
      expect(asControl(input)).toBeUndefined();
    },
  );

  it.each(['text', 'search', 'email', 'number', 'date', 'range', 'color', 'checkbox', 'radio'])(
    'an input of type %s is a field',
    (type) => {
      const input = mount(`<input type="${type}">`).querySelector('input');
      expect(asControl(input)).toBe(input);
    },
  );

  it('a textarea and a select are fields; a button, a div, text and nothing are not', () => {
    const host = mount('<textarea></textarea><select></select><button>Go</button><div>x</div>');
    expect(asControl(host.querySelector('textarea'))).toBe(host.querySelector('textarea'));
    expect(asControl(host.querySelector('select'))).toBe(host.querySelector('select'));
    expect(asControl(host.querySelector('button'))).toBeUndefined();
    expect(asControl(host.querySelector('div'))).toBeUndefined();
    expect(asControl(host.querySelector('div')?.firstChild ?? null)).toBeUndefined();
    expect(asControl(null)).toBeUndefined();
  });
});

describe('what the visitor has changed since the page loaded', () => {
  it('a text field or textarea counts once its text differs from the page', () => {
    const host = mount('<input value="as loaded"><textarea>as loaded</textarea>');
    for (const field of host.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
      'input, textarea',
    )) {
      expect(isChanged(field)).toBe(false);
      field.value = 'typed';
      expect(isChanged(field)).toBe(true);
      field.value = 'as loaded';
      expect(isChanged(field)).toBe(false);
    }
  });

  it('a choice counts once another option than the loaded one is chosen', () => {
    const select = control(
      '<select><option>Tea</option><option selected>Coffee</option><option>Water</option></select>',
    ) as HTMLSelectElement;
    expect(isChanged(select)).toBe(false);
    select.selectedIndex = 0;
    expect(isChanged(select)).toBe(true);
    select.selectedIndex = 1;
    expect(isChanged(select)).toBe(false);
  });

  it('a multiple choice counts when any option differs', () => {
    const select = control(
      '<select multiple><option selected>Tea</option><option>Coffee</option></select>',
    ) as HTMLSelectElement;
    expect(isChanged(select)).toBe(false);
    select.options[1]!.selected = true;
    expect(isChanged(select)).toBe(true);
  });

  it('a tick box or radio button counts once it is ticked differently from the page', () => {
    const host = mount('<input type="checkbox" checked><input type="radio" name="r">');
    const box = host.querySelector<HTMLInputElement>('[type=checkbox]')!;
    const radio = host.querySelector<HTMLInputElement>('[type=radio]')!;
    expect(isChanged(box)).toBe(false);
    expect(isChanged(radio)).toBe(false);
    box.checked = false;
    radio.checked = true;
    expect(isChanged(box)).toBe(true);
    expect(isChanged(radio)).toBe(true);
  });

  it('a tick box whose value text changed but not its tick has not changed', () => {
    const box = control('<input type="checkbox" value="yes">') as HTMLInputElement;
    box.value = 'no';
    expect(isChanged(box)).toBe(false);
  });
});

describe("the helper's copy shows the visitor's values", () => {
  it('a masked password shows the mask in plain text, never dots of its own length', () => {
    const field = control('<input type="password">') as HTMLInputElement;
    applyField(field, { masked: true });
    expect(field.type).toBe('text');
    expect(field.value).toBe(SHOWN);
  });

  it('a masked password shown as text stays private: read-only, saying why, sending nothing', () => {
    const field = control('<input type="password">') as HTMLInputElement;
    applyField(field, { masked: true });
    expect(field.type).toBe('text');
    expect(field.readOnly).toBe(true);
    expect(field.title).toBe(PRIVATE_NOTE);
    expect(field.title).toMatch(/^This field is private: .*nothing can be typed into it\.$/);
    expect(isMasked(field)).toBe(true);
    field.value = 'typed by the helper';
    expect(readField(field)).toStrictEqual({ masked: true });
  });

  it('masked text fields and textareas show the mask', () => {
    const host = mount('<input autocomplete="cc-number"><textarea data-help-mask></textarea>');
    for (const field of host.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
      'input, textarea',
    )) {
      applyField(field, { masked: true });
      expect(field.value).toBe(SHOWN);
    }
    expect(host.querySelector('input')?.type).toBe('text');
  });

  it('a masked choice or tick box keeps what the copy loaded with', () => {
    const host = mount(`<select><option>Visa</option><option selected>Amex</option></select>
      <input type="checkbox" value="agree"><input type="radio" value="r" checked>`);
    const select = host.querySelector('select')!;
    const box = host.querySelector<HTMLInputElement>('[type=checkbox]')!;
    const radio = host.querySelector<HTMLInputElement>('[type=radio]')!;
    for (const field of [select, box, radio]) applyField(field, { masked: true });
    expect(select.selectedIndex).toBe(1);
    expect(box.checked).toBe(false);
    expect(box.value).toBe('agree');
    expect(box.type).toBe('checkbox');
    expect(radio.checked).toBe(true);
    expect(radio.value).toBe('r');
    // Not a box a helper can change: disabled, where a text field is read-only instead.
    for (const field of [select, box, radio]) {
      expect(field.disabled).toBe(true);
      expect(field.title).toBe(PRIVATE_NOTE);
    }
  });

  it('after the visitor reloads, every field of the copy goes back to how the page loaded it', () => {
    const host = mount(`<input value="loaded"><textarea>first</textarea>
      <select><option>Visa</option><option selected>Amex</option></select>
      <input type="checkbox" checked><input type="radio">`);
    const [text, area, select, box, radio] = [
      ...host.querySelectorAll<HTMLInputElement>('input, textarea, select'),
    ];
    if (!text || !area || !select || !box || !radio) throw new Error('fixture');
    text.value = 'typed';
    area.value = 'typed too';
    (select as unknown as HTMLSelectElement).selectedIndex = 0;
    box.checked = false;
    radio.checked = true;
    for (const field of [text, area, select, box, radio]) {
      const found = asControl(field);
      if (found) resetField(found);
    }
    expect([text.value, area.value]).toEqual(['loaded', 'first']);
    expect((select as unknown as HTMLSelectElement).selectedIndex).toBe(1);
    expect([box.checked, radio.checked]).toEqual([true, false]);
  });

  it('text, choices and ticks arrive in the matching kind of field', () => {
    const host = mount(`<input><textarea></textarea>
      <select><option>a</option><option>b</option></select><input type="checkbox">`);
    const [input, textarea, select, box] = [
      host.querySelector('input')!,
      host.querySelector('textarea')!,
      host.querySelector('select')!,
      host.querySelector<HTMLInputElement>('[type=checkbox]')!,
    ];
    applyField(input, { value: 'Ada' });
    applyField(textarea, { value: 'two\nlines' });
    applyField(select, { selectedIndex: 1 });
    applyField(box, { checked: true });
    expect([input.value, textarea.value, select.value, box.checked]).toEqual([
      'Ada',
      'two\nlines',
      'b',
      true,
    ]);
    applyField(box, { checked: false });
    expect(box.checked).toBe(false);
  });

  it('a value of the wrong kind for a field changes nothing', () => {
    const host =
      mount(`<input value="kept"><select><option>a</option><option selected>b</option></select>
      <input type="checkbox" value="on-value" checked>`);
    const input = host.querySelector('input')!;
    const select = host.querySelector('select')!;
    const box = host.querySelector<HTMLInputElement>('[type=checkbox]')!;
    applyField(input, { checked: false });
    applyField(input, { selectedIndex: 0 });
    applyField(select, { value: 'a' });
    applyField(select, { checked: true });
    applyField(box, { value: 'typed' });
    applyField(box, { selectedIndex: 0 });
    expect(input.value).toBe('kept');
    expect(select.selectedIndex).toBe(1);
    expect(box.value).toBe('on-value');
    expect(box.checked).toBe(true);
  });
});
