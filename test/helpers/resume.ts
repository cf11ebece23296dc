import assert from 'node:assert/strict';
import { rawPost } from './mcpClient.ts';
import { sseReader } from './sse.ts';

const V = '2025-11-25';

/**
 * A call streams progress; the client drops the connection after two events and resumes
 * with `Last-Event-ID`: it must get every remaining event exactly once, in order, and the result.
 */
export async function assertResumeLosesNothing(url: string): Promise<void> {
  const init = await rawPost(
    url,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }),
  );
  const id = init.headers.get('mcp-session-id')!;
  const call = JSON.stringify({
    jsonrpc: '2.0',
    id: 7,
    method: 'tools/call',
    params: { name: 'count', arguments: { n: 6, delay_ms: 15 }, _meta: { progressToken: 'p' } },
  });
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': id,
      'mcp-protocol-version': V,
    },
    body: call,
    signal: controller.signal,
  });
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  const reader = sseReader(response.body!);
  const priming = await reader.next();
  assert.ok(priming?.id, 'a priming event with an id comes first');
  assert.equal(priming.data, '');
  assert.equal(priming.retry, 1000);
  const seen: number[] = [];
  let lastId = priming.id;
  while (seen.length < 2) {
    const event = (await reader.next())!;
    const message = JSON.parse(event.data) as { method?: string; params?: { progress: number } };
    if (message.method === 'notifications/progress') seen.push(message.params!.progress);
    lastId = event.id!;
  }
  controller.abort(); // the connection drops mid-call

  const resumed = await fetch(url, {
    headers: { accept: 'text/event-stream', 'mcp-session-id': id, 'mcp-protocol-version': V, 'last-event-id': lastId },
  });
  assert.equal(resumed.status, 200);
  const rest = sseReader(resumed.body!);
  let result: { id: number; result: { structuredContent: unknown } } | undefined;
  for (let event = await rest.next(); event; event = await rest.next()) {
    const message = JSON.parse(event.data) as { method?: string; params?: { progress: number }; id?: number };
    if (message.method === 'notifications/progress') seen.push(message.params!.progress);
    if (message.id === 7) result = message as typeof result;
  }
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6], 'every progress event exactly once, in order');
  assert.deepEqual(result?.result.structuredContent, { counted: 6 });

  const foreign = await fetch(url, { headers: { accept: 'text/event-stream', 'mcp-session-id': id, 'last-event-id': 'deadbeef_1' } });
  assert.equal(foreign.status, 400, 'an event id of no stream of this session is refused');
  await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': id } });
}
