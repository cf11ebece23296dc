import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { keyName } from '../../../src/service/index.ts';
import { GateModel, createGateAgent } from './fixtures.ts';
import { fixedModel, startAgent, startService, type ServiceUnderTest } from './harness.ts';

const ALPHA = 'alpha-secret-key';
const BETA = 'beta-secret-key';

interface Run {
  id: string;
  threadId: string;
  status: string;
  answer: string | null;
  error: { code: string; message: string } | null;
  warnings: string[];
  toolCalls: { name: string }[];
}

const errorOf = (body: Record<string, unknown>) => body['error'] as { code: string; message: string };

describe('limits, auth, cancellation and the MCP face (a gated test agent, a streaming test model)', () => {
  let dir: string;
  const gates = createGateAgent();
  let agent: Awaited<ReturnType<typeof startAgent>>;
  let service: ServiceUnderTest;
  let quick: ServiceUnderTest;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-limits-'));
    agent = await startAgent(gates.agent);
    const model = fixedModel(new GateModel({}));
    service = await startService({
      dataDir: join(dir, 'a'),
      servers: agent.servers,
      resolveModel: model,
      apiKeys: [ALPHA, BETA],
      concurrencyPerKey: 1,
      queuePerKey: 1,
      maxInputChars: 1000,
      tokenFlushMs: 1000, // the coalescing check below must not depend on how fast a loaded machine streams
    });
    await mkdir(join(dir, 'web'));
    await writeFile(join(dir, 'web', 'index.html'), '<!doctype html><title>Switchboard</title>');
    quick = await startService({
      dataDir: join(dir, 'b'),
      servers: agent.servers,
      resolveModel: model,
      runTimeoutMs: 300,
      webDir: join(dir, 'web'),
    });
  });
  after(async () => {
    await service?.close(100);
    await quick?.close(100);
    await agent?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('an API key is required: 401 without one or with a wrong one; /healthz stays open', async () => {
    const none = await service.api.post('/v1/runs', { input: 'hello' });
    assert.equal(none.status, 401);
    assert.equal(errorOf(none.body).code, 'unauthorized');
    assert.match(none.headers.get('www-authenticate')!, /^Bearer/);
    const wrong = await service.api.as('not-a-key').get('/v1/runs');
    assert.equal(wrong.status, 401);
    assert.match(errorOf(wrong.body).message, /not valid/);
    assert.equal((await service.api.get('/metrics')).status, 401);
    assert.equal((await service.api.as(ALPHA).get('/metrics')).status, 200);
    assert.equal((await service.api.get('/healthz')).status, 200);
  });

  test('a run is visible only to the key that created it, and so is its thread', async () => {
    const alpha = service.api.as(ALPHA);
    const beta = service.api.as(BETA);
    const run = (await alpha.post<Run>('/v1/runs', { input: 'hello there' })).body;
    assert.equal(run.answer, 'you said: hello there');
    assert.equal((await beta.get(`/v1/runs/${run.id}`)).status, 404);
    assert.equal((await beta.delete(`/v1/runs/${run.id}`)).status, 404);
    assert.equal((await beta.get(`/v1/threads/${run.threadId}`)).status, 404);
    assert.equal((await beta.post('/v1/runs', { input: 'hi', threadId: run.threadId })).status, 404);
    // EventSource cannot send headers: the key may come as ?access_token=, on the events route only
    const page = await service.api.get<{ events: unknown[] }>(`/v1/runs/${run.id}/events?access_token=${ALPHA}`);
    assert.equal(page.status, 200);
    assert.ok(page.body.events.length > 0);
    assert.equal((await service.api.get(`/v1/runs/${run.id}?access_token=${ALPHA}`)).status, 401);
    assert.equal((await service.api.get(`/v1/runs/${run.id}/events?access_token=${BETA}`)).status, 404);
  });

  test('the answer streams as token events, gathered rather than one per word', async () => {
    // On the service without a run time limit (quick's 300 ms can pass before a loaded machine streams a word).
    const stream = await service.api.as(ALPHA).stream('POST', '/v1/runs', {
      body: { input: 'tell me a very long story about many many words in a row' },
    });
    const events = await stream.rest();
    const text = events
      .filter((e) => e.type === 'token')
      .map((e) => e['text'])
      .join('');
    assert.equal(text, 'you said: tell me a very long story about many many words in a row');
    assert.ok(events.filter((e) => e.type === 'token').length < 5, 'deltas are coalesced');
    assert.equal(events.at(-1)!['answer'], text);
  });

  test('a full per-key queue answers 429 with Retry-After; other keys are not affected', async () => {
    const alpha = service.api.as(ALPHA);
    const async = { headers: { prefer: 'respond-async' } };
    const running = (await alpha.post<Run>('/v1/runs', { input: 'wait q1' }, async)).body;
    await gates.gate('q1').started;
    const queued = (await alpha.post<Run>('/v1/runs', { input: 'wait q2' }, async)).body;
    assert.equal(queued.status, 'queued');
    const refused = await alpha.post('/v1/runs', { input: 'wait q3' }, async);
    assert.equal(refused.status, 429);
    assert.equal(errorOf(refused.body).code, 'rate_limited');
    assert.match(refused.headers.get('retry-after')!, /^\d+$/);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    const other = await service.api.as(BETA).post<Run>('/v1/runs', { input: 'hello from beta' });
    assert.equal(other.body.status, 'completed');

    gates.open('q1');
    gates.open('q2');
    assert.equal((await alpha.settled(running.id)).status, 'completed');
    const second = await alpha.settled(queued.id);
    assert.equal(second.status, 'completed');
    assert.match(String(second['answer']), /"label":"q2","cancelled":false/);
  });

  test('DELETE cancels a running run (its tool call too) and a queued one', async () => {
    const alpha = service.api.as(ALPHA);
    const async = { headers: { prefer: 'respond-async' } };
    const running = (await alpha.post<Run>('/v1/runs', { input: 'wait c1' }, async)).body;
    await gates.gate('c1').started;
    const queued = (await alpha.post<Run>('/v1/runs', { input: 'wait c2' }, async)).body;
    const stream = await alpha.stream('GET', `/v1/runs/${running.id}/events`);
    const cancelledQueued = await alpha.delete<Run>(`/v1/runs/${queued.id}`);
    assert.equal(cancelledQueued.status, 200);
    assert.equal(cancelledQueued.body.status, 'cancelled');
    const cancelled = await alpha.delete<Run>(`/v1/runs/${running.id}`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    const events = await stream.rest();
    assert.equal(events.at(-1)!.type, 'cancelled', 'a follower sees the cancellation and its stream ends');
    assert.equal(gates.gate('c2').calls, 0, 'the queued run never started');
    const next = await alpha.post<Run>('/v1/runs', { input: 'hello again', threadId: running.threadId });
    assert.equal(next.body.status, 'completed', 'the thread is usable after a cancel');
  });

  test('a run over its time limit fails with a timeout error', async () => {
    const run = (await quick.api.post<Run>('/v1/runs', { input: 'wait forever' })).body;
    assert.equal(run.status, 'failed');
    assert.equal(run.error?.code, 'timeout');
    assert.match(run.error!.message, /exceeded its time limit of 300 ms/);
    const events = await quick.api.events(run.id);
    assert.equal(events.at(-1)!.type, 'error');
  });

  test('bodies: 413 over the cap, 400 for bad JSON or fields or a too long input, 415 for another type', async () => {
    const alpha = service.api.as(ALPHA);
    const huge = await alpha.request('POST', '/v1/runs', { raw: JSON.stringify({ input: 'x'.repeat(300 * 1024) }) });
    assert.equal(huge.status, 413);
    assert.equal(errorOf(huge.body).code, 'payload_too_large');
    const bad = await alpha.request('POST', '/v1/runs', { raw: '{"input": ' });
    assert.equal(bad.status, 400);
    assert.equal(errorOf(bad.body).code, 'invalid_json');
    const unknown = await alpha.post('/v1/runs', { input: 'hi', colour: 'blue' });
    assert.equal(unknown.status, 400);
    assert.match(errorOf(unknown.body).message, /colour/);
    const long = await alpha.post('/v1/runs', { input: 'y'.repeat(1001) });
    assert.equal(long.status, 400);
    assert.equal(errorOf(long.body).code, 'input_too_long');
    const empty = await alpha.post('/v1/runs', { input: '   ' });
    assert.equal(empty.status, 400);
    const text = await alpha.request('POST', '/v1/runs', { raw: 'input=hi', headers: { 'content-type': 'text/plain' } });
    assert.equal(text.status, 415);
    const resume = await alpha.get(`/v1/runs/00000000-0000-0000-0000-000000000000/events`, { headers: { 'last-event-id': 'abc' } });
    assert.equal(resume.status, 404, 'ownership is checked first');
  });

  test('unknown routes are 404 and wrong methods 405, as JSON', async () => {
    const alpha = service.api.as(ALPHA);
    const missing = await fetch(`${service.url}/v2/nothing`, { headers: { authorization: `Bearer ${ALPHA}` } });
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys((await missing.json()) as object), ['error']);
    const put = await fetch(`${service.url}/v1/runs`, { method: 'PUT', headers: { authorization: `Bearer ${ALPHA}` } });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, POST');
    assert.equal(((await put.json()) as { error: { code: string } }).error.code, 'method_not_allowed');
    const run = (await alpha.post<Run>('/v1/runs', { input: 'hi' })).body;
    const badId = await alpha.get(`/v1/runs/${run.id}/events`, { headers: { 'last-event-id': 'abc' } });
    assert.equal(badId.status, 400);
  });

  test('Origin and Host are checked (DNS rebinding): 403 as JSON; allowed origins get CORS', async () => {
    const evil = await service.api.as(ALPHA).get('/v1/runs', { headers: { origin: 'http://evil.example' } });
    assert.equal(evil.status, 403);
    assert.equal(errorOf(evil.body).code, 'forbidden');
    assert.match(errorOf(evil.body).message, /Origin "http:\/\/evil.example" is not allowed/);
    // fetch will not send a foreign Host: a raw request does
    const host = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        `${service.url}/v1/runs`,
        { headers: { host: 'rebind.example', authorization: `Bearer ${ALPHA}` } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(host.status, 403);
    assert.match(JSON.parse(host.body).error.message, /Host "rebind.example" is not allowed/);
    service.api.checker.check('GET', '/v1/runs', host.status, 'application/json', JSON.parse(host.body));
    const local = await service.api.as(ALPHA).get('/v1/runs', { headers: { origin: 'http://localhost:5173' } });
    assert.equal(local.status, 200);
    assert.equal(local.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    const preflight = await fetch(`${service.url}/v1/runs`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers')!, /last-event-id/);
  });

  test('the MCP face: orchestrate relays run events as progress and answers; destructive calls are refused', async () => {
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${service.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${ALPHA}` } } }),
    );
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((t) => t.name),
        ['orchestrate'],
      );
      const progress: string[] = [];
      const call = client.callTool({ name: 'orchestrate', arguments: { request: 'wait m1' } }, undefined, {
        onprogress: (p) => progress.push(p.message ?? ''),
      });
      await gates.gate('m1').started;
      gates.open('m1');
      const result = await call;
      assert.ok(!result.isError, JSON.stringify(result));
      const structured = result.structuredContent as {
        run_id: string;
        thread_id: string;
        status: string;
        answer: string;
        tool_calls: { name: string; ok: boolean }[];
      };
      assert.equal(structured.status, 'completed');
      assert.match(structured.answer, /"label":"m1","cancelled":false/);
      assert.deepEqual(
        structured.tool_calls.map((c) => c.name),
        ['test__wait_for'],
      );
      assert.ok(progress.includes('run started'), progress.join(' | '));
      assert.ok(
        progress.some((p) => p.startsWith('→ test: test__wait_for')),
        progress.join(' | '),
      );
      assert.ok(
        progress.some((p) => p.startsWith('… test__wait_for 0/1 waiting for m1')),
        progress.join(' | '),
      );
      assert.ok(
        progress.some((p) => /^✓ test__wait_for \d+ ms$/.test(p)),
        progress.join(' | '),
      );
      // the run is the caller's, over HTTP too
      assert.equal((await service.api.as(ALPHA).get<Run>(`/v1/runs/${structured.run_id}`)).body.status, 'completed');

      const refused = await client.callTool({
        name: 'orchestrate',
        arguments: { request: 'remove everything', thread_id: structured.thread_id },
      });
      const out = refused.structuredContent as { status: string; warnings: string[] };
      assert.equal(out.status, 'completed');
      assert.match(out.warnings.join(), /refused test__remove: the tool is marked destructive, and this caller cannot approve it/);
      assert.match((refused.content as { text: string }[])[0]!.text, /Not done: refused test__remove/);
      assert.deepEqual(gates.removed, []);
    } finally {
      await client.close();
    }
    const anonymous = await fetch(`${service.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{}',
    });
    assert.equal(anonymous.status, 401);
  });

  test('the web page, when installed, is served at /', async () => {
    const page = await quick.api.get<string>('/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.match(page.body, /<title>Switchboard<\/title>/);
  });

  test('key names are stable and reveal nothing of the key', () => {
    assert.match(keyName(ALPHA), /^key-[0-9a-f]{8}$/);
    assert.equal(keyName(ALPHA), keyName(ALPHA));
    assert.notEqual(keyName(ALPHA), keyName(BETA));
    assert.ok(!keyName(ALPHA).includes('alpha'));
  });
});

// Regression: a time limit past setTimeout's range (about 24.8 days) was cut to 1 ms by Node,
// with a TimeoutOverflowWarning.
test('a run time limit longer than a timer can hold is kept as "practically none"', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-long-limit-'));
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  const service = await startService({
    dataDir: dir,
    servers: {},
    resolveModel: fixedModel(new GateModel({})),
    runTimeoutMs: 30 * 24 * 3600_000,
  });
  try {
    const run = await service.api.post<Run>('/v1/runs', { input: 'hello' });
    assert.equal(run.body.status, 'completed');
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
    await service.close();
    await rm(dir, { recursive: true, force: true });
  }
});
