import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import type { ModelResolver } from '../../../src/service/index.ts';
import { TEST_DATABASE_URL, dropSchema, freshSchema } from '../../helpers/postgres.ts';
import { GateModel, createGateAgent } from './fixtures.ts';
import { offlineModels, startAgent, startBuiltinAgents, startService, type ServiceUnderTest } from './harness.ts';

interface Run {
  id: string;
  threadId: string;
  status: string;
  answer: string | null;
  cancelRequested: boolean;
  pending: { id: string; name: string; args: Record<string, unknown> }[];
  toolCalls: { name: string; args: Record<string, unknown>; result: unknown }[];
}

const async = { headers: { prefer: 'respond-async' } };

describe('two replicas sharing PostgreSQL', () => {
  let dir: string;
  let schema: string;
  let builtins: Awaited<ReturnType<typeof startBuiltinAgents>>;
  let gated: Awaited<ReturnType<typeof startAgent>>;
  const gates = createGateAgent();
  let a: ServiceUnderTest;
  let b: ServiceUnderTest;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-replicas-'));
    schema = freshSchema('svc');
    builtins = await startBuiltinAgents(join(dir, 'agents'));
    gated = await startAgent(gates.agent);
    const offline = offlineModels();
    const gate = new GateModel({});
    const models: ModelResolver = (spec) => {
      if (spec === 'test') return { name: 'test', model: gate };
      if (spec === undefined || spec === 'offline') return offline(spec);
      throw new UserError(`unknown model "${spec}"`);
    };
    const common = { servers: { ...builtins.servers, ...gated.servers }, resolveModel: models, databaseUrl: TEST_DATABASE_URL, schema };
    a = await startService({ ...common, dataDir: join(dir, 'a'), replicaId: 'replica-a' });
    b = await startService({ ...common, dataDir: join(dir, 'b'), replicaId: 'replica-b' });
  });
  after(async () => {
    await a?.close(100);
    await b?.close(100);
    await gated?.close();
    await builtins?.close();
    if (schema) await dropSchema(schema);
    await rm(dir, { recursive: true, force: true });
  });

  test('a thread begun on A continues on B; B pauses for approval and A takes the decision', async () => {
    const builtin = ['incident', 'search', 'analysis'];
    const first = (await a.api.post<Run>('/v1/runs', { input: 'create an incident for the broken projector in room 4', servers: builtin }))
      .body;
    assert.equal(first.status, 'completed');
    const number = (first.toolCalls[0]!.result as { incident: { number: string } }).incident.number;

    const second = (await b.api.post<Run>('/v1/runs', { input: 'set it to In Progress', threadId: first.threadId, servers: builtin })).body;
    assert.equal(second.status, 'waiting_approval');
    assert.equal(second.pending[0]!.args['number'], number, "B's run used A's earlier turn from the shared thread");

    const approved = (await a.api.post<Run>(`/v1/runs/${second.id}/approval`, { approve: true })).body;
    assert.equal(approved.status, 'completed');
    const update = approved.toolCalls.find((c) => c.name === 'incident__update_incident')!;
    assert.equal((update.result as { incident: { state: string; number: string } }).incident.state, 'In Progress');

    const thread = await b.api.get<{ messages: { role: string }[]; runs: { id: string }[] }>(`/v1/threads/${first.threadId}`);
    assert.equal(thread.body.runs.length, 2);
    assert.equal(thread.body.messages.filter((m) => m.role === 'user').length, 2);
    assert.deepEqual((await b.api.get<Run>(`/v1/runs/${first.id}`)).body, (await a.api.get<Run>(`/v1/runs/${first.id}`)).body);
  });

  test("a run's event stream begun on A resumes on B with Last-Event-ID, live and complete", async () => {
    const stream = await a.api.stream('POST', '/v1/runs', { body: { input: 'wait p1', model: 'test', servers: ['test'] } });
    const runId = stream.headers.get('x-run-id')!;
    const head = [(await stream.next())!, (await stream.next())!];
    assert.deepEqual(
      head.map((e) => e.type),
      ['run_started', 'tool_start'],
    );
    await stream.close();

    const onB = await b.api.stream('GET', `/v1/runs/${runId}/events`, { headers: { 'last-event-id': String(head[1]!.seq) } });
    const progress = (await onB.next())!;
    assert.equal(progress.type, 'tool_progress', 'B replays what A stored after the id');
    gates.open('p1'); // the run goes on on A; B gets the rest as A appends it
    const rest = [progress, ...(await onB.rest())];
    const all = [...head, ...rest];
    assert.deepEqual(
      all.map((e) => e.seq),
      all.map((_, i) => i + 1),
      'nothing lost, nothing twice',
    );
    assert.equal(all.at(-1)!.type, 'answer');
    assert.deepEqual(
      all.map((e) => e.type),
      (await a.api.get<{ events: { type: string }[] }>(`/v1/runs/${runId}/events`)).body.events.map((e) => e.type),
    );
  });

  test('DELETE on one replica cancels a run that the other executes', async () => {
    const run = (await a.api.post<Run>('/v1/runs', { input: 'wait x1', model: 'test', servers: ['test'] }, async)).body;
    await gates.gate('x1').started;
    // Any replica may take a run from the queue: ask the one that does not execute it.
    const executor = (await a.store.getRun(run.id))?.replicaId;
    const other = executor === a.app.replicaId ? b : a;
    const follow = await other.api.stream('GET', `/v1/runs/${run.id}/events`);
    const asked = await other.api.delete<Run>(`/v1/runs/${run.id}`);
    assert.equal(asked.status, 202, 'it asks the executing replica to stop');
    assert.equal(asked.body.cancelRequested, true);
    const events = await follow.rest();
    assert.equal(events.at(-1)!.type, 'cancelled');
    assert.equal((await other.api.get<Run>(`/v1/runs/${run.id}`)).body.status, 'cancelled');
  });
});
