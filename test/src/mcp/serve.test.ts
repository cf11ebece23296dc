import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryEventStore } from '../../../src/mcp/index.ts';
import { serve } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

test('a port in use is an error naming it, and the event store is closed again (regression: a Redis client kept the process alive)', async () => {
  const holder = await serve(createTestAgent());
  let closed = false;
  const store = new InMemoryEventStore();
  store.close = async () => void (closed = true);
  try {
    await assert.rejects(serve(createTestAgent(), { port: holder.port, eventStore: store }), {
      name: 'UserError',
      message: `port ${holder.port} on 127.0.0.1 is already in use: stop what holds it or choose another port`,
    });
    assert.equal(closed, true);
  } finally {
    await holder.close();
  }
});
