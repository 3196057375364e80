/** The widget's words in Arabic (Modern Standard), laid out right to left. */
import type { Catalogue } from './en.ts';

const plural = new Intl.PluralRules('ar');

/**
 * The sentence in the form Arabic uses for `n`: zero; one; two (the dual); few, 3–10 (plural
 * noun); many, 11–99 (singular noun); other, 100 and up (singular noun).
 */
function byCount(n: number, forms: Record<Intl.LDMLPluralRule, string>): string {
  return forms[plural.select(n)];
}

export const ar: Catalogue = {
  dir: 'rtl',
  close: 'إغلاق',
  connecting: 'جارٍ الاتصال…',
  greeting: 'مرحبًا! كيف يمكننا مساعدتك؟ اكتب سؤالك وسيردّ عليك أحد موظفينا هنا.',
  // The server never sends less than a minute; zero reads "within a minute" as in English.
  usualWait: (minutes: number) =>
    byCount(minutes, {
      zero: 'عادةً ما يردّ عليك أحد موظفينا خلال دقيقة.',
      one: 'عادةً ما يردّ عليك أحد موظفينا خلال دقيقة.',
      two: 'عادةً ما يردّ عليك أحد موظفينا خلال دقيقتين.',
      few: `عادةً ما يردّ عليك أحد موظفينا خلال ${minutes} دقائق.`,
      many: `عادةً ما يردّ عليك أحد موظفينا خلال ${minutes} دقيقة.`,
      other: `عادةً ما يردّ عليك أحد موظفينا خلال ${minutes} دقيقة.`,
    }),
  offlineStatus: 'لا يوجد اتصال بالإنترنت. ستُرسَل رسائلك عند عودة الاتصال.',
  ended: 'انتهت هذه المحادثة.',
  endedByYou: 'لقد أنهيت هذه المحادثة.',
  endedByHelper: (name: string) => `أنهى ${name} هذه المحادثة.`,
  endedBySystem: 'أُغلقت هذه المحادثة لعدم وجود أحد.',
  helperHere: (name: string) => `${name} هنا لمساعدتك.`,
  nobodyOnline: 'لا يوجد أحد متصل الآن.',
  queueNext: 'دورك هو التالي في قائمة الانتظار.',
  // A place in the line, not a count: no plural agreement.
  queuePosition: (position: number) => `ترتيبك في قائمة الانتظار: ${position}.`,
  waitingForHelper: 'سيكون أحد موظفي الدعم معك قريبًا.',
  connected: 'تم الاتصال.',
  helpCode: 'رمز المساعدة الخاص بك:',
  preferPhone: ['هل الهاتف أسهل لك؟ يمكنك الاتصال بالرقم ', ' وذكر رمزك.'],
  following: (name: string) => `تتم مشاركة صفحتك مع ${name}.`,
  viewing: (name: string) => `تظهر هذه الصفحة الآن لدى ${name}.`,
  stopSharing: 'إيقاف المشاركة',
  controlAsk: (name: string) => `السماح لـ${name} بالتمرير والتنقّل وتعبئة الحقول؟`,
  allow: 'السماح',
  deny: 'عدم السماح',
  inControl: (name: string) => `التحكم في هذه الصفحة الآن بيد ${name}.`,
  pressEscOr: 'اضغط على Esc أو',
  takeBackControl: 'استعادة التحكم',
  tryAgain: 'إعادة المحاولة',
  startNewChat: 'بدء محادثة جديدة',
  messages: 'الرسائل',
  theHelper: 'موظف الدعم',
  typing: (name: string) => `${name} يكتب…`,
  endChat: 'إنهاء المحادثة',
  endChatConfirm: 'إنهاء هذه المحادثة؟ سيُبلَّغ موظف الدعم بذلك.',
  endChatYes: 'نعم، إنهاء المحادثة',
  endChatNo: 'متابعة المحادثة',
  // Leaving a message when no one is online.
  leaveMessageIntro:
    'لا يوجد أحد متصل الآن. يمكنك ترك رسالة، وسيردّ عليك أحد موظفي الدعم هنا عند عودته.',
  leaveMessage: 'ترك رسالة',
  yourMessage: 'رسالتك',
  emailOptional: 'البريد الإلكتروني (اختياري)، لنتمكن من الرد عليك',
  messageLeft: 'شكرًا! وصلتنا رسالتك، وسيظهر الرد هنا.',
  messageLeftEmail: (email: string) =>
    `شكرًا! وصلتنا رسالتك. سيظهر الرد هنا، أو سنرسله إليك على ${email}.`,
  // Rating and transcript.
  rateQuestion: 'كيف كانت هذه المحادثة؟',
  rateUp: 'جيدة، كانت مفيدة',
  rateDown: 'سيئة، لم تكن مفيدة',
  rateComment: 'ملاحظات إضافية (اختياري)',
  rateSend: 'إرسال التقييم',
  rateThanks: 'شكرًا لتقييمك.',
  downloadTranscript: 'تنزيل نص المحادثة',
  transcriptTitle: (date: string) => `محادثة الدعم، ${date}`,
  // The message list.
  you: 'أنت',
  read: 'تمت القراءة',
  delivered: 'تم التسليم',
  sending: 'جارٍ الإرسال…',
  notSent: (reason: string) => `لم يتم الإرسال: ${reason}`,
  newMessages: 'رسائل جديدة',
  messageLabel: 'الرسالة',
  send: 'إرسال',
  errors: {
    invalid_payload: 'لم يُقبل جزء من الطلب.',
    too_long: 'هذه الرسالة طويلة جدًا.',
    not_found: 'هذه المحادثة لم تعد موجودة.',
    forbidden: 'هذا الإجراء غير مسموح به هنا.',
    unauthorized: 'انتهت صلاحية هذه المحادثة.',
    rate_limited: 'طلبات كثيرة في وقت واحد. يُرجى الانتظار قليلًا.',
    conflict: 'تم إرسال هذا من قبل.',
    ended: 'انتهت هذه المحادثة.',
    takeover_needed: 'يتولى موظف دعم آخر الرد على هذه المحادثة.',
    internal: 'حدث خطأ من جهتنا.',
    network: 'تعذّر الوصول إلى خدمة الدعم. يُرجى التحقق من اتصالك.',
  },
  tryAgainLater: 'يُرجى المحاولة مرة أخرى.',
};
