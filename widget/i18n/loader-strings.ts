/**
 * The few words the loader needs before the chat code arrives, in every language. It ships on
 * every page view, so it stays tiny; `connecting` must say what each catalogue's says. The
 * unread count is worded only here: the chat never shows it.
 */
import type { Locale } from './pick-locale.ts';

export interface LoaderStrings {
  help: string;
  connecting: string;
  unread: (count: number) => string;
}

/** Whether `count` takes the singular in `locale`. The rules are made on use, not at load. */
const isOne = (locale: Locale, count: number) =>
  new Intl.PluralRules(locale).select(count) === 'one';

export const LOADER_STRINGS: Record<Locale, LoaderStrings> = {
  en: {
    help: 'Help',
    connecting: 'Connecting…',
    unread: (n) =>
      isOne('en', n) ? `${n} new message from your helper` : `${n} new messages from your helper`,
  },
  de: {
    help: 'Hilfe',
    connecting: 'Verbindung wird hergestellt…',
    unread: (n) =>
      isOne('de', n)
        ? `${n} neue Nachricht von Ihrer Ansprechperson`
        : `${n} neue Nachrichten von Ihrer Ansprechperson`,
  },
  fr: {
    help: 'Aide',
    connecting: 'Connexion…',
    unread: (n) =>
      isOne('fr', n)
        ? `${n} nouveau message de votre conseiller`
        : `${n} nouveaux messages de votre conseiller`,
  },
  es: {
    help: 'Ayuda',
    connecting: 'Conectando…',
    unread: (n) =>
      isOne('es', n)
        ? `${n} mensaje nuevo de la persona que te atiende`
        : `${n} mensajes nuevos de la persona que te atiende`,
  },
  ar: {
    help: 'مساعدة',
    connecting: 'جارٍ الاتصال…',
    // Arabic has six forms: see ar.ts.
    unread: (n) => {
      switch (new Intl.PluralRules('ar').select(n)) {
        case 'zero':
          return 'لا توجد رسائل جديدة من موظف الدعم';
        case 'one':
          return 'رسالة جديدة من موظف الدعم';
        case 'two':
          return 'رسالتان جديدتان من موظف الدعم';
        case 'few':
          return `${n} رسائل جديدة من موظف الدعم`;
        default: // many (11–99) and other (100 and up) take the singular noun.
          return `${n} رسالة جديدة من موظف الدعم`;
      }
    },
  },
};
