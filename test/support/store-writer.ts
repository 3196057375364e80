/**
 * A child process that writes to a store as fast as it can and says what was acknowledged,
 * line by line on stdout, until it is killed: `node --import tsx store-writer.ts <kind> <where>`.
 * The parent kills it with SIGKILL at a moment of its choosing and checks that every
 * acknowledged write is there.
 */
import { newId } from '../../server/desk/secrets.ts';
import { openStore } from './store-kinds.ts';

const [kind = '', where = ''] = process.argv.slice(2);
const store = await openStore(kind, where);
const conversationId = newId();
let record = {
  id: conversationId,
  version: 1,
  status: 'waiting' as const,
  priority: 0,
  joinCode: '000000001',
  visitorTokenHash: `hash-${conversationId}`,
  details: {
    pageUrl: 'https://shop.example/',
    pageTitle: 'Shop',
    referrer: '',
    languages: [],
    timezone: '',
    screen: { width: 1, height: 1 },
    viewport: { width: 1, height: 1 },
    pixelRatio: 1,
    userAgent: 'UA',
    agent: { browser: {}, engine: {}, os: {}, device: { type: 'desktop' as const } },
  },
  visitor: {},
  createdAt: new Date().toISOString(),
};
await store.createConversation(record);
console.log(`conversation ${conversationId}`);

// Messages five at a time, a change of the conversation and of a helper's preferences now and
// then: every kind of write the store makes.
for (let i = 0; ; i++) {
  const writes = Array.from({ length: 5 }, async () => {
    const id = newId();
    await store.appendMessage(conversationId, {
      id,
      from: 'visitor',
      authorName: 'Ann',
      text: `m${i}`,
    });
    console.log(`message ${id}`);
  });
  record = { ...record, version: record.version + 1, priority: i };
  writes.push(store.saveConversation(record).then(() => console.log(`version ${record.version}`)));
  writes.push(
    store
      .setHelperPrefs('alex', { availability: 'available', capacity: (i % 20) + 1 })
      .then(() => console.log(`prefs ${(i % 20) + 1}`)),
  );
  await Promise.all(writes);
}
