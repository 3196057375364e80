/** The widget's words in German, addressing the visitor as "Sie". */
import type { Catalogue } from './en.ts';

const plural = new Intl.PluralRules('de');

export const de: Catalogue = {
  dir: 'ltr',
  close: 'Schließen',
  connecting: 'Verbindung wird hergestellt…',
  greeting:
    'Hallo! Wie können wir helfen? Schreiben Sie uns Ihre Frage – ein Mensch antwortet Ihnen hier.',
  usualWait: (minutes: number) =>
    minutes <= 1
      ? 'Meist antwortet Ihnen innerhalb einer Minute ein Mensch.'
      : `Meist antwortet Ihnen innerhalb von ${minutes} Minuten ein Mensch.`,
  offlineStatus: 'Sie sind offline. Nachrichten werden gesendet, sobald Sie wieder online sind.',
  ended: 'Dieser Chat ist beendet.',
  endedByYou: 'Sie haben diesen Chat beendet.',
  endedByHelper: (name: string) => `${name} hat diesen Chat beendet.`,
  endedBySystem: 'Dieser Chat wurde geschlossen, weil niemand mehr da war.',
  helperHere: (name: string) => `${name} ist für Sie da.`,
  nobodyOnline: 'Gerade ist niemand online.',
  queueNext: 'Sie sind als Nächstes an der Reihe.',
  queuePosition: (position: number) => `Sie sind Nummer ${position} in der Warteschlange.`,
  waitingForHelper: 'Gleich ist jemand für Sie da.',
  connected: 'Verbunden.',
  helpCode: 'Ihr Hilfecode:',
  preferPhone: ['Lieber telefonieren? Rufen Sie ', ' an und nennen Sie Ihren Code.'],
  following: (name: string) => `${name} sieht Ihre Seite mit.`,
  viewing: (name: string) => `${name} sieht sich diese Seite an.`,
  stopSharing: 'Teilen beenden',
  controlAsk: (name: string) => `Darf ${name} scrollen, navigieren und Felder ausfüllen?`,
  allow: 'Erlauben',
  deny: 'Ablehnen',
  inControl: (name: string) => `${name} steuert gerade diese Seite.`,
  pressEscOr: 'Drücken Sie Esc oder',
  takeBackControl: 'Steuerung zurückholen',
  tryAgain: 'Erneut versuchen',
  startNewChat: 'Neuen Chat starten',
  messages: 'Nachrichten',
  theHelper: 'Ihre Ansprechperson',
  typing: (name: string) => `${name} schreibt…`,
  endChat: 'Chat beenden',
  endChatConfirm: 'Diesen Chat beenden? Ihre Ansprechperson wird benachrichtigt.',
  endChatYes: 'Ja, Chat beenden',
  endChatNo: 'Weiter chatten',
  // Leaving a message when no one is online.
  leaveMessageIntro:
    'Gerade ist niemand online. Hinterlassen Sie eine Nachricht – wir antworten Ihnen hier, sobald jemand da ist.',
  leaveMessage: 'Nachricht hinterlassen',
  yourMessage: 'Ihre Nachricht',
  emailOptional: 'E-Mail (optional), damit wir Ihnen antworten können',
  messageLeft: 'Danke! Ihre Nachricht ist bei uns. Die Antwort erscheint hier.',
  messageLeftEmail: (email: string) =>
    `Danke! Ihre Nachricht ist bei uns. Die Antwort erscheint hier, oder wir schreiben Ihnen an ${email}.`,
  // Rating and transcript.
  rateQuestion: 'Wie war dieser Chat?',
  rateUp: 'Gut, hat mir geholfen',
  rateDown: 'Schlecht, hat mir nicht geholfen',
  rateComment: 'Möchten Sie noch etwas ergänzen? (optional)',
  rateSend: 'Bewertung senden',
  rateThanks: 'Danke für Ihre Bewertung.',
  downloadTranscript: 'Chatverlauf herunterladen',
  transcriptTitle: (date: string) => `Hilfe-Chat, ${date}`,
  // The message list.
  you: 'Sie',
  read: 'Gelesen',
  delivered: 'Zugestellt',
  sending: 'Wird gesendet…',
  notSent: (reason: string) => `Nicht gesendet: ${reason}`,
  newMessages: 'Neue Nachrichten',
  messageLabel: 'Nachricht',
  send: 'Senden',
  unread: (count: number) =>
    plural.select(count) === 'one'
      ? `${count} neue Nachricht von Ihrer Ansprechperson`
      : `${count} neue Nachrichten von Ihrer Ansprechperson`,
  errors: {
    invalid_payload: 'Etwas an der Anfrage wurde nicht angenommen.',
    too_long: 'Diese Nachricht ist zu lang.',
    not_found: 'Diesen Chat gibt es nicht mehr.',
    forbidden: 'Das ist hier nicht erlaubt.',
    unauthorized: 'Dieser Chat ist abgelaufen.',
    rate_limited: 'Zu viel auf einmal. Bitte warten Sie einen Moment.',
    conflict: 'Das wurde bereits gesendet.',
    ended: 'Dieser Chat ist beendet.',
    takeover_needed: 'Jemand anderes aus dem Team antwortet bereits.',
    internal: 'Bei uns ist etwas schiefgelaufen.',
    network: 'Der Hilfe-Service ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung.',
  },
  tryAgainLater: 'Bitte versuchen Sie es erneut.',
};
