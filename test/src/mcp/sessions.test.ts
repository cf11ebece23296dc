import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { RunningAgentServer } from '../../../src/mcp/index.ts';
import { connectStreamable, rawPost, serve } from '../../helpers/mcpClient.ts';
import { assertResumeLosesNothing } from '../../helpers/resume.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const V = '2025-11-25';
const init = (id = 1) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 't', version: '1' } },
  });

async function openSession(url: string): Promise<string> {
  const r = await rawPost(url, init());
  assert.equal(r.status, 200);
  return r.headers.get('mcp-session-id')!;
}

describe('sessions', () => {
  let server: RunningAgentServer;
  before(async () => {
    server = await serve(createTestAgent(), { maxSessions: 3, idleTimeoutMs: 60_000 });
  });
  after(() => server.close());

  test('a full table closes its least recently used idle session for a new one', async () => {
    const ids = [await openSession(server.url), await openSession(server.url), await openSession(server.url)];
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
    // Used last, the first is no longer the least recently used: the second gives way.
    assert.equal((await rawPost(server.url, ping, { 'mcp-session-id': ids[0]! })).status, 200);
    const fourth = await openSession(server.url);
    assert.equal(server.app.sessionCount(), 3);
    assert.equal((await rawPost(server.url, ping, { 'mcp-session-id': ids[1]! })).status, 404);
    for (const id of [ids[0]!, ids[2]!, fourth])
      assert.equal((await fetch(server.url, { method: 'DELETE', headers: { 'mcp-session-id': id } })).status, 200);
    assert.equal(server.app.sessionCount(), 0);
  });

  test('idle sessions expire and then answer 404; busy ones do not', async () => {
    const idle = await openSession(server.url);
    const expired = await server.app.expireIdleSessions(Date.now() + 61_000);
    assert.equal(expired, 1);
    const r = await rawPost(server.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }), { 'mcp-session-id': idle });
    assert.equal(r.status, 404);
  });

  test('a table full of busy sessions refuses with 503 and Retry-After; an idle one makes room', async () => {
    const ids = [await openSession(server.url), await openSession(server.url), await openSession(server.url)];
    // A client listening on GET keeps its session busy.
    const listening = ids.map((id) => {
      const controller = new AbortController();
      const response = fetch(server.url, {
        headers: { accept: 'text/event-stream', 'mcp-session-id': id, 'mcp-protocol-version': V },
        signal: controller.signal,
      });
      return { controller, response };
    });
    for (const { response } of listening) assert.equal((await response).status, 200);
    const refused = await rawPost(server.url, init());
    assert.equal(refused.status, 503);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.match(refused.text, /3 sessions are open/);
    listening[0]!.controller.abort();
    await (await listening[0]!.response).body?.cancel().catch(() => undefined);
    // The server notices the closed stream on its own time; poll the table, not a clock.
    while ((await rawPost(server.url, init())).status !== 200) await new Promise((resolve) => setImmediate(resolve));
    for (const { controller } of listening) controller.abort();
    await server.app.expireIdleSessions(Date.now() + 61_000);
  });

  test('one GET stream per session (409 for a second)', async () => {
    const id = await openSession(server.url);
    const headers = { accept: 'text/event-stream', 'mcp-session-id': id, 'mcp-protocol-version': V };
    const first = await fetch(server.url, { headers });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'text/event-stream');
    const second = await fetch(server.url, { headers });
    assert.equal(second.status, 409);
    await first.body?.cancel();
    await fetch(server.url, { method: 'DELETE', headers: { 'mcp-session-id': id } });
  });

  test('a client that loses its stream resumes with Last-Event-ID and loses nothing', async () => {
    await assertResumeLosesNothing(server.url);
  });

  test('the log level a client sets filters the messages it gets', async () => {
    const { client } = await connectStreamable(server.url);
    const levels: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n: LoggingMessageNotification) => void levels.push(n.params.level));
    await client.setLoggingLevel('info');
    await client.callTool({ name: 'count', arguments: { n: 2, delay_ms: 1 } });
    assert.deepEqual(levels, ['info', 'info']);
    await client.close();
    await server.app.expireIdleSessions(Date.now() + 61_000);
  });

  test('a cancelled call aborts its handler and is counted as cancelled', async () => {
    const { client } = await connectStreamable(server.url);
    const controller = new AbortController();
    const call = client.callTool({ name: 'count', arguments: { n: 200, delay_ms: 10 } }, undefined, {
      signal: controller.signal,
      onprogress: () => controller.abort(),
    });
    await assert.rejects(call, /abort/i);
    const deadline = Date.now() + 5000;
    while (!(await server.app.metrics.render()).includes('tool="count",outcome="cancelled"')) {
      assert.ok(Date.now() < deadline, 'the cancellation reached the server');
      await new Promise((resolve) => setImmediate(resolve));
    }
    await client.close();
    await server.app.expireIdleSessions(Date.now() + 61_000);
  });
});

describe('health, readiness, metrics', () => {
  test('report the agent, its sessions and its tool calls', async () => {
    const server = await serve(createTestAgent({ readiness: async () => ({ ready: true, store: 'memory' }) }));
    const { client } = await connectStreamable(server.url);
    await client.callTool({ name: 'echo', arguments: { text: 'a' } });
    await client.callTool({ name: 'fail', arguments: {} });
    const health = (await (await fetch(new URL('/healthz', server.url))).json()) as Record<string, unknown>;
    assert.deepEqual(health, { status: 'ok', agent: 'test', version: '1.0.0' });
    const ready = (await (await fetch(new URL('/readyz', server.url))).json()) as Record<string, unknown>;
    assert.equal(ready['ready'], true);
    assert.equal(ready['store'], 'memory');
    assert.equal(ready['sessions'], 1);
    const metrics = await (await fetch(new URL('/metrics', server.url))).text();
    assert.match(metrics, /mcp_tool_calls_total\{agent="test",tool="echo",outcome="ok"\} 1/);
    assert.match(metrics, /mcp_tool_calls_total\{agent="test",tool="fail",outcome="error"\} 1/);
    assert.match(metrics, /mcp_tool_call_duration_seconds_count\{agent="test",tool="echo"\} 1/);
    assert.match(metrics, /mcp_sessions_open\{agent="test"\} 1/);
    assert.match(metrics, /mcp_http_requests_total\{agent="test",method="POST",status="200"\} \d+/);
    await client.close();
    await server.close();
  });

  test('calls to tools the agent lacks share one metrics label (client-chosen names add no series)', async () => {
    const server = await serve(createTestAgent());
    const { client } = await connectStreamable(server.url);
    try {
      for (const name of ['made_up_1', 'made_up_2', 'made_up_3']) await client.callTool({ name, arguments: {} });
      const metrics = await (await fetch(new URL('/metrics', server.url))).text();
      assert.doesNotMatch(metrics, /made_up/);
      assert.match(metrics, /mcp_tool_calls_total\{agent="test",tool="\(unknown\)",outcome="error"\} 3/);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('an agent that is not ready answers 503 on /readyz', async () => {
    const server = await serve(createTestAgent({ readiness: async () => ({ ready: false, reason: 'database down' }) }));
    const r = await fetch(new URL('/readyz', server.url));
    assert.equal(r.status, 503);
    assert.equal(((await r.json()) as { reason: string }).reason, 'database down');
    await server.close();
  });
});

test('graceful shutdown lets an in-flight call finish, then refuses new connections', async () => {
  let closed = false;
  const server = await serve(createTestAgent({ close: async () => void (closed = true) }));
  const { client } = await connectStreamable(server.url);
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const call = client.callTool({ name: 'count', arguments: { n: 5, delay_ms: 20 } }, undefined, { onprogress: () => started() });
  await running;
  const closing = server.close(5000);
  const result = await call;
  assert.deepEqual(result.structuredContent, { counted: 5 });
  await closing;
  assert.equal(closed, true, "the agent's resources were released");
  await assert.rejects(fetch(server.url, { method: 'POST' }));
});
