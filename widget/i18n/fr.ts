/** The widget's words in French ("vous"); the spaces before ? ! : are non-breaking. */
import type { Catalogue } from './en.ts';

const plural = new Intl.PluralRules('fr');

export const fr: Catalogue = {
  dir: 'ltr',
  close: 'Fermer',
  connecting: 'Connexion…',
  greeting:
    'Bonjour ! Comment pouvons-nous vous aider ? Écrivez votre question : une personne vous répondra ici.',
  usualWait: (minutes: number) =>
    minutes <= 1
      ? 'Une personne répond généralement en moins d’une minute.'
      : `Une personne répond généralement en moins de ${minutes} minutes.`,
  offlineStatus: 'Vous êtes hors ligne. Vos messages seront envoyés dès le retour de la connexion.',
  ended: 'Cette conversation est terminée.',
  endedByYou: 'Vous avez mis fin à cette conversation.',
  endedByHelper: (name: string) => `${name} a mis fin à cette conversation.`,
  endedBySystem: 'Cette conversation a été fermée, car personne n’était là.',
  helperHere: (name: string) => `${name} est là pour vous aider.`,
  nobodyOnline: 'Personne n’est en ligne pour le moment.',
  queueNext: 'Vous êtes en tête de la file d’attente.',
  queuePosition: (position: number) => `Vous êtes en position ${position} dans la file d’attente.`,
  waitingForHelper: 'Un conseiller va vous répondre dans un instant.',
  connected: 'Connexion établie.',
  helpCode: 'Votre code d’assistance :',
  preferPhone: ['Vous préférez le téléphone ? Appelez le ', ' en indiquant votre code.'],
  following: (name: string) => `${name} voit votre page en direct.`,
  viewing: (name: string) => `${name} consulte cette page.`,
  stopSharing: 'Arrêter le partage',
  controlAsk: (name: string) =>
    `Autoriser ${name} à faire défiler la page, à naviguer et à remplir les champs ?`,
  allow: 'Autoriser',
  deny: 'Refuser',
  inControl: (name: string) => `${name} contrôle cette page.`,
  pressEscOr: 'Appuyez sur Échap ou',
  takeBackControl: 'Reprendre le contrôle',
  tryAgain: 'Réessayer',
  startNewChat: 'Nouvelle conversation',
  messages: 'Messages',
  theHelper: 'Votre conseiller',
  typing: (name: string) => `${name} écrit…`,
  endChat: 'Terminer la conversation',
  endChatConfirm: 'Terminer cette conversation ? Votre conseiller en sera informé.',
  endChatYes: 'Oui, terminer',
  endChatNo: 'Continuer la conversation',
  // Leaving a message when no one is online.
  leaveMessageIntro:
    'Personne n’est en ligne pour le moment. Laissez un message : un conseiller vous répondra ici dès son retour.',
  leaveMessage: 'Laisser un message',
  yourMessage: 'Votre message',
  emailOptional: 'E-mail (facultatif), pour que nous puissions vous répondre',
  messageLeft: 'Merci ! Votre message a bien été transmis. La réponse s’affichera ici.',
  messageLeftEmail: (email: string) =>
    `Merci ! Votre message a bien été transmis. La réponse s’affichera ici, ou vous sera envoyée à ${email}.`,
  // Rating and transcript.
  rateQuestion: 'Comment s’est passée cette conversation ?',
  rateUp: 'Bien, c’était utile',
  rateDown: 'Pas bien, ce n’était pas utile',
  rateComment: 'Quelque chose à ajouter ? (facultatif)',
  rateSend: 'Envoyer l’évaluation',
  rateThanks: 'Merci pour votre évaluation.',
  downloadTranscript: 'Télécharger la transcription',
  transcriptTitle: (date: string) => `Conversation d’assistance, ${date}`,
  // The message list.
  you: 'Vous',
  read: 'Lu',
  delivered: 'Distribué',
  sending: 'Envoi en cours…',
  notSent: (reason: string) => `Non envoyé : ${reason}`,
  newMessages: 'Nouveaux messages',
  messageLabel: 'Message',
  send: 'Envoyer',
  unread: (count: number) =>
    plural.select(count) === 'one'
      ? `${count} nouveau message de votre conseiller`
      : `${count} nouveaux messages de votre conseiller`,
  errors: {
    invalid_payload: 'Une partie de la demande n’a pas été acceptée.',
    too_long: 'Ce message est trop long.',
    not_found: 'Cette conversation n’existe plus.',
    forbidden: 'Cette action n’est pas autorisée ici.',
    unauthorized: 'Cette conversation a expiré.',
    rate_limited: 'Trop de demandes à la fois. Veuillez patienter un instant.',
    conflict: 'Cela a déjà été envoyé.',
    ended: 'Cette conversation est terminée.',
    takeover_needed: 'Un autre conseiller répond déjà.',
    internal: 'Un problème est survenu de notre côté.',
    network: 'Impossible de joindre le service d’assistance. Vérifiez votre connexion.',
  },
  tryAgainLater: 'Veuillez réessayer.',
};
