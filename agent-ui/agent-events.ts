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

/** The helper wrote an internal note (the composer in note mode). */
export class HelpNoteEvent extends Event {
  readonly text: string;
  constructor(text: string) {
    super('help-note', init);
    this.text = text;
  }
}

/** The helper hands the conversation to a colleague, with a note for them. */
export class HelpTransferEvent extends Event {
  readonly to: string;
  readonly note: string;
  constructor(to: string, note: string) {
    super('help-transfer', init);
    this.to = to;
    this.note = note;
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
    'help-note': HelpNoteEvent;
    'help-transfer': HelpTransferEvent;
    'help-join-cancel': Event;
  }
}
