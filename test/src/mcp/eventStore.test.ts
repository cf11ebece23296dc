import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InMemoryEventStore, RedisEventStore, uniqueRedisPrefix, type EventStore } from '../../../src/mcp/index.ts';
import { serve } from '../../helpers/mcpClient.ts';
import { assertResumeLosesNothing } from '../../helpers/resume.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const stores: [string, () => Promise<EventStore>][] = [
  ['in memory', async () => new InMemoryEventStore()],
  ['Redis', () => RedisEventStore.connect({ url: REDIS_URL, prefix: uniqueRedisPrefix(), ttlSeconds: 60 })],
];

for (const [name, open] of stores) {
  describe(`event store: ${name}`, () => {
    test('replays a stream after an id, never another stream, and forgets deleted streams', async () => {
      const store = await open();
      try {
        const a0 = await store.append('streamA', null);
        const a1 = await store.append('streamA', {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: 1, progress: 1 },
        });
        await store.append('streamB', { jsonrpc: '2.0', method: 'x' });
        const a2 = await store.append('streamA', { jsonrpc: '2.0', id: 1, result: {} });
        assert.deepEqual([a0, a1, a2], ['streamA_0', 'streamA_1', 'streamA_2']);
        const after = await store.eventsAfter(a0);
        assert.equal(after?.streamId, 'streamA');
        assert.deepEqual(
          after?.events.map((e) => e.id),
          [a1, a2],
        );
        assert.deepEqual((await store.eventsAfter(a2))?.events, []);
        assert.equal(await store.eventsAfter('streamA_9'), undefined, 'an id from the future is unknown');
        assert.equal(await store.eventsAfter('nonsense'), undefined);
        await store.deleteStream('streamA');
        assert.equal(await store.eventsAfter(a0), undefined);
      } finally {
        await store.close();
      }
    });

    test('a kit server on it resumes a dropped stream with nothing lost', async () => {
      const store = await open();
      const server = await serve(createTestAgent(), { eventStore: store });
      try {
        await assertResumeLosesNothing(server.url);
      } finally {
        await server.close(); // closes the store too
      }
    });
  });
}

test('an unreachable Redis is a one-line error naming it', async () => {
  await assert.rejects(RedisEventStore.connect({ url: 'redis://127.0.0.1:1' }), /cannot reach Redis at 127\.0\.0\.1:1/);
});
