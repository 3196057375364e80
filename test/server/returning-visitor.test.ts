/**
 * A returning visitor: the widget's key for their browser gives the same friendly number
 * each time, and the helper answering them now may read their earlier chats; nobody else
 * may. Real server, real sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack } from '../../protocol/ack.ts';
import {
  type Harness,
  helpRequestBody,
  newId,
  startHarness,
  waitFor,
} from '../support/server-harness.ts';

const PASSWORD = 'correct horse battery';
const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

function data<T>(answer: Ack<T>): T {
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.data;
}

describe('a returning visitor', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('keeps their number, and their helper now reads their earlier chats; no one else', async () => {
    h = await startHarness();
    await h.addHelper('Alex', PASSWORD);
    await h.addHelper('Sam', PASSWORD);
    const sam = await h.agent('Sam', PASSWORD);
    data(await sam.emitWithAck('helper:availability', { availability: 'available' }));

    // First visit: Sam helps, writes a note, ends it.
    const first = await h.requestHelp(helpRequestBody({ visitorKey: KEY }));
    const firstId = first.json.conversationId;
    const firstSummary = await waitFor(
      sam,
      'conversation:updated',
      (c) => c.id === firstId && c.status === 'assigned',
    );
    expect(firstSummary.visitorNumber).toMatch(/^\d{4}$/);
    // The key is the widget's: helpers are shown the number, never the key.
    expect(JSON.stringify(firstSummary)).not.toContain(KEY);
    data(
      await sam.emitWithAck('chat:send', { conversationId: firstId, id: newId(), text: 'Done' }),
    );
    data(
      await sam.emitWithAck('chat:send', {
        conversationId: firstId,
        id: newId(),
        text: 'Asked about order 1042',
        internal: true,
      }),
    );
    data(await sam.emitWithAck('conversation:end', { conversationId: firstId }));
    data(await sam.emitWithAck('helper:availability', { availability: 'away' }));

    // Second visit, same browser: Alex answers.
    const alex = await h.agent('Alex', PASSWORD);
    data(await alex.emitWithAck('helper:availability', { availability: 'available' }));
    const second = await h.requestHelp(helpRequestBody({ visitorKey: KEY }));
    const secondId = second.json.conversationId;
    const secondSummary = await waitFor(
      alex,
      'conversation:updated',
      (c) => c.id === secondId && c.status === 'assigned',
    );
    expect(secondSummary.visitorNumber).toBe(firstSummary.visitorNumber);

    const earlier = data(await alex.emitWithAck('visitor:earlier', { conversationId: secondId }));
    expect(earlier.conversations).toMatchObject([{ id: firstId, helperName: 'Sam' }]);
    const messages = data(
      await alex.emitWithAck('visitor:earlier-messages', {
        conversationId: secondId,
        earlierId: firstId,
      }),
    ).messages;
    expect(messages.map((m) => [m.text, m.internal ?? false])).toEqual([
      ['Done', false],
      ['Asked about order 1042', true],
    ]);

    // Sam is not answering this visitor now: nothing, not even that there is something.
    const asked = await sam.emitWithAck('visitor:earlier', { conversationId: secondId });
    expect(asked).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const read = await sam.emitWithAck('visitor:earlier-messages', {
      conversationId: secondId,
      earlierId: firstId,
    });
    expect(read).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Another browser is another visitor: no earlier chats.
    const other = await h.requestHelp(helpRequestBody({ visitorKey: `${KEY.slice(0, 30)}ff` }));
    const otherId = other.json.conversationId;
    await waitFor(alex, 'conversation:updated', (c) => c.id === otherId && c.status === 'assigned');
    const none = data(await alex.emitWithAck('visitor:earlier', { conversationId: otherId }));
    expect(none.conversations).toEqual([]);
    // Nor may one conversation of Alex's open another visitor's chats.
    const crossed = await alex.emitWithAck('visitor:earlier-messages', {
      conversationId: otherId,
      earlierId: firstId,
    });
    expect(crossed).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
