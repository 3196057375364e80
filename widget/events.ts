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

declare global {
  interface HTMLElementEventMap {
    'help-open': HelpOpenEvent;
    'help-close': HelpCloseEvent;
    'help-message': HelpMessageEvent;
  }
}
