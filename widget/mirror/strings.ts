/**
 * The words of mirror mode, in every language the widget speaks. They load with mirror mode
 * (only when a helper asks), not with the chat: the chat's first download stays small.
 */
import type { Locale } from '../i18n/pick-locale.ts';

const en = {
  ask: (name: string) =>
    `${name} would like to see this page. Only what is on your screen is shared; passwords and card numbers never are.`,
  share: 'Share this page',
  notNow: 'Not now',
  sharing: (name: string) => `${name} can see this page.`,
  pressEscOr: 'Press Esc or',
  stop: 'Stop sharing',
  tooLarge: 'This page is too large to share.',
  theHelper: 'The helper',
};
export type MirrorStrings = typeof en;

export const MIRROR_STRINGS: Record<Locale, MirrorStrings> = {
  en,
  de: {
    ask: (name) =>
      `${name} möchte diese Seite sehen. Geteilt wird nur, was auf Ihrem Bildschirm ist; Passwörter und Kartennummern nie.`,
    share: 'Diese Seite teilen',
    notNow: 'Jetzt nicht',
    sharing: (name) => `${name} sieht diese Seite.`,
    pressEscOr: 'Esc drücken oder',
    stop: 'Teilen beenden',
    tooLarge: 'Diese Seite ist zu groß zum Teilen.',
    theHelper: 'Die Hilfe',
  },
  fr: {
    ask: (name) =>
      `${name} aimerait voir cette page. Seul ce qui est à l’écran est partagé ; jamais les mots de passe ni les numéros de carte.`,
    share: 'Partager cette page',
    notNow: 'Pas maintenant',
    sharing: (name) => `${name} voit cette page.`,
    pressEscOr: 'Appuyez sur Échap ou',
    stop: 'Arrêter le partage',
    tooLarge: 'Cette page est trop grande pour être partagée.',
    theHelper: 'L’assistant',
  },
  es: {
    ask: (name) =>
      `${name} quiere ver esta página. Solo se comparte lo que está en su pantalla; nunca las contraseñas ni los números de tarjeta.`,
    share: 'Compartir esta página',
    notNow: 'Ahora no',
    sharing: (name) => `${name} puede ver esta página.`,
    pressEscOr: 'Pulse Esc o',
    stop: 'Dejar de compartir',
    tooLarge: 'Esta página es demasiado grande para compartirla.',
    theHelper: 'La persona que le ayuda',
  },
  ar: {
    ask: (name) =>
      `يود ${name} رؤية هذه الصفحة. تتم مشاركة ما يظهر على شاشتك فقط؛ ولا تتم مشاركة كلمات المرور وأرقام البطاقات أبدًا.`,
    share: 'مشاركة هذه الصفحة',
    notNow: 'ليس الآن',
    sharing: (name) => `يمكن لـ ${name} رؤية هذه الصفحة.`,
    pressEscOr: 'اضغط Esc أو',
    stop: 'إيقاف المشاركة',
    tooLarge: 'هذه الصفحة أكبر من أن تُشارك.',
    theHelper: 'المساعد',
  },
};
