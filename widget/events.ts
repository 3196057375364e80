import type { Message } from '../protocol/domain.ts';

/** Fired on `<help-widget>` when its chat dialog opens. */
export class HelpOpenEvent extends Event {
  constructor() {
    super('help-open', { bubbles: true, composed: true });
  }
}

/** Fired on `<help-widget>` when its chat dialog closes (the conversation goes on). */
export class HelpCloseEvent extends Event {
  constructor() {
    super('help-close', { bubbles: true, composed: true });
  }
}

/** Fired on `<help-widget>` when a helper's message arrives. */
export class HelpMessageEvent extends Event {
  readonly message: Message;

  constructor(message: Message) {
    super('help-message', { bubbles: true, composed: true });
    this.message = message;
  }
}

/**
 * Fired on `<help-widget>` once when the visitor's conversation is created
 * (`help-session-start`) and once when it ends, by either side (`help-session-end`), on each
 * page that learns it. Not on later page loads: the `help_session` cookie says so then.
 */
export class HelpSessionEvent extends CustomEvent<{ conversationId: string }> {
  constructor(type: 'help-session-start' | 'help-session-end', conversationId: string) {
    super(type, { bubbles: true, composed: true, detail: { conversationId } });
  }
}

declare global {
  interface HTMLElementEventMap {
    'help-open': HelpOpenEvent;
    'help-close': HelpCloseEvent;
    'help-message': HelpMessageEvent;
    'help-session-start': HelpSessionEvent;
    'help-session-end': HelpSessionEvent;
  }
}
