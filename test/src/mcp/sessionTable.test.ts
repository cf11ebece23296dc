import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AgentServerOptions, RunningAgentServer } from '../../../src/mcp/index.ts';
import { rawPost, serve } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const V = '2025-11-25';
const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 't', version: '1' } },
});
const PING = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
const SLEEP = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'sleep', arguments: { ms: 60_000 } } });

async function withServer(options: Partial<AgentServerOptions>, body: (server: RunningAgentServer) => Promise<void>): Promise<void> {
  const server = await serve(createTestAgent(), options);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

async function open(url: string, headers: Record<string, string> = {}): Promise<string> {
  const r = await rawPost(url, INIT, headers);
  assert.equal(r.status, 200, r.text);
  return r.headers.get('mcp-session-id')!;
}

/** `count` sessions, `parallel` at a time, each from the headers `headersOf(i)` gives. */
async function openMany(url: string, count: number, headersOf: (i: number) => Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, (_, j) => open(url, headersOf(i + j)));
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}

const ping = (url: string, id: string, headers: Record<string, string> = {}) =>
  rawPost(url, PING, { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': V });

/** The one JSON-RPC message of a response, sent as JSON or as the last SSE event. */
function answerOf(text: string): { id: number; error?: { code: number; message: string } } {
  const data = text.split('\n').filter((line) => line.startsWith('data: {'));
  return JSON.parse(data.length > 0 ? data.at(-1)!.slice(6) : text) as { id: number; error?: { code: number; message: string } };
}

describe('regression: the session table cannot be exhausted (issue 9)', () => {
  test('1,000 idle sessions never DELETEd from 1,000 addresses: a new client still gets one', async () => {
    await withServer({ trustedProxies: ['127.0.0.1'] }, async (server) => {
      const from = (i: number) => ({ 'x-forwarded-for': `10.0.${i >> 8}.${i & 255}` });
      const ids = await openMany(server.url, 1000, from);
      assert.equal(server.app.sessionCount(), 1000);
      assert.equal((await ping(server.url, ids[999]!)).status, 200); // used: no longer among the least recent
      const newcomer = await open(server.url, { 'x-forwarded-for': '192.0.2.1' });
      assert.equal((await ping(server.url, newcomer)).status, 200);
      assert.equal(server.app.sessionCount(), 1000, 'the cap holds');
      assert.equal((await ping(server.url, ids[0]!)).status, 404, 'the least recently used idle session gave way');
      assert.equal((await ping(server.url, ids[999]!)).status, 200);
    });
  });

  test('one client opening 1,000 sessions holds at most the per-client cap; others are unaffected', async () => {
    await withServer({ trustedProxies: ['127.0.0.1'] }, async (server) => {
      const bystander = await open(server.url, { 'x-forwarded-for': '192.0.2.7' });
      const ids = await openMany(server.url, 1000, () => ({ 'x-forwarded-for': '203.0.113.9' }));
      assert.equal(server.app.sessionCount(), 101, '100 (the default per-client cap) plus the bystander');
      assert.equal((await ping(server.url, ids[0]!)).status, 404);
      assert.equal((await ping(server.url, ids[999]!)).status, 200);
      assert.equal((await ping(server.url, bystander)).status, 200);
    });
  });

  test('the per-identity cap holds per token; busy sessions are not evicted (429)', async () => {
    const tokens = { alice: 'alice-secret-token', bob: 'bob-secret-token' };
    await withServer({ authTokens: tokens, maxSessionsPerClient: 2, requestTimeoutMs: 60_000 }, async (server) => {
      const alice = { authorization: `Bearer ${tokens.alice}` };
      const bob = { authorization: `Bearer ${tokens.bob}` };
      const bobs = await open(server.url, bob);
      const [a1, a2] = [await open(server.url, alice), await open(server.url, alice)];
      const a3 = await open(server.url, alice);
      assert.equal((await ping(server.url, a1, alice)).status, 404, "alice's own oldest idle session gave way");
      assert.equal((await ping(server.url, bobs, bob)).status, 200, "bob's session is not alice's to evict");
      // Both of alice's sessions busy with a call: nothing of hers to evict.
      const calls = [a2, a3].map((id) => rawPost(server.url, SLEEP, { ...alice, 'mcp-session-id': id, 'mcp-protocol-version': V }));
      while (server.app.kitTables().requestsInFlight < 2) await new Promise((resolve) => setImmediate(resolve));
      const refused = await rawPost(server.url, INIT, alice);
      assert.equal(refused.status, 429, refused.text);
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      await server.app.expireIdleSessions(Date.now() + 25 * 60 * 60_000); // past the hard lifetime: closes busy ones too
      for (const call of calls) assert.match(answerOf((await call).text).error?.message ?? '', /session was closed/);
    });
  });

  test('X-Forwarded-For from an untrusted peer is ignored: a client cannot pick its own address', async () => {
    await withServer({ maxSessionsPerClient: 2 }, async (server) => {
      const ids = await openMany(server.url, 3, (i) => ({ 'x-forwarded-for': `10.9.9.${i}` }));
      assert.equal(server.app.sessionCount(), 2);
      assert.equal((await ping(server.url, ids[0]!)).status, 404);
    });
  });
});

describe('regression: a busy session still ends, and a request nothing answers gets an error (issue 9)', () => {
  test('a call no handler answers in time gets a JSON-RPC error and its session can expire', { timeout: 20_000 }, async () => {
    await withServer({ requestTimeoutMs: 200, idleTimeoutMs: 60_000 }, async (server) => {
      const id = await open(server.url);
      const r = await rawPost(server.url, SLEEP, { 'mcp-session-id': id, 'mcp-protocol-version': V });
      assert.equal(r.status, 200);
      const answer = answerOf(r.text);
      assert.equal(answer.id, 3);
      assert.equal(answer.error?.code, -32000);
      assert.match(answer.error?.message ?? '', /no answer within 0\.2 s/);
      assert.equal(await server.app.expireIdleSessions(Date.now() + 61_000), 1, 'nothing pending keeps it busy');
    });
  });

  test('a busy session is closed at its hard lifetime, its pending call answered', { timeout: 20_000 }, async () => {
    await withServer({ sessionLifetimeMs: 60_000, idleTimeoutMs: 120_000 }, async (server) => {
      const id = await open(server.url);
      const call = rawPost(server.url, SLEEP, { 'mcp-session-id': id, 'mcp-protocol-version': V });
      // Wait until the call is in flight (the session is busy), by the table's own count.
      while (server.app.kitTables().requestsInFlight === 0) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(await server.app.expireIdleSessions(Date.now() + 30_000), 0, 'busy, within its lifetime');
      assert.equal(await server.app.expireIdleSessions(Date.now() + 61_000), 1, 'busy, past its lifetime');
      assert.match(answerOf((await call).text).error?.message ?? '', /session was closed/);
      assert.equal((await ping(server.url, id)).status, 404);
    });
  });
});

describe('regression: an expired session leaves nothing behind (issue 9, ~21 KB each)', () => {
  test("after expiry the kit's tables are empty: sessions, clients, event streams, timers", async () => {
    await withServer({ trustedProxies: ['127.0.0.1'] }, async (server) => {
      const COUNT = JSON.stringify({
        jsonrpc: '2.0',
        id: 4,
        method: 'tools/call',
        params: { name: 'count', arguments: { n: 2, delay_ms: 0 }, _meta: { progressToken: 'p' } },
      });
      for (let i = 0; i < 20; i++) {
        const headers = { 'x-forwarded-for': `10.1.0.${i}` };
        const id = await open(server.url, headers);
        // Progress makes the answer a stored stream with a resume window: a timer per stream.
        const r = await rawPost(server.url, COUNT, { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': V });
        assert.match(r.headers.get('content-type') ?? '', /text\/event-stream/);
      }
      const busy = server.app.kitTables();
      assert.equal(busy.sessions, 20);
      assert.equal(busy.clients, 20);
      assert.ok(busy.eventStreams >= 20, 'each streamed answer was stored');
      assert.ok(busy.timers >= 20, 'each finished stream has its resume window');
      assert.equal(await server.app.expireIdleSessions(Date.now() + 31 * 60_000), 20);
      assert.deepEqual(server.app.kitTables(), {
        sessions: 0,
        clients: 0,
        requestsInFlight: 0,
        backstopWatched: 0,
        eventStreams: 0,
        slowAnswersWatched: 0,
        timers: 0,
      });
    });
  });
});
