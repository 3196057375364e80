/**
 * Every word the agent page shows or speaks, in English: the one seam a translation would
 * replace. Accessible names here are part of the page's interface (tests and helpers' habits
 * rely on them): change one only on purpose. Strings that take values are functions; counts
 * choose their form with `Intl.PluralRules`.
 */

import type { ControlState } from '../protocol/cobrowse.ts';
import type { EndedBy, Presence, Rating } from '../protocol/domain.ts';
import type { MirrorEndReason } from '../protocol/mirror.ts';
import type { ConnectionState } from './agent-connection.ts';

const plural = new Intl.PluralRules('en');

/** "1 message", "2 messages". */
const count = (n: number, one: string, other: string) =>
  `${n} ${plural.select(n) === 'one' ? one : other}`;

/** Who a sentence is about: the visitor's name, or "The visitor" when the site gave none. */

const subject = (name: string | undefined) => name || 'The visitor';

export const strings = {
  /** The tab's title; index.html carries the same words for before the script runs. */
  pageTitle: 'Helpers — help-widget',
  loading: 'Loading…',
  noAnswer: 'No answer from the server',
  notConnected: 'not connected; try again in a moment',
  /** What a visitor without a name is called in titles and lists. */
  visitor: 'Visitor',
  /** An anonymous visitor, by the number their browser keeps ("Visitor 4821"). */
  visitorNumbered: (number: string) => `Visitor ${number}`,

  signIn: {
    heading: 'Helper sign-in',
    name: 'Name',
    password: 'Password',
    submit: 'Sign in',
    startAs: 'When signed in',
    startChoice: {
      available: 'Available: take new chats at once',
      away: 'Away: sign in without taking chats',
    },
    failed: 'Sign-in failed',
    /** A proxy's error page, not our JSON: lower case, `sentence()` capitalises it. */
    badAnswer: (status: number) => `the server answered ${status}. Try again in a moment.`,
    unreachable: 'The server cannot be reached. Check your connection and try again.',
  },

  desk: {
    heading: 'Helpers',
    connection: {
      connecting: 'Connecting…',
      online: 'Connected',
      offline: 'Offline — reconnecting when the network is back',
      'signed-out': 'Signed out',
    } satisfies Record<ConnectionState, string>,
    enableNotifications: 'Enable desktop notifications',
    /** Around the helper's name, which is shown in bold. */
    signedInAs: 'Signed in as',
    signOut: 'Sign out',
    queue: (waiting: number) => `Queue (${waiting})`,
    mine: 'My conversations',
    joinByCode: 'Join by code',
    history: 'History',
    reports: 'Reports',
    nothingOpen: 'Accept a request from the queue, or pick a conversation.',
    anotherHelper: 'another helper',
    takenOver: (helper: string | undefined, visitor: string | undefined) =>
      `${helper ?? 'Another helper'} took over this conversation${visitor ? ` with ${visitor}` : ''}.`,
    transferred: (helper: string | undefined, visitor: string | undefined) =>
      `The conversation${visitor ? ` with ${visitor}` : ''} is now with ${helper ?? 'another helper'}.`,
    requeued: (visitor: string | undefined) =>
      `The conversation${visitor ? ` with ${visitor}` : ''} went back to the queue: you were away too long.`,
  },

  alerts: {
    newRequest: 'New help request',
    newMessage: 'New message',
    /** "(3) Helpers": how many things need attention, in the tab's title. */
    title: (count: number, base: string) => `(${count}) ${base}`,
  },

  availability: {
    available: 'Available',
    takingChats: 'Taking new chats',
    away: 'Away',
    capacity: 'Chats at once',
  },

  presence: {
    online: 'Online',
    away: 'Away',
    gone: 'Gone',
  } satisfies Record<Presence, string>,
  /** The longer words for the details panel, where there is room to say what each means. */
  presenceExplained: {
    online: 'Online — the page is open and shown',
    away: 'Away — the page is hidden, or the connection dropped a moment ago',
    gone: 'Gone — no connection for a while',
  } satisfies Record<Presence, string>,

  queue: {
    empty: 'No one is waiting.',
    languageUnknown: 'language unknown',
    theirTime: (time: string) => `their time ${time}`,
    waiting: (waited: string) => `waiting ${waited}`,
    priority: (priority: number) => `priority ${priority}`,
    accept: 'Accept',
    /**
     * The Accept button's full name: who, where and how long, so a screen-reader user knows
     * which request it takes, and buttons read apart from one another.
     */
    acceptNamed: (who: string, where: string, waited: string) =>
      `Accept ${who}, on ${where}, waiting ${waited}`,
  },

  messages: {
    heading: (waiting: number) => `Messages (${waiting})`,
    empty: 'No messages waiting.',
    /** Named by who it is from, so a list of them reads apart. */
    answer: (from: { name?: string; email?: string; page: string }) =>
      `Answer message from ${from.name || from.email || `a visitor on ${from.page}`}`,
    leftOn: 'Left on',
    ago: (waited: string) => `${waited} ago`,
  },

  conversations: {
    empty: 'No conversations yet.',
    ended: ' (ended)',
    unread: ' unread',
  },

  conversation: {
    title: (visitor: string) => `Chat with ${visitor}`,
    log: 'Messages',
    typing: (visitor: string) => `${visitor} is typing…`,
    followPage: 'Follow page',
    /** The site's rules leave "Follow page" out here. */
    followNotAllowed: 'The site does not allow following this page.',
    end: 'End conversation',
    endQuestion: (name: string | undefined) =>
      name ? `End the chat with ${name}?` : 'End the chat with this visitor?',
    endConfirm: 'End chat',
    endCancel: 'Keep chatting',
    ended: 'This conversation has ended.',
    close: 'Close conversation',
  },

  earlier: {
    heading: (count: number) => `Earlier conversations (${count})`,
    term: 'Came before',
    show: (count: number) => `Show ${count} earlier conversation${count === 1 ? '' : 's'}`,
    none: 'No earlier conversations from this visitor.',
    why: 'Found by this browser on the site, or by the verified user id.',
    summary: (date: string, page: string, helper: string | undefined) =>
      `${date} · ${page}${helper ? ` · with ${helper}` : ''}`,
    loading: 'Loading…',
  },

  canned: {
    heading: 'Canned replies',
    open: 'Canned replies',
    intro: 'Ready answers every helper can use: type / in the message box, then a few letters.',
    none: 'No canned replies yet.',
    add: 'Add a reply',
    editing: (shortcut: string) => `Edit /${shortcut}`,
    shortcut: 'Shortcut (after /)',
    text: 'Reply',
    save: 'Save reply',
    cancel: 'Cancel',
    edit: (shortcut: string) => `Edit /${shortcut}`,
    remove: (shortcut: string) => `Delete /${shortcut}`,
    saved: (shortcut: string) => `Saved /${shortcut}.`,
    removed: (shortcut: string) => `Deleted /${shortcut}.`,
    by: (name: string) => `saved by ${name}`,
    /** The list that opens on / in the message box. */
    search: 'Search canned replies',
    listLabel: 'Canned replies',
    noMatch: 'No canned reply matches.',
    pickHint: 'Up and down to choose, Enter to put it in the message box, Esc to close.',
  },

  transfer: {
    open: 'Transfer',
    heading: (visitor: string) => `Transfer the chat with ${visitor}`,
    to: 'To',
    note: 'Note for them (only helpers see it)',
    submit: 'Transfer conversation',
    cancel: 'Cancel',
    loading: 'Looking for available helpers…',
    nobody: 'No other helper is available now.',
  },

  /** The chat and the visitor's page side by side (wide screens) or as two tabs. */
  layout: {
    splitter: "Resize the chat and the visitor's page",
    pageShare: (percent: number) => `The page takes ${percent}% of the width`,
    tabs: (visitor: string) => `Chat with ${visitor}, or their page`,
    chatTab: 'Chat',
    pageTab: 'Page',
    aboutVisitor: (visitor: string) => `About ${visitor}`,
    showDesk: 'Queue and conversations',
    waiting: (count: number) => `${count} waiting`,
  },

  /** How a conversation ended and what the visitor thought: the chat and history alike. */
  outcome: {
    endedBy: (by: EndedBy, name: string | undefined) =>
      by === 'helper'
        ? 'You ended the chat.'
        : by === 'visitor'
          ? `${subject(name)} ended the chat.`
          : 'The visitor left before anyone answered; the chat was closed.',
    rating: {
      up: 'Good',
      down: 'Bad',
    } satisfies Record<Rating['value'], string>,
    rated: (name: string | undefined, verdict: string) =>
      `${subject(name)} rated this chat: ${verdict}`,
  },

  details: {
    heading: 'Visitor details',
    name: 'Name',
    email: 'Email',
    userId: 'User id',
    /** Proved by the site's signature (identity verification). */
    verifiedUser: (id: string) => `${id} (verified by the site)`,
    /** Only what the visitor's browser said. */
    claimedUser: (id: string) => `${id} (claimed, not verified)`,
    presence: 'Status',
    nowOn: 'Now on',
    askedFrom: 'Asked from',
    cameFrom: 'Came from',
    browser: 'Browser',
    engine: 'Engine',
    os: 'OS',
    device: 'Device',
    languages: 'Languages',
    theirTime: 'Their time',
    screen: 'Screen',
    window: 'Window',
    waitingSince: 'Waiting since',
    joinCode: 'Join code',
    userAgent: 'User agent',
    unknown: 'unknown',
    unknownTimezone: 'unknown timezone',
    timeAndZone: (time: string, zone: string) => `${time} (${zone})`,
    since: (clock: string, waited: string) => `${clock} (${waited} ago)`,
  },

  transcript: {
    internalNote: 'Internal note',
    /** The switch above the message box, and what the box is while it is on. */
    noteMode: 'Internal note',
    noteHint: (visitor: string) => `Only helpers see notes; ${visitor} will not.`,
    noteLabel: 'Internal note',
    addNote: 'Add note',
    reply: { messageLabel: 'Message', send: 'Send' },
    justNow: 'just now',
    minutesAgo: (m: number) => `${m} min ago`,
  },

  format: {
    unknownBrowser: 'Unknown browser',
    unknownOs: 'unknown OS',
    unknown: 'unknown',
    seconds: (s: number) => `${s} s`,
    minutes: (m: number) => `${m} min`,
    hours: (h: number, m: number) => `${h} h ${m} min`,
  },

  history: {
    heading: 'History',
    search: 'Search transcripts',
    submit: 'Search',
    failed: (reason: string) => `History could not be loaded: ${reason}`,
    noMatch: 'No ended conversations match.',
    none: 'No ended conversations yet.',
    /** "Dana · 15/01/2025, 11:55:00 · 2 messages" */
    summary: (who: string, ended: string, messages: number) =>
      `${who} · ${ended} · ${count(messages, 'message', 'messages')}`,
    download: 'Download transcript',
  },

  find: {
    heading: 'Find by user id',
    userId: 'User id',
    submit: 'Find',
    none: 'No open conversation with that user id.',
    aVisitor: 'A visitor',
    verified: (id: string) => `${id} (verified)`,
    claimed: (id: string) => `${id} (claimed)`,
    withHelper: (helper: string) => `with ${helper}`,
    waiting: 'waiting',
    /** Names who it joins: several may be listed. */
    join: (who: string, id: string) => `Join ${who} (${id})`,
  },

  join: {
    code: 'Join code',
    /** How a code looks, as the visitor reads it out. */
    placeholder: '482 913 705',
    submit: 'Join',
    question: (visitor: string | undefined, helper: string) =>
      `${visitor ?? 'This visitor'} is with ${helper}. Take over?`,
    takeOver: (helper: string) => `Take over from ${helper}`,
    cancel: 'Cancel',
  },

  follow: {
    heading: "Visitor's page",
    frameTitle: "Visitor's page",
    openWindow: 'Open in new window',
    closeWindow: 'Close window',
    refresh: "Refresh visitor's page",
    askControl: 'Ask for control',
    point: 'Point',
    atVisitorSize: "Show at visitor's size",
    stop: 'Stop following',
    pointHint: 'Click the element to point at on the page below.',
    control: {
      none: '',
      requested: 'Waiting for the visitor to allow control…',
      granted: 'You are in control: scroll, navigate and fill in fields on the page below.',
      denied: 'The visitor said no to passing control.',
    } satisfies Record<ControlState, string>,
    visitorWindow: (width: number, height: number) => `Visitor's window: ${width} × ${height}`,
    looking: 'they are looking at this page',
    elsewhere: 'they have switched to another tab or window',
    stoppedSharing: 'The visitor stopped sharing their page.',
    blocked:
      'The browser blocked the new window. Allow pop-ups for this page, then press "Open in new window" again.',
    windowClosed:
      'The separate window was closed. Press "Open in new window" to follow the visitor again.',
    followingInWindow: 'Following the visitor in a separate window.',
    windowSilent: 'The separate window did not connect. Close it and try again.',
    openingWindow: 'Opening the visitor\u2019s page in a separate window…',
    following: 'Following the visitor.',
    frameSilent:
      'The page did not connect here: the site may not allow being shown in a frame. Use "Open in new window".',
    loading: 'Loading the visitor\u2019s page…',
  },

  mirror: {
    /** Asks the visitor to share the page through our server (mirror mode). */
    mirrorPage: 'Mirror page',
    /** The site's rules leave "Mirror page" out here. */
    notAllowed: 'The site does not allow mirroring this page.',
    heading: (visitor: string) => `${visitor}'s page (mirror)`,
    paneLabel: "The visitor's page, as they share it",
    asking: (visitor: string) => `Waiting for ${visitor} to share the page…`,
    cancel: 'Cancel request',
    stop: 'Stop mirroring',
    waitingForPage: 'Waiting for the page to arrive…',
    point: 'Point',
    pointHint: 'Click the element to point at on the page below.',
    controlHint: 'You are in control: click on the page below, or click a field to type into it.',
    typeInto: (field: string) => `Type into “${field}”`,
    maskedField: (field: string) =>
      `“${field}” is hidden from you: only the visitor can fill it in.`,
    unnamedField: 'this field',
    ended: (reason: MirrorEndReason, visitor: string) =>
      reason === 'declined'
        ? `${visitor} chose not to share the page.`
        : reason === 'unsupported'
          ? `${visitor}'s browser cannot share the page (mirror mode needs Chrome 80, Firefox 113, Safari 16.4 or newer).`
          : reason === 'visitor'
            ? `${visitor} stopped sharing the page.`
            : reason === 'not-allowed'
              ? 'The site does not allow mirroring this page.'
              : reason === 'helper'
                ? ''
                : 'Mirroring has ended.',
  },
};
