import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LoggingMessageNotificationSchema, type LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { connectStreamable, rawPost } from '../../helpers/mcpClient.ts';
import { startReplicas, type ReplicaSet } from '../../helpers/replicas.ts';
import { startRoundRobin, type RoundRobin } from '../../helpers/roundRobin.ts';
import { sseReader } from '../../helpers/sse.ts';

const V = '2025-11-25';
const headersOf = (id: string) => ({ 'mcp-session-id': id, 'mcp-protocol-version': V });
const init = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: V, capabilities: { roots: {} }, clientInfo: { name: 'raw', version: '1' } },
});
const call = (id: number, name: string, args: Record<string, unknown>, meta?: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) } });

async function open(url: string, headers: Record<string, string> = {}): Promise<string> {
  const r = await rawPost(url, init, headers);
  assert.equal(r.status, 200, r.text);
  return r.headers.get('mcp-session-id')!;
}

function listen(url: string, id: string, extra: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = fetch(url, { headers: { accept: 'text/event-stream', ...headersOf(id), ...extra }, signal: controller.signal });
  return { response, stop: () => controller.abort() };
}

describe('2025-11-25 sessions across replicas (Redis)', () => {
  let cluster: ReplicaSet;
  let balancer: RoundRobin;
  before(async () => {
    cluster = await startReplicas(3, { authTokens: { alice: 'token-a', bob: 'token-b' }, streamAfterMs: 50 });
    balancer = await startRoundRobin(cluster.urls);
  });
  after(async () => {
    await balancer?.close();
    await cluster?.close();
  });
  const alice = { authorization: 'Bearer token-a' };

  test('one session, many calls spread over every replica by a round-robin balancer: 0 errors (SDK v1 client)', async () => {
    const { client } = await connectStreamable(balancer.url, alice);
    try {
      const before = balancer.servedBy.length;
      const sessions = new Set<string>();
      for (let i = 0; i < 60; i++) {
        const result = await client.callTool({ name: i % 2 ? 'echo' : 'whoami', arguments: i % 2 ? { text: `n${i}` } : {} });
        assert.equal(result.isError, undefined, JSON.stringify(result));
        if (i % 2) assert.deepEqual(result.structuredContent, { text: `n${i}` });
        else sessions.add((result.structuredContent as { session: string }).session);
      }
      assert.equal(sessions.size, 1, 'every replica served the same session');
      assert.deepEqual(new Set(balancer.servedBy.slice(before)), new Set([0, 1, 2]), 'the calls reached every replica');
      const tools = await client.listTools();
      assert.ok(tools.tools.some((t) => t.name === 'announce'));
    } finally {
      await client.close();
    }
  });

  test('a session rebuilt elsewhere keeps its identity, client capabilities and log level', async () => {
    const [a, b, c] = cluster.urls as [string, string, string];
    const id = await open(a, alice);
    // Another subject cannot use it on any replica: answered as unknown.
    const bob = await rawPost(b, call(2, 'whoami', {}), { ...headersOf(id), authorization: 'Bearer token-b' });
    assert.equal(bob.status, 404);
    const who = await rawPost(b, call(3, 'whoami', {}), { ...headersOf(id), ...alice });
    assert.equal(who.status, 200);
    assert.equal(JSON.parse(who.text).result.structuredContent.subject, 'alice');
    const onC = cluster.replicas[2]!.server.app;
    const held = onC.sessionCount();
    const rebuilt = await rawPost(c, JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'ping' }), { ...headersOf(id), ...alice });
    assert.equal(rebuilt.status, 200);
    assert.equal(onC.sessionCount(), held + 1, 'replica C rebuilt it');
    // The level set through A filters the logs of a call on B.
    const level = await rawPost(a, JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'logging/setLevel', params: { level: 'info' } }), {
      ...headersOf(id),
      ...alice,
    });
    assert.equal(level.status, 200, level.text);
    const counted = await rawPost(b, call(6, 'count', { n: 2, delay_ms: 1 }, { progressToken: 'p' }), { ...headersOf(id), ...alice });
    const levels = [...counted.text.matchAll(/"level":"(\w+)"/g)].map((m) => m[1]);
    assert.deepEqual(levels, ['info', 'info']);
    // DELETE through C ends it on every replica, those holding a copy included.
    assert.equal((await fetch(c, { method: 'DELETE', headers: { ...headersOf(id), ...alice } })).status, 200);
    for (const url of cluster.urls) assert.equal((await rawPost(url, call(7, 'whoami', {}), { ...headersOf(id), ...alice })).status, 404);
  });

  test('the GET stream on replica A receives what a call on replica B sends the session, and resumes on C', async () => {
    const [a, b, c] = cluster.urls as [string, string, string];
    const id = await open(a, alice);
    const get = listen(a, id, alice);
    const response = await get.response;
    assert.equal(response.status, 200);
    const events = sseReader(response.body!);
    const priming = await events.next();
    assert.equal(priming?.data, '');
    const announced = await rawPost(b, call(2, 'announce', { text: 'hello from B' }), { ...headersOf(id), ...alice });
    assert.equal(announced.status, 200, announced.text);
    const event = (await events.next())!;
    const message = LoggingMessageNotificationSchema.parse(JSON.parse(event.data)) as LoggingMessageNotification;
    assert.equal(message.params.data, 'hello from B');
    get.stop();

    // The client comes back on C with the last id it saw; messages sent meanwhile from B reach it there.
    const resumed = listen(c, id, { ...alice, 'last-event-id': event.id! });
    const again = await resumed.response;
    assert.equal(again.status, 200);
    const rest = sseReader(again.body!);
    await rawPost(b, call(3, 'announce', { text: 'still there?' }), { ...headersOf(id), ...alice });
    const next = (await rest.next())!;
    assert.equal(JSON.parse(next.data).params.data, 'still there?');
    assert.notEqual(next.id, event.id);
    resumed.stop();
  });

  test('Last-Event-ID resumes a POST stream of replica B on replica C with nothing lost', async () => {
    const [a, b, c] = cluster.urls as [string, string, string];
    const id = await open(a, alice);
    const controller = new AbortController();
    const response = await fetch(b, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headersOf(id), ...alice },
      body: call(9, 'count', { n: 6, delay_ms: 40 }, { progressToken: 'p' }),
      signal: controller.signal,
    });
    const reader = sseReader(response.body!);
    let lastId = (await reader.next())!.id!;
    const progress: number[] = [];
    while (progress.length < 2) {
      const event = (await reader.next())!;
      const parsed = JSON.parse(event.data) as { method?: string; params?: { progress: number } };
      if (parsed.method === 'notifications/progress') progress.push(parsed.params!.progress);
      lastId = event.id!;
    }
    controller.abort();
    const resumed = await fetch(c, { headers: { accept: 'text/event-stream', ...headersOf(id), ...alice, 'last-event-id': lastId } });
    assert.equal(resumed.status, 200);
    const rest = sseReader(resumed.body!);
    let result: { counted: number } | undefined;
    for (let event = await rest.next(); event; event = await rest.next()) {
      const parsed = JSON.parse(event.data) as {
        method?: string;
        params?: { progress: number };
        id?: number;
        result?: { structuredContent: { counted: number } };
      };
      if (parsed.method === 'notifications/progress') progress.push(parsed.params!.progress);
      if (parsed.id === 9) result = parsed.result!.structuredContent;
    }
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6], 'every progress event exactly once, in order');
    assert.deepEqual(result, { counted: 6 });
    // An id of another session's stream is refused, on any replica.
    const other = await open(b, alice);
    const foreign = await fetch(a, { headers: { accept: 'text/event-stream', ...headersOf(other), ...alice, 'last-event-id': lastId } });
    assert.equal(foreign.status, 400);
    await foreign.text();
  });
});

describe('a stream followed on another replica when its session ends', () => {
  test('the follower answers the call with an error instead of waiting forever', async () => {
    const cluster = await startReplicas(3, { streamAfterMs: 50 });
    try {
      const [a, b, c] = cluster.urls as [string, string, string];
      const id = await open(a);
      const controller = new AbortController();
      const response = await fetch(b, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headersOf(id) },
        body: call(5, 'sleep', { ms: 30_000 }),
        signal: controller.signal,
      });
      const priming = (await sseReader(response.body!).next())!;
      controller.abort();
      const resumed = await fetch(c, { headers: { accept: 'text/event-stream', ...headersOf(id), 'last-event-id': priming.id! } });
      assert.equal(resumed.status, 200);
      assert.equal((await fetch(a, { method: 'DELETE', headers: headersOf(id) })).status, 200);
      const body = await resumed.text(); // ends with the error
      const final = JSON.parse(
        body
          .split('\n')
          .filter((l) => l.startsWith('data: {'))
          .at(-1)!
          .slice(6),
      ) as {
        id: number;
        error: { message: string };
      };
      assert.equal(final.id, 5);
      assert.match(final.error.message, /session was closed/);
    } finally {
      await cluster.close();
    }
  });
});

describe('session caps and idle expiry hold cluster-wide', () => {
  let cluster: ReplicaSet;
  before(async () => {
    cluster = await startReplicas(2, { maxSessions: 2, maxSessionsPerClient: 10, idleTimeoutMs: 400, heartbeatMs: 100 });
  });
  after(() => cluster?.close());

  test('a full cluster evicts its least recently used idle session (wherever it lives); all busy: 503', async () => {
    const [a, b] = cluster.urls as [string, string];
    const first = await open(a);
    const second = await open(b);
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
    assert.equal((await rawPost(b, ping, headersOf(first))).status, 200, 'the first is now the most recently used');
    const third = await open(a);
    assert.equal((await rawPost(a, ping, headersOf(second))).status, 404, 'the second gave way');
    assert.equal((await rawPost(b, ping, headersOf(second))).status, 404, 'on the replica that opened it too');
    assert.equal(cluster.replicas[1]!.server.app.sessionCount(), 1, 'which holds only its copy of the first now');
    // Both left are listened to (busy): no room, on either replica.
    const listeners = [listen(a, first), listen(b, third)];
    await Promise.all(listeners.map((l) => l.response));
    await Promise.all(cluster.replicas.map((r) => r.sessions.beat()));
    const refused = await rawPost(b, init);
    assert.equal(refused.status, 503);
    assert.ok(refused.headers.get('retry-after'));
    for (const l of listeners) l.stop();
    for (const id of [first, third]) assert.equal((await fetch(a, { method: 'DELETE', headers: headersOf(id) })).status, 200);
  });

  test('an idle session expires on every replica', async () => {
    const [a, b] = cluster.urls as [string, string];
    const id = await open(a);
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
    assert.equal((await rawPost(b, ping, headersOf(id))).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 700)); // past the 400 ms idle timeout: Redis expires the key
    assert.equal((await rawPost(a, ping, headersOf(id))).status, 404);
    assert.equal((await rawPost(b, ping, headersOf(id))).status, 404);
  });
});

describe('the per-client cap holds cluster-wide', () => {
  test("a client's sessions on every replica count together: its least recently used idle one gives way", async () => {
    const cluster = await startReplicas(2, { maxSessionsPerClient: 2, authTokens: { carol: 'token-c', dave: 'token-d' } });
    try {
      const [a, b] = cluster.urls as [string, string];
      const carol = { authorization: 'Bearer token-c' };
      const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
      const first = await open(a, carol);
      const second = await open(b, carol);
      const other = await open(a, { authorization: 'Bearer token-d' }); // another client: not counted against carol
      const third = await open(b, carol);
      assert.equal((await rawPost(a, ping, { ...headersOf(first), ...carol })).status, 404, 'the first gave way');
      for (const id of [second, third]) assert.equal((await rawPost(a, ping, { ...headersOf(id), ...carol })).status, 200);
      assert.equal((await rawPost(b, ping, { ...headersOf(other), authorization: 'Bearer token-d' })).status, 200);
    } finally {
      await cluster.close();
    }
  });
});

describe('sessions in Redis, Redis gone', () => {
  test('a request the session store cannot serve is a 503 naming Redis, not a 500', async () => {
    const cluster = await startReplicas(1);
    try {
      const [url] = cluster.urls as [string];
      const id = await open(url);
      await cluster.replicas[0]!.sessions.close(); // as if Redis went away
      const r = await rawPost(url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }), headersOf(id));
      assert.equal(r.status, 503);
      assert.equal(r.headers.get('retry-after'), '1');
      assert.match(JSON.parse(r.text).error.message, /session store \(Redis\) failed.*REDIS_URL/);
    } finally {
      await cluster.close();
    }
  });
});
