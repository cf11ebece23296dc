import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningAgentServer } from '../../../src/mcp/index.ts';
import { cleanupAfter } from '../../helpers/cleanup.ts';
import { connectStreamable, rawPost, serve } from '../../helpers/mcpClient.ts';
import { MODERN_META, MODERN_PROTOCOL_VERSION, connectModern, modernHeaders } from '../../helpers/modernClient.ts';
import { startRoundRobin } from '../../helpers/roundRobin.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

type Answer = {
  jsonrpc: '2.0';
  id: number | string | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
};
type ToolResult = { isError?: boolean; structuredContent?: Record<string, unknown>; content: { type: string; text?: string }[] };

const call = (id: number, name: string, args: Record<string, unknown>, meta: Record<string, unknown> = MODERN_META) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: meta } });
const list = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list', params: { _meta: MODERN_META } });

/** The one JSON-RPC answer of a POST, whether it came as JSON or as the last event of an SSE stream. */
function answerOf(text: string): Answer {
  if (text.startsWith('{')) return JSON.parse(text) as Answer;
  const events = text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line.length > 6)
    .map((line) => JSON.parse(line.slice(6)) as Answer);
  return events.at(-1)!;
}

describe('MCP 2026-07-28 beside 2025-11-25 on one /mcp', () => {
  const cleanup = cleanupAfter();
  let server: RunningAgentServer;
  /** The same agent with every 2026-07-28 request through the SDK v2 handler: what the fast path must match. */
  let viaSdk: RunningAgentServer;
  before(async () => {
    [server, viaSdk] = await Promise.all([
      cleanup.start(serve(createTestAgent())),
      cleanup.start(serve(createTestAgent(), { modernFastPath: false })),
    ]);
  });
  after(() => cleanup.close());

  test('server/discover answers without a session: the supported revision, capabilities, instructions', async () => {
    const response = await rawPost(
      server.url,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: MODERN_META } }),
      modernHeaders('server/discover'),
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('mcp-session-id'), null, 'no session in the 2026 era');
    const { result } = answerOf(response.text);
    assert.deepEqual(result?.['supportedVersions'], [MODERN_PROTOCOL_VERSION]);
    assert.deepEqual((result?.['capabilities'] as { tools?: unknown }).tools, { listChanged: true });
    assert.equal(result?.['instructions'], 'A test agent.');
    assert.equal(result?.['resultType'], 'complete');
  });

  test('results carry resultType and serverInfo; list results carry the cache hints ttlMs and cacheScope', async () => {
    const listed = answerOf((await rawPost(server.url, list(1), modernHeaders('tools/list'))).text).result!;
    assert.equal(listed['resultType'], 'complete');
    assert.equal(typeof listed['ttlMs'], 'number');
    assert.ok(['private', 'public'].includes(listed['cacheScope'] as string), String(listed['cacheScope']));
    assert.deepEqual((listed['_meta'] as Record<string, unknown>)['io.modelcontextprotocol/serverInfo'], {
      name: 'test',
      version: '1.0.0',
    });
    const called = answerOf((await rawPost(server.url, call(2, 'echo', { text: 'hi' }), modernHeaders('tools/call', 'echo'))).text).result!;
    assert.equal(called['resultType'], 'complete');
    assert.deepEqual(called['structuredContent'], { text: 'hi' });
    assert.deepEqual((called['_meta'] as Record<string, unknown>)['io.modelcontextprotocol/serverInfo'], {
      name: 'test',
      version: '1.0.0',
    });
  });

  test("the kit's own answers are the SDK v2 handler's answers", async () => {
    const cases: [string, string, Record<string, string>][] = [
      ['tools/list', list(1), modernHeaders('tools/list')],
      ['echo', call(2, 'echo', { text: 'same' }), modernHeaders('tools/call', 'echo')],
      ['a tool error', call(3, 'fail', {}), modernHeaders('tools/call', 'fail')],
      ['an unexpected error', call(4, 'boom', {}), modernHeaders('tools/call', 'boom')],
      [
        'progress and logs at the level the request names',
        call(5, 'count', { n: 2, delay_ms: 1 }, { ...MODERN_META, progressToken: 'p', 'io.modelcontextprotocol/logLevel': 'info' }),
        modernHeaders('tools/call', 'count'),
      ],
    ];
    for (const [label, body, headers] of cases) {
      const [kit, sdk] = await Promise.all([rawPost(server.url, body, headers), rawPost(viaSdk.url, body, headers)]);
      assert.equal(kit.status, sdk.status, label);
      assert.equal(kit.headers.get('content-type'), sdk.headers.get('content-type'), label);
      assert.deepEqual(answerOf(kit.text), answerOf(sdk.text), label);
      const events = (text: string) =>
        text
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => JSON.parse(line.slice(6)));
      assert.deepEqual(events(kit.text), events(sdk.text), `${label}: the same events`);
    }
  });

  test('a request naming no log level gets no log messages (2026-07-28 has no logging/setLevel)', async () => {
    const response = await rawPost(
      server.url,
      call(1, 'count', { n: 2, delay_ms: 1 }, { ...MODERN_META, progressToken: 9 }),
      modernHeaders('tools/call', 'count'),
    );
    assert.doesNotMatch(response.text, /notifications\/message/);
    assert.match(response.text, /notifications\/progress/);
  });

  test('an Mcp-Method or Mcp-Name header that disagrees with the body is refused with -32020 (HTTP 400)', async () => {
    for (const headers of [
      modernHeaders('tools/list', 'echo'),
      modernHeaders('tools/call', 'fail'),
      { 'mcp-protocol-version': MODERN_PROTOCOL_VERSION },
    ]) {
      const response = await rawPost(server.url, call(7, 'echo', { text: 'x' }), headers);
      assert.equal(response.status, 400, JSON.stringify(headers));
      const { error, id } = answerOf(response.text);
      assert.equal(error?.code, -32020, response.text);
      assert.match(error!.message, /header/i);
      assert.equal(id, 7);
    }
  });

  test('an unsupported protocol version is refused with -32022 naming the supported ones; a 2025 session is not affected', async () => {
    const body = call(8, 'echo', { text: 'x' }, { ...MODERN_META, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' });
    const response = await rawPost(server.url, body, { ...modernHeaders('tools/call', 'echo'), 'mcp-protocol-version': '2099-01-01' });
    assert.equal(response.status, 400);
    const { error } = answerOf(response.text);
    assert.equal(error?.code, -32022);
    assert.deepEqual(error?.data, { supported: [MODERN_PROTOCOL_VERSION], requested: '2099-01-01' });
    // A modern header on a request without the envelope: the envelope is missing, said so.
    const bare = await rawPost(server.url, JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }), modernHeaders('tools/list'));
    assert.equal(bare.status, 400);
    assert.equal(answerOf(bare.text).error?.code, -32602);
    const { client } = await connectStreamable(server.url);
    assert.equal(
      ((await client.callTool({ name: 'echo', arguments: { text: 'still' } })) as ToolResult).structuredContent?.['text'],
      'still',
    );
    await client.close();
  });

  test('malformed params of a 2026-07-28 call are -32602 in words a person can act on, as in the 2025 era', async () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 11,
      method: 'tools/call',
      params: { name: 'echo', arguments: 'text', _meta: MODERN_META },
    });
    const response = await rawPost(server.url, body, modernHeaders('tools/call', 'echo'));
    assert.equal(response.status, 200);
    const { error, id } = answerOf(response.text);
    assert.equal(id, 11);
    assert.equal(error?.code, -32602);
    assert.equal(error?.message, 'Invalid params for tools/call: params.arguments: Invalid input: expected record, received string');
    const envelope = { ...MODERN_META, 'io.modelcontextprotocol/clientCapabilities': 'all' };
    const bad = await rawPost(server.url, call(12, 'echo', { text: 'x' }, envelope), modernHeaders('tools/call', 'echo'));
    assert.equal(bad.status, 400, 'a malformed envelope is refused before anything runs');
    assert.match(answerOf(bad.text).error?.message ?? '', /clientCapabilities/);
  });

  test('every malformed 2026-07-28 request is answered, none with a 5xx', { timeout: 20_000 }, async () => {
    const meta = JSON.stringify(MODERN_META);
    const bodies = [
      `{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"_meta":[]}}`,
      `{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"_meta":{"progressToken":1.5,${meta.slice(1)}}}`,
      `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"_meta":${meta}}}`,
      `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"nope","arguments":{},"_meta":${meta}}}`,
      `{"jsonrpc":"2.0","id":7,"method":"subscriptions/listen","params":{"_meta":${meta}}}`,
      `{"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"a","version":"1"},"_meta":${meta}}}`,
      `{"jsonrpc":"2.0","id":7,"method":"ping","params":{"_meta":${meta}}}`,
      `{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":null}}}`,
    ];
    for (const body of bodies) {
      const method = (JSON.parse(body) as { method: string }).method;
      const response = await rawPost(server.url, body, modernHeaders(method, method === 'tools/call' ? 'nope' : undefined));
      assert.ok(response.status < 500, `${response.status} for ${body}`);
      const answer = answerOf(response.text);
      assert.ok(answer.error, `an error for ${body}: ${response.text}`);
      assert.ok(answer.error.message.length > 10, body);
      assert.equal(answer.id, 7, body);
    }
    const { client } = await connectStreamable(server.url);
    assert.ok((await client.listTools()).tools.length > 0, 'still healthy');
    await client.close();
  });

  test('subscriptions/listen tells a 2026-07-28 client that the tool list changed', async () => {
    const client = await connectModern(server.url);
    try {
      let notified!: () => void;
      const changed = new Promise<void>((resolve) => (notified = resolve));
      client.setNotificationHandler('notifications/tools/list_changed', () => notified());
      const subscription = await client.listen({ toolsListChanged: true });
      assert.equal(subscription.honoredFilter.toolsListChanged, true);
      server.app.toolsChanged();
      await changed;
      await subscription.close();
      assert.equal(await subscription.closed, 'local');
    } finally {
      await client.close();
    }
  });

  test('the same security in both eras: bearer token, Origin, body cap', async () => {
    const guarded = await cleanup.start(serve(createTestAgent(), { authTokens: { alice: 'secret-token' }, maxBodyBytes: 4096 }));
    const headers = modernHeaders('tools/call', 'echo');
    assert.equal((await rawPost(guarded.url, call(1, 'echo', { text: 'x' }), headers)).status, 401);
    const authorized = { ...headers, authorization: 'Bearer secret-token' };
    assert.equal(
      (await rawPost(guarded.url, call(2, 'echo', { text: 'x' }), { ...authorized, origin: 'https://evil.example' })).status,
      403,
    );
    assert.equal((await rawPost(guarded.url, call(3, 'echo', { text: 'x'.repeat(10_000) }), authorized)).status, 413);
    const whoami = answerOf((await rawPost(guarded.url, call(4, 'whoami', {}), { ...authorized, 'mcp-name': 'whoami' })).text);
    assert.match(JSON.stringify(whoami.result), /alice/);
    const client = await connectModern(guarded.url, { authorization: 'Bearer secret-token' });
    assert.ok((await client.listTools()).tools.length > 0);
    await client.close();
  });

  test('a stateless agent serves the 2026-07-28 era too', async () => {
    const stateless = await cleanup.start(serve(createTestAgent(), { stateless: true }));
    const client = await connectModern(stateless.url);
    const result = (await client.callTool({ name: 'echo', arguments: { text: 'no session' } })) as ToolResult;
    assert.deepEqual(result.structuredContent, { text: 'no session' });
    await client.close();
  });
});

describe('2026-07-28 behind a round-robin balancer: any replica serves any request, with nothing shared', () => {
  const cleanup = cleanupAfter();
  after(() => cleanup.close());

  test('a pinned 2026 client spreads its calls over three replicas with no errors, and outlives one of them', async () => {
    const replicas = await Promise.all([0, 1, 2].map(() => cleanup.start(serve(createTestAgent()))));
    const balancer = await cleanup.start(startRoundRobin(replicas.map((r) => r.url)));
    const client = await connectModern(balancer.url);
    try {
      for (let i = 0; i < 30; i++) {
        const result = (await client.callTool({ name: 'echo', arguments: { text: `call ${i}` } })) as ToolResult;
        assert.deepEqual(result.structuredContent, { text: `call ${i}` });
      }
      assert.deepEqual([...new Set(balancer.servedBy)].sort(), [0, 1, 2], 'every replica served some');
      assert.equal(
        replicas.reduce((sum, r) => sum + r.app.sessionCount(), 0),
        0,
        'and none holds a session',
      );
      await replicas[1]!.close();
      for (let i = 0; i < 6; i++) assert.equal((await client.listTools()).tools.length > 0, true);
    } finally {
      await client.close();
    }
  });
});
