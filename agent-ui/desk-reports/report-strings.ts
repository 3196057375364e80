/**
 * The Reports page's words. Kept apart from strings.ts so they load with the reports chunk,
 * not with every agent page; a translation replaces this file alongside strings.ts.
 */
const plural = new Intl.PluralRules('en');
const count = (n: number, one: string, other: string) =>
  `${n} ${plural.select(n) === 'one' ? one : other}`;

export const reportWords = {
  heading: 'Reports',
  range: 'Date range',
  today: 'Today',
  week: '7 days',
  month: '30 days',
  custom: 'Custom',
  from: 'From',
  to: 'To',
  apply: 'Show',
  loading: 'Loading…',
  failed: (reason: string) => `The report could not be loaded: ${reason}`,
  /** "1 Mar 2026 – 30 Mar 2026, Europe/Paris time" */
  period: (from: string, to: string, tz: string) =>
    `${from === to ? from : `${from} – ${to}`}, ${tz} time`,
  figures: 'Figures',
  chats: 'Chats started',
  offline: 'Offline messages',
  answered: 'Answered',
  missed: 'Missed (visitor left before a helper wrote)',
  waitP50: 'Median wait for a first answer',
  waitP90: '90th percentile wait',
  lengthP50: 'Median conversation length',
  thumbsUp: 'Thumbs up',
  /** "75% of 4 ratings" */
  upShare: (percent: number, ratings: number) =>
    `${percent}% of ${count(ratings, 'rating', 'ratings')}`,
  noRatings: 'No ratings',
  followed: 'Conversations with follow mode',
  mirrored: 'Conversations with mirror mode',
  none: '—',
  comments: 'Rating comments',
  noComments: 'No comments in this range.',
  up: 'Thumbs up',
  down: 'Thumbs down',
  helpers: 'Each helper’s share',
  helper: 'Helper',
  conversations: 'Conversations',
  share: 'Share',
  noHelpers: 'No conversation was handled in this range.',
  download: 'Download',
  figuresCsv: 'Figures (CSV)',
  conversationsCsv: 'Conversation list (CSV)',
  showTable: 'Show as table',
  date: 'Date',
  perDay: 'Conversations per day',
  perDayAlt: (chats: number, days: number) =>
    `Bar chart of chats per day, answered and missed: ${count(chats, 'chat', 'chats')} over ${count(days, 'day', 'days')}`,
  other: 'Other (ended by a helper unanswered)',
  waitPerDay: 'Wait for a first answer, per day',
  waitAlt: 'Line chart of the median and 90th percentile wait for a first answer, per day',
  median: 'Median',
  p90: '90th percentile',
  heat: 'When visitors ask',
  heatAlt: 'Heat map of requests by weekday and hour, darker is busier',
  weekday: 'Weekday',
  weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  hourLabel: (h: number) => `${String(h).padStart(2, '0')}:00`,
  seconds: (s: number) => `${s} s`,
  minutes: (m: number, s: number) => (s ? `${m} min ${s} s` : `${m} min`),
  hours: (h: number, m: number) => `${h} h ${m} min`,
};

/** A duration as people read it: "45 s", "3 min 5 s", "1 h 20 min"; a dash for none. */
export function duration(ms: number | null): string {
  if (ms === null) return reportWords.none;
  const s = Math.round(ms / 1000);
  if (s < 60) return reportWords.seconds(s);
  if (s < 3600) return reportWords.minutes(Math.floor(s / 60), s % 60);
  return reportWords.hours(Math.floor(s / 3600), Math.floor((s % 3600) / 60));
}
