import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { keyName } from '../../../src/service/index.ts';
import { createPostgresStore } from '../../../src/store/index.ts';
import { TEST_DATABASE_URL, dropSchema, freshSchema } from '../../helpers/postgres.ts';
import { GateModel, createGateAgent } from './fixtures.ts';
import { fixedModel, startAgent, startService, type ServiceUnderTest, type StartOptions } from './harness.ts';

interface Run {
  id: string;
  status: string;
  answer: string | null;
  error: { code: string; message: string } | null;
}

const ALPHA = 'alpha-queue-key';
const BETA = 'beta-queue-key';
const async = { headers: { prefer: 'respond-async' } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds, at most `ms`. */
async function eventually(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${ms} ms`);
    await sleep(100);
  }
}

/** Services sharing one fresh schema; `close` stops them and drops the schema (with its queue's). */
async function cluster(dir: string, agentServers: StartOptions['servers'], settings: Partial<StartOptions>) {
  const schema = freshSchema('svcq');
  const services: ServiceUnderTest[] = [];
  const common: StartOptions = {
    dataDir: dir,
    servers: agentServers,
    resolveModel: fixedModel(new GateModel({})),
    databaseUrl: TEST_DATABASE_URL,
    schema,
    apiKeys: [ALPHA, BETA],
    storePoolSize: 4,
    ...settings,
  };
  return {
    schema,
    services,
    async start(name: string, extra: Partial<StartOptions> = {}): Promise<ServiceUnderTest> {
      const service = await startService({ ...common, dataDir: join(dir, `${schema}-${name}`), replicaId: `replica-${name}`, ...extra });
      services.push(service);
      return service;
    },
    async close() {
      await Promise.all(services.map((s) => s.close(100)));
      await dropSchema(schema);
    },
  };
}

describe('runs on pg-boss: replicas sharing one PostgreSQL schema', () => {
  let dir: string;
  const gates = createGateAgent();
  let agent: Awaited<ReturnType<typeof startAgent>>;
  const admin = createPostgresStore({ connectionString: TEST_DATABASE_URL, max: 1 });
  /** A cluster for one test, stopped when the test ends (the database's connections are shared with other suites). */
  const open = async (t: TestContext, settings: Partial<StartOptions>) => {
    const made = await cluster(dir, agent.servers, settings);
    t.after(() => made.close());
    return made;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-queue-'));
    agent = await startAgent(gates.agent);
  });
  after(async () => {
    await agent?.close();
    await admin.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("a key's concurrency and queue hold over both replicas: one running, one queued, the next refused on either with 429", async (t) => {
    const made = await open(t, { concurrencyPerKey: 1, queuePerKey: 1 });
    const a = await made.start('a');
    const b = await made.start('b');
    const alphaA = a.api.as(ALPHA);
    const alphaB = b.api.as(ALPHA);

    const first = (await alphaA.post<Run>('/v1/runs', { input: 'wait c1' }, async)).body;
    await gates.gate('c1').started;
    const second = await alphaB.post<Run>('/v1/runs', { input: 'wait c2' }, async);
    assert.equal(second.status, 202, 'the queue has room for one');
    for (const api of [alphaA, alphaB]) {
      const refused = await api.post('/v1/runs', { input: 'wait c3' });
      assert.equal(refused.status, 429);
      assert.match((refused.body['error'] as { message: string }).message, /1 running and 1 queued at most over all replicas/);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    }
    const beta = await b.api.as(BETA).post<Run>('/v1/runs', { input: 'hello' });
    assert.equal(beta.status, 200, 'another key is not held up');
    assert.equal(beta.body.status, 'completed');

    // Both replicas poll every 0.5 s: over 1.5 s, neither may start the second run while the first holds the key's slot.
    await sleep(1500);
    assert.equal(gates.gate('c2').calls, 0, 'the second run waits for the slot, on every replica');
    const states = await admin.query<{ status: string }>(
      `SELECT status FROM ${made.schema}.service_runs WHERE id = ANY($1) ORDER BY created_at`,
      [[first.id, second.body.id]],
    );
    assert.deepEqual(
      states.rows.map((row) => row.status),
      ['running', 'queued'],
    );

    gates.open('c1');
    assert.equal((await alphaB.settled(first.id)).status, 'completed');
    await gates.gate('c2').started;
    gates.open('c2');
    assert.equal((await alphaA.settled(second.body.id)).status, 'completed');
    assert.equal((await alphaA.post('/v1/runs', { input: 'hello' })).status, 200, 'slots free again');
  });

  test('no double execution: three replicas racing for 12 runs start each once, and every run completes', async (t) => {
    const made = await open(t, { concurrencyPerKey: 12, queuePerKey: 12 });
    const replicas = [await made.start('a'), await made.start('b'), await made.start('c')];
    const n = replicas.length;
    const labels = Array.from({ length: 12 }, (_, i) => `race${i}`);
    for (const label of labels) gates.open(label);
    const runs = await Promise.all(
      labels.map(async (label, i) => {
        const response = await replicas[i % n]!.api.as(ALPHA).post<Run>('/v1/runs', { input: `wait ${label}` }, async);
        assert.equal(response.status, 202);
        return response.body;
      }),
    );
    for (const [i, run] of runs.entries()) {
      const settled = await replicas[(i + 1) % n]!.api.as(ALPHA).settled(run.id);
      assert.equal(settled.status, 'completed', JSON.stringify(settled['error']));
    }
    for (const label of labels) assert.equal(gates.gate(label).calls, 1, `${label} ran once`);
    for (const run of runs) {
      const starts = await replicas[0]!.store.eventsOfTypes(run.id, ['run_started']);
      assert.equal(starts.length, 1, `run ${run.id} started once`);
      const jobs = () => replicas[0]!.queue!.jobsOf(run.id);
      // The job completes once its handler has returned, a moment after the run did.
      await eventually(`run ${run.id}'s job completing`, async () => (await jobs()).every((job) => job.state === 'completed'));
      assert.equal((await jobs()).length, 1, 'one job per run');
    }
  });

  test('a replica shutting down hands its unfinished run back: the other resumes it from its checkpoint', async (t) => {
    const made = await open(t, {});
    const a = await made.start('a');
    const b = await made.start('b');
    const run = (await a.api.as(ALPHA).post<Run>('/v1/runs', { input: 'wait h1' }, async)).body;
    await gates.gate('h1').started;
    const executor = (await a.store.getRun(run.id))?.replicaId;
    const [leaving, staying] = executor === a.app.replicaId ? [a, b] : [b, a];
    await leaving.close(50); // the grace period ends with the call in flight
    await gates.gate('h1').called(2); // the interrupted call runs again, on the other replica
    gates.open('h1');
    const done = await staying.api.as(ALPHA).settled(run.id);
    assert.equal(done.status, 'completed');
    const starts = await staying.store.eventsOfTypes(run.id, ['run_started']);
    assert.deepEqual(
      starts.map((e) => e.data['resumed']),
      [null, 'restart'],
    );
    // pg-boss completes a job once its handler has returned, a moment after the run itself completed.
    await eventually('both stretches completed: the first and the one handed back', async () =>
      (await staying.queue!.jobsOf(run.id)).every((job) => job.state === 'completed'),
    );
    assert.equal((await staying.queue!.jobsOf(run.id)).length, 2);
  });

  test('runs left without a job (interrupted before the queue existed) get one when a replica starts', async (t) => {
    const made = await open(t, {});
    const first = await made.start('a', { queueSettings: false });
    const created = await first.store.createRun({
      id: 'left-over',
      threadId: 'left-over-thread',
      owner: 'key-left',
      request: 'hello',
      model: 'test',
      servers: ['test'],
      approvals: 'pause',
      replicaId: 'gone',
    });
    assert.ok(created.ok);
    await first.store.update('left-over', { from: ['queued'], set: { status: 'interrupted', replicaId: null } });
    await first.close(0);
    const second = await made.start('b');
    await eventually('the left-over run finishing', async () => (await second.store.getRun('left-over'))?.status === 'completed');
  });

  test('a stretch that used up its attempts fails its run with a clear final error', async (t) => {
    const made = await open(t, { queueSettings: { attempts: 1 } });
    const a = await made.start('a');
    const run = (await a.api.as(ALPHA).post<Run>('/v1/runs', { input: 'wait f1' }, async)).body;
    await gates.gate('f1').started;
    const b = await made.start('b', { queueSettings: { attempts: 1 } });
    const executor = (await a.store.getRun(run.id))?.replicaId === a.app.replicaId ? a : b;
    const other = executor === a ? b : a;
    // The executing replica loses its queue (pg-boss fails what it holds): with no attempt left, the run is given up.
    await executor.queue!.close(0);
    const failed = await other.api.as(ALPHA).settled(run.id);
    assert.equal(failed.status, 'failed');
    const error = failed['error'] as { code: string; message: string };
    assert.equal(error.code, 'run_failed');
    assert.match(error.message, /stopped 1 time\(s\) and is not retried again \(last: .+\); send the request again/);
    gates.open('f1');
  });

  test("the running-slot fence: a run does not start while its key's slots are taken, whichever replica asks", async (t) => {
    const made = await open(t, { concurrencyPerKey: 1 });
    const a = await made.start('a');
    for (const id of ['slot-1', 'slot-2', 'slot-other']) {
      const owner = id === 'slot-other' ? 'key-other' : 'key-slots';
      const created = await a.store.createRun({
        id,
        threadId: `${id}-thread`,
        owner,
        request: 'hello',
        model: 'test',
        servers: [],
        approvals: 'pause',
        replicaId: 'elsewhere',
      });
      assert.ok(created.ok);
    }
    // Not through a queue: these runs stay as the test leaves them.
    const start = (id: string, replicaId: string) =>
      a.store.update(id, { from: ['queued'], set: { status: 'running', replicaId }, maxRunningPerOwner: 1 });
    assert.ok(await start('slot-1', 'replica-x'));
    assert.equal(await start('slot-2', 'replica-y'), undefined, 'the key already runs one');
    assert.equal((await a.store.getRun('slot-2'))?.status, 'queued');
    assert.ok(await start('slot-other', 'replica-y'), 'another key is not held up');
    await a.store.update('slot-1', { from: ['running'], set: { status: 'completed', finishedAt: new Date().toISOString() } });
    assert.ok(await start('slot-2', 'replica-y'), 'the slot is free again');
  });

  test('a stretch fetched while its key has no free slot waits as a new job and starts once the slot frees', async (t) => {
    const made = await open(t, { concurrencyPerKey: 1, queuePerKey: 4 });
    const a = await made.start('a');
    // A run of the same key running without a job (as if another replica had fetched at the same instant).
    const created = await a.store.createRun({
      id: 'slot-holder',
      threadId: 'slot-holder-thread',
      owner: keyName(ALPHA),
      request: 'hello',
      model: 'test',
      servers: [],
      approvals: 'pause',
      replicaId: a.app.replicaId,
    });
    assert.ok(created.ok);
    await a.store.update('slot-holder', { from: ['queued'], set: { status: 'running' } });
    const run = (await a.api.as(ALPHA).post<Run>('/v1/runs', { input: 'hello' }, async)).body;
    await eventually('the stretch being deferred', async () => (await a.queue!.jobsOf(run.id)).length >= 2);
    assert.equal((await a.store.getRun(run.id))?.status, 'queued');
    await a.store.update('slot-holder', { from: ['running'], set: { status: 'completed', finishedAt: new Date().toISOString() } });
    assert.equal((await a.api.as(ALPHA).settled(run.id)).status, 'completed');
    assert.equal((await a.store.eventsOfTypes(run.id, ['run_started'])).length, 1, 'it started once, when the slot was free');
  });

  test('a queued run is cancelled at once on any replica, and its job ends without running it', async (t) => {
    const made = await open(t, { concurrencyPerKey: 1, queuePerKey: 2 });
    const a = await made.start('a');
    const b = await made.start('b');
    const holding = (await a.api.as(ALPHA).post<Run>('/v1/runs', { input: 'wait q1' }, async)).body;
    await gates.gate('q1').started;
    const waiting = (await a.api.as(ALPHA).post<Run>('/v1/runs', { input: 'wait q2' }, async)).body;
    const cancelled = await b.api.as(ALPHA).delete<Run>(`/v1/runs/${waiting.id}`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    gates.open('q1');
    assert.equal((await b.api.as(ALPHA).settled(holding.id)).status, 'completed');
    await eventually("the cancelled run's job ending", async () =>
      (await a.queue!.jobsOf(waiting.id)).every((job) => job.state === 'completed'),
    );
    assert.equal(gates.gate('q2').calls, 0, 'it never ran');
    assert.equal((await a.store.getRun(waiting.id))?.status, 'cancelled');
  });

  test('retention deletes finished runs with their events and their pg-boss jobs; active runs stay', async (t) => {
    const made = await open(t, { retentionMs: 4000, queueSettings: { retentionSeconds: 1 } });
    const a = await made.start('a');
    const done = (await a.api.as(ALPHA).post<Run>('/v1/runs', { input: 'hello' })).body;
    assert.equal(done.status, 'completed');
    const paused = (await a.api.as(ALPHA).post<Run>('/v1/runs', { input: 'remove keepme' })).body;
    assert.equal(paused.status, 'waiting_approval');
    assert.equal((await a.queue!.jobsOf(done.id)).length, 1);
    assert.ok((await a.store.eventsAfter(done.id, 0)).length > 0);

    // Every replica sweeps a tenth of the retention period at most (here 400 ms): the run goes 4 s after it finished,
    // long enough to see its events first on a loaded machine.
    await eventually('the sweep deleting the finished run', async () => (await a.store.getRun(done.id)) === undefined);
    assert.deepEqual(await a.store.eventsAfter(done.id, 0), []);
    assert.equal((await a.store.getRun(paused.id))?.status, 'waiting_approval');
    await eventually('pg-boss deleting the finished job', async () => {
      await a.queue!.maintain();
      return (await a.queue!.jobsOf(done.id)).length === 0;
    });
  });
});
