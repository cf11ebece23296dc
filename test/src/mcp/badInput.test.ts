import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { RunningAgentServer } from '../../../src/mcp/index.ts';
import { connectStreamable, rawPost, serve } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});
const CALL = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } });

/** A JSON-RPC error body, never HTML, never a stack. */
function assertJsonRpcError(text: string, code?: number, id: number | null = null): { message: string } {
  const body = JSON.parse(text) as { jsonrpc: string; id: number | null; error: { code: number; message: string } };
  assert.equal(body.jsonrpc, '2.0');
  assert.equal(body.id, id);
  if (code !== undefined) assert.equal(body.error.code, code);
  assert.doesNotMatch(body.error.message, /\n\s+at /);
  return body.error;
}

/** A request with headers fetch() will not let us forge (Host). */
function rawRequest(
  url: string,
  options: { method?: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('bad input gets a clear 4xx and the server stays healthy', () => {
  let server: RunningAgentServer;
  let sessionId: string;
  before(async () => {
    server = await serve(createTestAgent(), { maxBodyBytes: 64 * 1024 });
    const init = await rawPost(server.url, INIT);
    sessionId = init.headers.get('mcp-session-id')!;
  });
  after(() => server.close());
  const withSession = () => ({ 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });

  test('malformed JSON: 400 parse error', async () => {
    const r = await rawPost(server.url, '{"jsonrpc":"2.0", "id": 1, "method": ', withSession());
    assert.equal(r.status, 400);
    assertJsonRpcError(r.text, -32700);
  });

  test('JSON that is not JSON-RPC: 400 invalid request', async () => {
    for (const [body, id] of [
      ['42', null],
      ['"hello"', null],
      ['{"hello":"world"}', null],
      ['{"jsonrpc":"1.0","id":1,"method":"ping"}', 1],
      ['{"jsonrpc":"2.0","id":{},"method":"ping"}', null],
      ['{"jsonrpc":"2.0","id":1.5,"method":"ping"}', null],
      ['[]', null],
    ] as const) {
      const r = await rawPost(server.url, body, withSession());
      assert.equal(r.status, 400, body);
      assertJsonRpcError(r.text, -32600, id);
    }
  });

  test('a batch is refused (batching was removed in 2025-06-18)', async () => {
    const r = await rawPost(server.url, `[${CALL},${CALL}]`, withSession());
    assert.equal(r.status, 400);
    assert.match(assertJsonRpcError(r.text, -32600).message, /batch/);
  });

  test('wrong Content-Type: 415; wrong Accept: 406', async () => {
    const r1 = await rawPost(server.url, CALL, { ...withSession(), 'content-type': 'text/plain' });
    assert.equal(r1.status, 415);
    assertJsonRpcError(r1.text);
    const r2 = await rawPost(server.url, CALL, { ...withSession(), accept: 'application/json' });
    assert.equal(r2.status, 406);
    assertJsonRpcError(r2.text);
    const r3 = await fetch(server.url, { headers: { ...withSession(), accept: 'application/json' } });
    assert.equal(r3.status, 406);
  });

  test('an unsupported MCP-Protocol-Version: 400', async () => {
    const r = await rawPost(server.url, CALL, { ...withSession(), 'mcp-protocol-version': '1999-01-01' });
    assert.equal(r.status, 400);
    assert.match(assertJsonRpcError(r.text).message, /1999-01-01/);
  });

  test('missing session id: 400; unknown session: 404', async () => {
    const r1 = await rawPost(server.url, CALL);
    assert.equal(r1.status, 400);
    assertJsonRpcError(r1.text);
    const r2 = await rawPost(server.url, CALL, { 'mcp-session-id': 'f'.repeat(32) });
    assert.equal(r2.status, 404);
    assertJsonRpcError(r2.text, -32001);
    const r3 = await fetch(server.url, { method: 'DELETE', headers: { 'mcp-session-id': 'nope' } });
    assert.equal(r3.status, 404);
  });

  test('an oversized body: 413, as JSON', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'x'.repeat(100_000) } },
    });
    const r = await rawPost(server.url, big, withSession());
    assert.equal(r.status, 413);
    assert.match(assertJsonRpcError(r.text).message, /65536-byte limit/);
  });

  test('a foreign Host or Origin: 403 (DNS rebinding)', async () => {
    const port = new URL(server.url).port;
    const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const host = await rawRequest(server.url, { headers: { ...base, host: `evil.example:${port}` }, body: INIT });
    assert.equal(host.status, 403);
    assertJsonRpcError(host.text);
    const origin = await rawRequest(server.url, {
      headers: { ...base, host: `127.0.0.1:${port}`, origin: 'http://evil.example' },
      body: INIT,
    });
    assert.equal(origin.status, 403);
    const local = await rawRequest(server.url, {
      headers: { ...base, host: `localhost:${port}`, origin: 'http://localhost:6274' },
      body: INIT,
    });
    assert.equal(local.status, 200, 'a loopback origin (the MCP Inspector) is allowed');
  });

  test('wrongly typed arguments: a tool error the model can read, not a protocol failure', async () => {
    const r = await rawPost(
      server.url,
      JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'count', arguments: { n: 'three' } } }),
      withSession(),
    );
    assert.equal(r.status, 200);
    const body = JSON.parse(r.text) as { id: number; result: { isError: boolean; content: { text: string }[] } };
    assert.equal(body.id, 9);
    assert.equal(body.result.isError, true);
    assert.match(body.result.content[0]!.text, /n/);
  });

  test('unknown routes and methods answer JSON', async () => {
    const r1 = await fetch(new URL('/nope', server.url));
    assert.equal(r1.status, 404);
    assertJsonRpcError(await r1.text());
    const r2 = await fetch(server.url, { method: 'PUT', headers: withSession() });
    assert.equal(r2.status, 405);
    assert.equal(r2.headers.get('allow'), 'GET, POST, DELETE');
  });

  test('after all that, the server is healthy and serves calls', async () => {
    const health = await fetch(new URL('/healthz', server.url));
    assert.equal(health.status, 200);
    const { client } = await connectStreamable(server.url);
    const result = await client.callTool({ name: 'echo', arguments: { text: 'still here' } });
    assert.deepEqual(result.structuredContent, { text: 'still here' });
    await client.close();
  });
});

describe('bearer token', () => {
  let server: RunningAgentServer;
  before(async () => {
    server = await serve(createTestAgent(), { authTokens: { alice: 'alice-secret-token', bob: 'bob-secret-token' } });
  });
  after(() => server.close());

  test('missing or wrong token: 401 with WWW-Authenticate; health needs none', async () => {
    const missing = await rawPost(server.url, INIT);
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer realm="test"$/);
    assertJsonRpcError(missing.text);
    const wrong = await rawPost(server.url, INIT, { authorization: 'Bearer alice-secret-tokem' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /invalid_token/);
    assert.equal((await fetch(new URL('/metrics', server.url))).status, 401);
    assert.equal((await fetch(new URL('/sse', server.url))).status, 401);
    assert.equal((await fetch(new URL('/healthz', server.url))).status, 200);
  });

  test('a session stays bound to the identity that opened it', async () => {
    const { client, transport } = await connectStreamable(server.url, { authorization: 'Bearer alice-secret-token' });
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    assert.equal((who.structuredContent as { subject: string }).subject, 'alice');
    const stolen = await rawPost(server.url, CALL, { authorization: 'Bearer bob-secret-token', 'mcp-session-id': transport.sessionId! });
    assert.equal(stolen.status, 404, "bob cannot use alice's session, nor learn that it exists");
    const hers = await client.callTool({ name: 'echo', arguments: { text: 'mine' } });
    assert.deepEqual(hers.structuredContent, { text: 'mine' });
    await client.close();
  });
});
