import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openSqliteRunStore, sqliteRunStorePath } from '../../../src/service/index.ts';
import { GateModel, createGateAgent } from './fixtures.ts';
import { fixedModel, startAgent, startService, type StartOptions } from './harness.ts';

interface Run {
  id: string;
  threadId: string;
  status: string;
  answer: string | null;
}

const async = { headers: { prefer: 'respond-async' } };

describe('graceful shutdown and restart (SQLite)', () => {
  let dir: string;
  const gates = createGateAgent();
  let agent: Awaited<ReturnType<typeof startAgent>>;
  let options: StartOptions;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-restart-'));
    agent = await startAgent(gates.agent);
    options = { dataDir: join(dir, 'data'), servers: agent.servers, resolveModel: fixedModel(new GateModel({})), concurrencyPerKey: 1 };
  });
  after(async () => {
    await agent?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('in-flight runs finish within the grace period; new runs get 503 meanwhile', async () => {
    const service = await startService(options);
    try {
      const run = (await service.api.post<Run>('/v1/runs', { input: 'wait g1' }, async)).body;
      await gates.gate('g1').started;
      const stopping = service.app.shutdown(10_000);
      const refused = await service.api.post('/v1/runs', { input: 'hello' });
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '5');
      assert.equal((await service.api.get<{ ready: boolean; draining: boolean }>('/readyz')).status, 503);
      gates.open('g1');
      await stopping;
      const finished = await service.store.getRun(run.id);
      assert.equal(finished?.status, 'completed');
    } finally {
      await service.close();
    }
  });

  test('runs still going when the grace period ends are interrupted, and a new instance resumes them from their checkpoints', async () => {
    const first = await startService(options);
    const running = (await first.api.post<Run>('/v1/runs', { input: 'wait r1' }, async)).body;
    await gates.gate('r1').started;
    const queued = (await first.api.post<Run>('/v1/runs', { input: 'wait r2' }, async)).body;
    const follower = await first.api.stream('GET', `/v1/runs/${running.id}/events`);
    const before = [(await follower.next())!, (await follower.next())!];
    assert.deepEqual(
      before.map((e) => e.type),
      ['run_started', 'tool_start'],
    );
    await first.close(50);
    const seen = [...before, ...(await follower.rest())]; // open streams end at shutdown
    assert.ok(!seen.some((e) => ['answer', 'error', 'cancelled'].includes(e.type)), seen.map((e) => e.type).join());

    const store = await openSqliteRunStore({ path: sqliteRunStorePath(options.dataDir) });
    try {
      assert.equal((await store.getRun(running.id))?.status, 'interrupted');
      assert.equal((await store.getRun(queued.id))?.status, 'interrupted');
    } finally {
      await store.close();
    }
    assert.equal(gates.gate('r2').calls, 0);

    const second = await startService(options);
    try {
      await gates.gate('r1').called(2); // the interrupted tool call runs again
      gates.open('r1');
      gates.open('r2');
      const rest = await second.api.events(running.id, seen.at(-1)!.seq);
      assert.ok(rest.length > 0);
      const resumed = rest.find((e) => e.type === 'run_started')!;
      assert.equal(resumed['resumed'], 'restart');
      assert.equal(rest.at(-1)!.type, 'answer');
      const done = (await second.api.get<Run>(`/v1/runs/${running.id}`)).body;
      assert.equal(done.status, 'completed');
      assert.match(done.answer!, /"label":"r1","cancelled":false/);
      const thread = await second.api.get<{ messages: { role: string }[] }>(`/v1/threads/${running.threadId}`);
      assert.deepEqual(
        thread.body.messages.map((m) => m.role),
        ['user', 'assistant', 'tool', 'assistant'],
        'the tool result is in the thread once',
      );

      const never = await second.api.settled(queued.id);
      assert.equal(never.status, 'completed', 'a run that was still queued starts from its request');
      assert.equal(gates.gate('r2').calls, 1);
    } finally {
      await second.close();
    }
  });
});

// Regression: a run whose model the service no longer has was taken over, failed to start and
// stayed queued, retried at every takeover and holding its thread forever; a paused one could not
// be cancelled (500).
describe('runs recorded with a model the service no longer has (SQLite)', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-gone-model-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('an interrupted one fails when taken over, naming the model; a paused one can be cancelled', async () => {
    const dataDir = join(dir, 'data');
    const store = await openSqliteRunStore({ path: sqliteRunStorePath(dataDir) });
    try {
      for (const id of ['interrupted', 'paused']) {
        const created = await store.createRun({
          id,
          threadId: `thread-${id}`,
          owner: 'anonymous',
          request: 'hello',
          model: 'gone',
          servers: [],
          approvals: 'pause',
          replicaId: 'old',
        });
        assert.ok(created.ok);
      }
      await store.update('interrupted', { from: ['queued'], set: { status: 'interrupted', replicaId: null } });
      await store.update('paused', { from: ['queued'], set: { status: 'waiting_approval', replicaId: null } });
    } finally {
      await store.close();
    }

    const service = await startService({ dataDir, servers: {}, resolveModel: fixedModel(new GateModel({})) });
    try {
      const events = await service.api.events('interrupted');
      assert.equal(events.at(-1)?.type, 'error');
      const failed = (await service.api.get<Run & { error: { message: string } }>('/v1/runs/interrupted')).body;
      assert.equal(failed.status, 'failed');
      assert.match(failed.error.message, /model gone is not available.*unknown model "gone"/);
      const next = await service.api.post<Run>('/v1/runs', { input: 'hello', threadId: 'thread-interrupted' }, async);
      assert.equal(next.status, 202, 'the thread is free again');

      const cancelled = await service.api.delete<Run>('/v1/runs/paused');
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.body.status, 'cancelled');
    } finally {
      await service.close();
    }
  });
});
