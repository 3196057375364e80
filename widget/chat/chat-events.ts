/** Events between the chat's own elements; the public ones are in widget/events.ts. */

export class HelpSendEvent extends Event {
  readonly text: string;
  constructor(text: string) {
    super('help-send', { bubbles: true, composed: true });
    this.text = text;
  }
}

export class HelpTypingEvent extends Event {
  readonly typing: boolean;
  constructor(typing: boolean) {
    super('help-typing', { bubbles: true, composed: true });
    this.typing = typing;
  }
}

/** The chat asks its widget to close it (close button, Esc). */
export class HelpCloseRequestEvent extends Event {
  constructor() {
    super('help-close-request', { bubbles: true, composed: true });
  }
}

/** The number of helper messages the visitor has not seen changed. */
export class HelpUnreadEvent extends Event {
  readonly count: number;
  constructor(count: number) {
    super('help-unread', { bubbles: true, composed: true });
    this.count = count;
  }
}

/** A helper started viewing the page (their name) or stopped (''). */
export class HelpFollowingEvent extends Event {
  readonly helperName: string;
  constructor(helperName: string) {
    super('help-following', { bubbles: true, composed: true });
    this.helperName = helperName;
  }
}

declare global {
  interface HTMLElementEventMap {
    'help-send': HelpSendEvent;
    'help-typing': HelpTypingEvent;
    'help-close-request': HelpCloseRequestEvent;
    'help-unread': HelpUnreadEvent;
    'help-following': HelpFollowingEvent;
  }
}
