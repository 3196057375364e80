/**
 * Which of our languages a visitor gets: the widget's `lang` attribute, else the page's
 * `<html lang>`, else the browser's languages, else English. Only the primary subtag counts
 * ("de-AT" reads German). Kept tiny: the loader uses it on every page view.
 */
export const LOCALES = ['en', 'de', 'fr', 'es', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

export function pickLocale(element: Element): Locale {
  const wanted = [
    element.getAttribute('lang'),
    document.documentElement.lang,
    ...navigator.languages,
  ];
  for (const tag of wanted) {
    const primary = tag?.split('-')[0]?.toLowerCase();
    const found = LOCALES.find((locale) => locale === primary);
    if (found) return found;
    // An explicit choice we do not have falls through to the next source.
  }
  return 'en';
}
