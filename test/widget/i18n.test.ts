import { afterEach, describe, expect, it } from 'vitest';
import { ar } from '../../widget/i18n/ar.ts';
import { de } from '../../widget/i18n/de.ts';
import { type Catalogue, en } from '../../widget/i18n/en.ts';
import { es } from '../../widget/i18n/es.ts';
import { fr } from '../../widget/i18n/fr.ts';
import { LOADER_STRINGS } from '../../widget/i18n/loader-strings.ts';
import { LOCALES, type Locale, pickLocale } from '../../widget/i18n/pick-locale.ts';

const CATALOGUES: Record<Locale, Catalogue> = { en, de, fr, es, ar };
const SAME_WORD: Partial<Record<Locale, string[]>> = { fr: ['messages', 'messageLabel'] };

/** Every string of a catalogue, functions called with sample values, by dotted key. */
function words(catalogue: Catalogue): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string') out.set(key, value);
    else if (typeof value === 'function') {
      for (const sample of [0, 1, 2, 3, 11, 101])
        out.set(`${key}(${sample})`, String(value(sample)));
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, `${key}[${i}]`);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, key ? `${key}.${k}` : k);
    }
  };
  walk(catalogue, '');
  return out;
}

describe('the widget’s languages', () => {
  it.each(LOCALES)(
    '%s says everything English says, and nothing is left blank or in English',
    (locale) => {
      const mine = words(CATALOGUES[locale]);
      const english = words(en);
      expect([...mine.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, text] of mine) {
        expect(text.trim(), key).not.toBe('');
        // Names and numbers go in; "undefined" or "[object" would be a broken template.
        expect(text, key).not.toMatch(/undefined|\[object/);
      }
      if (locale !== 'en') {
        const same = [...mine].filter(([key, text]) => key !== 'dir' && text === english.get(key));
        // Words the languages share ("Messages" is French too); anything else is untranslated.
        expect(same.map(([key]) => key)).toEqual(SAME_WORD[locale] ?? []);
      }
    },
  );

  it.each(LOCALES)(
    '%s: the loader says what the catalogue says, and counts in its own words',
    (locale) => {
      const loader = LOADER_STRINGS[locale];
      expect(loader.connecting).toBe(CATALOGUES[locale].connecting);
      // The unread count is the loader's alone (the chat never words it): checked here instead.
      for (const n of [0, 1, 2, 3, 5, 11, 21, 100, 101, 102]) {
        const text = loader.unread(n);
        expect(text.trim(), `${locale} ${n}`).not.toBe('');
        expect(text, `${locale} ${n}`).not.toMatch(/undefined|\[object/);
        if (locale !== 'en') expect(text, `${locale} ${n}`).not.toBe(LOADER_STRINGS.en.unread(n));
        // Arabic words zero, one and two without a numeral; from three on, every language shows it.
        if (n >= 3) expect(text, `${locale} ${n}`).toContain(String(n));
      }
    },
  );

  it('writes Arabic right to left and the others left to right', () => {
    expect(LOCALES.filter((l) => CATALOGUES[l].dir === 'rtl')).toEqual(['ar']);
  });
});

describe('which language a visitor gets', () => {
  const element = document.createElement('help-widget-probe');
  afterEach(() => {
    element.removeAttribute('lang');
    document.documentElement.lang = 'en';
  });

  it('takes the lang attribute, then the page’s <html lang>, then the browser, by primary subtag', () => {
    element.setAttribute('lang', 'de-AT');
    expect(pickLocale(element)).toBe('de');
    element.setAttribute('lang', 'AR');
    expect(pickLocale(element)).toBe('ar');
    // A language we do not have falls through to the next source.
    element.setAttribute('lang', 'ja');
    document.documentElement.lang = 'es-MX';
    expect(pickLocale(element)).toBe('es');
    element.removeAttribute('lang');
    document.documentElement.lang = '';
    const browser = navigator.languages.map((l) => l.split('-')[0]);
    expect(pickLocale(element)).toBe(LOCALES.find((l) => browser.includes(l)) ?? 'en');
  });
});
