/**
 * The widget's words in English: the source catalogue. Every other language is a `Catalogue`,
 * so TypeScript refuses a translation that misses a string or adds one. Strings that take
 * values are functions; plurals are chosen with `Intl.PluralRules`, in each language's own
 * file, because languages count differently (Arabic has six forms).
 */
import type { ErrorCode } from '../../protocol/ack.ts';

export const en = {
  /** Text direction: right-to-left languages lay the dialog out mirrored. */
  dir: 'ltr' as 'ltr' | 'rtl',
  close: 'Close',
  connecting: 'Connecting…',
  greeting: 'Hi! How can we help? Write your question and a person will answer here.',
  usualWait: (minutes: number) =>
    minutes <= 1
      ? 'A person usually answers within a minute.'
      : `A person usually answers within ${minutes} minutes.`,
  offlineStatus: "You're offline. Messages will be sent when you're back.",
  ended: 'This chat has ended.',
  endedByYou: 'You ended this chat.',
  endedByHelper: (name: string) => `${name} ended this chat.`,
  endedBySystem: 'This chat was closed because no one was here.',
  helperHere: (name: string) => `${name} is here to help.`,
  nobodyOnline: 'No one is online right now.',
  queueNext: 'You are next in line for a helper.',
  queuePosition: (position: number) => `You are number ${position} in line for a helper.`,
  waitingForHelper: 'A helper will be with you soon.',
  connected: 'Connected.',
  helpCode: 'Your help code:',
  /** Around the phone number, which is a link. */
  preferPhone: ['Prefer the phone? Call ', ' and quote your code.'] as [string, string],
  following: (name: string) => `${name} is following your page.`,
  viewing: (name: string) => `${name} is viewing this page.`,
  stopSharing: 'Stop sharing',
  controlAsk: (name: string) => `Allow ${name} to scroll, navigate and fill in fields?`,
  allow: 'Allow',
  deny: 'Deny',
  inControl: (name: string) => `${name} is in control of this page.`,
  pressEscOr: 'Press Esc or',
  takeBackControl: 'Take back control',
  tryAgain: 'Try again',
  startNewChat: 'Start a new chat',
  messages: 'Messages',
  theHelper: 'The helper',
  typing: (name: string) => `${name} is typing…`,
  endChat: 'End chat',
  endChatConfirm: 'End this chat? The helper will be told.',
  endChatYes: 'Yes, end chat',
  endChatNo: 'Keep chatting',
  // Leaving a message when no one is online.
  leaveMessageIntro:
    'No one is online right now. Leave a message and a helper will answer here when they are back.',
  leaveMessage: 'Leave a message',
  yourMessage: 'Your message',
  emailOptional: 'Email (optional), so we can write back',
  messageLeft: 'Thanks! Your message is waiting for a helper. Their answer will appear here.',
  messageLeftEmail: (email: string) =>
    `Thanks! Your message is waiting for a helper. Their answer will appear here, or they will write to ${email}.`,
  // Rating and transcript.
  rateQuestion: 'How was this chat?',
  rateUp: 'Good, it helped',
  rateDown: 'Bad, it did not help',
  rateComment: 'Anything to add? (optional)',
  rateSend: 'Send rating',
  rateThanks: 'Thank you for your rating.',
  downloadTranscript: 'Download transcript',
  transcriptTitle: (date: string) => `Help chat, ${date}`,
  // The message list.
  you: 'You',
  read: 'Read',
  delivered: 'Delivered',
  sending: 'Sending…',
  notSent: (reason: string) => `Not sent: ${reason}`,
  newMessages: 'New messages',
  messageLabel: 'Message',
  send: 'Send',
  /** Errors, by the code the server sent: never the server's own words. */
  errors: {
    invalid_payload: 'Something in the request was not accepted.',
    too_long: 'That message is too long.',
    not_found: 'This chat no longer exists.',
    forbidden: 'This is not allowed here.',
    unauthorized: 'This chat has expired.',
    rate_limited: 'Too many at once. Please wait a moment.',
    conflict: 'That was already sent.',
    ended: 'This chat has ended.',
    takeover_needed: 'Another helper is answering.',
    internal: 'Something went wrong on our side.',
    network: 'We could not reach the help service. Check your connection.',
  } satisfies Record<ErrorCode | 'network', string>,
  tryAgainLater: 'Please try again.',
};

export type Catalogue = typeof en;
