import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { defineAgent, defineTool, type EventStore, type StoredEvent } from '../../../src/mcp/index.ts';
import { connectStreamable, rawPost, serve } from '../../helpers/mcpClient.ts';
import { sseReader } from '../../helpers/sse.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const V = '2025-11-25';
const init = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 't', version: '1' } },
});

test('a call in flight when its session is deleted is answered with an error (regression: its POST hung)', async () => {
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const agent = defineAgent({
    name: 'waiter',
    version: '1.0.0',
    instructions: 'x',
    tools: [
      defineTool({
        name: 'wait',
        title: 'Wait',
        description: 'Waits until cancelled.',
        input: z.object({}),
        output: z.object({}),
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
        handler: async (_args, context) => {
          started();
          await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
          return { structured: {}, text: 'aborted' };
        },
      }),
    ],
  });
  // A slow answer never turns into a stream here: the POST waits for plain JSON.
  const server = await serve(agent, { streamAfterMs: 600_000 });
  const { client, transport } = await connectStreamable(server.url);
  try {
    const answered = assert.rejects(
      client.callTool({ name: 'wait', arguments: {} }),
      /the session was closed before this request was answered/,
    );
    await running;
    const deleted = await fetch(server.url, { method: 'DELETE', headers: { 'mcp-session-id': transport.sessionId! } });
    assert.equal(deleted.status, 200);
    await answered;
    assert.match(await server.app.metrics.render(), /tool="wait",outcome="cancelled"\} 1/);
  } finally {
    await client.close();
    await server.close();
  }
});

test('a resume with nothing to replay answers at once (regression: headers waited for the next event)', async () => {
  const server = await serve(createTestAgent(), { keepAliveMs: 600_000 });
  try {
    const id = (await rawPost(server.url, init)).headers.get('mcp-session-id')!;
    const headers = { accept: 'text/event-stream', 'mcp-session-id': id, 'mcp-protocol-version': V };
    const controller = new AbortController();
    const first = await fetch(server.url, { headers, signal: controller.signal });
    const priming = await sseReader(first.body!).next();
    assert.ok(priming?.id, 'the GET stream is primed');
    controller.abort();
    const resumed = await fetch(server.url, { headers: { ...headers, 'last-event-id': priming.id }, signal: AbortSignal.timeout(5000) });
    assert.equal(resumed.status, 200);
    assert.equal(resumed.headers.get('content-type'), 'text/event-stream');
    await resumed.body?.cancel();
    await fetch(server.url, { method: 'DELETE', headers: { 'mcp-session-id': id } });
  } finally {
    await server.close();
  }
});

/** An event store whose backend is down: every write and delete fails. */
class BrokenEventStore implements EventStore {
  deletes = 0;
  async append(): Promise<string> {
    throw new Error('store down');
  }
  async eventsAfter(): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    return undefined;
  }
  async deleteStream(): Promise<void> {
    this.deletes++;
    throw new Error('store down');
  }
  async close(): Promise<void> {}
}

test('an event store that fails costs resumability, never delivery, and never a close', async () => {
  const store = new BrokenEventStore();
  const server = await serve(createTestAgent(), { eventStore: store, resumeWindowMs: 0 });
  const { client, transport } = await connectStreamable(server.url);
  try {
    const progress: number[] = [];
    const result = await client.callTool({ name: 'count', arguments: { n: 3, delay_ms: 1 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
      timeout: 10_000,
    });
    assert.deepEqual(result.structuredContent, { counted: 3 });
    assert.deepEqual(progress, [1, 2, 3]);
    // The finished stream is forgotten once its (zero) resume window passes: a failed delete there must not crash the process.
    while (store.deletes === 0) await new Promise((resolve) => setImmediate(resolve));
    await transport.terminateSession(); // DELETE: 200 although the store cannot delete
    assert.equal(server.app.sessionCount(), 0);
  } finally {
    await client.close();
    await server.close();
  }
});
