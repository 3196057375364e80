/** Events the agent page's elements send up to the app. */
import type { Availability } from '../protocol/domain.ts';

const init = { bubbles: true, composed: true } as const;

export class HelpSignedInEvent extends Event {
  readonly helper: { id: string; name: string };
  constructor(helper: { id: string; name: string }) {
    super('help-signed-in', init);
    this.helper = helper;
  }
}

export class HelpAvailabilityEvent extends Event {
  readonly availability: Availability;
  readonly capacity: number;
  constructor(availability: Availability, capacity: number) {
    super('help-availability', init);
    this.availability = availability;
    this.capacity = capacity;
  }
}

/** A conversation was picked: `accept` (from the queue), `select`, `end` or `dismiss`. */
export class HelpConversationEvent extends Event {
  readonly conversationId: string;
  constructor(
    type: 'help-accept' | 'help-select' | 'help-end' | 'help-dismiss' | 'help-follow',
    conversationId: string,
  ) {
    super(type, init);
    this.conversationId = conversationId;
  }
}

/** A join code was submitted; `takeOver` confirms taking it from the helper who has it. */
export class HelpJoinEvent extends Event {
  readonly code: string;
  readonly takeOver: boolean;
  constructor(code: string, takeOver = false) {
    super('help-join', init);
    this.code = code;
    this.takeOver = takeOver;
  }
}

declare global {
  interface HTMLElementEventMap {
    'help-signed-in': HelpSignedInEvent;
    'help-availability': HelpAvailabilityEvent;
    'help-accept': HelpConversationEvent;
    'help-select': HelpConversationEvent;
    'help-end': HelpConversationEvent;
    'help-dismiss': HelpConversationEvent;
    'help-follow': HelpConversationEvent;
    'help-unfollow': Event;
    'help-join': HelpJoinEvent;
    'help-join-cancel': Event;
  }
}
