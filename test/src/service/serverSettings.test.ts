import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ServerEntrySchema } from '../../../src/config/file.ts';
import { ScriptedChatModel, callThenAnswer } from '../../helpers/scriptedModel.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';
import { dataDirOf, fixedModel, offlineModels, startAgent, startBuiltinAgents, startService, type ServiceUnderTest } from './harness.ts';

interface Run {
  id: string;
  threadId: string;
  status: string;
  toolCalls: { id: string; name: string; ok: boolean; result: unknown }[];
  failedCalls: { id: string; name: string; server: string | null; error: string }[];
  pending: { id: string; name: string; server: string | null; reason: string }[];
}

describe('the service honours per-server "approve" settings', () => {
  let dir: string;
  let agents: Awaited<ReturnType<typeof startBuiltinAgents>>;
  let service: ServiceUnderTest;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-approve-'));
    agents = await startBuiltinAgents(dataDirOf(dir));
    const servers = {
      ...agents.servers,
      incident: ServerEntrySchema.parse({ ...agents.servers['incident'], approve: 'never' }),
      analysis: ServerEntrySchema.parse({ ...agents.servers['analysis'], approve: 'always' }),
    };
    service = await startService({ dataDir: join(dir, 'service'), servers, resolveModel: offlineModels() });
  });
  after(async () => {
    await service?.close();
    await agents?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('"never": a destructive call of a trusted server runs without pausing', async () => {
    const created = (await service.api.post<Run>('/v1/runs', { input: 'create an incident for the jammed turnstile at gate 2' })).body;
    const updated = (await service.api.post<Run>('/v1/runs', { input: 'set it to In Progress', threadId: created.threadId })).body;
    assert.equal(updated.status, 'completed');
    const update = updated.toolCalls.find((c) => c.name === 'incident__update_incident')!;
    assert.equal((update.result as { incident: { state: string } }).incident.state, 'In Progress');
  });

  test('"always": a read-only call pauses for approval, saying why, and runs once approved', async () => {
    const paused = (await service.api.post<Run>('/v1/runs', { input: 'how upset is this customer: "third outage this week!"' })).body;
    assert.equal(paused.status, 'waiting_approval');
    assert.equal(paused.pending[0]!.server, 'analysis');
    assert.equal(paused.pending[0]!.reason, 'server "analysis" is configured to ask before every call ("approve": "always")');
    const done = (await service.api.post<Run>(`/v1/runs/${paused.id}/approval`, { approve: true })).body;
    assert.equal(done.status, 'completed');
    assert.ok(done.toolCalls.some((c) => c.name.startsWith('analysis__') && c.ok));
  });
});

test('a run result lists the calls that failed, with their errors (failedCalls)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-failed-'));
  const agent = await startAgent(createTestAgent(), 't');
  const model = new ScriptedChatModel(
    callThenAnswer(
      [
        { name: 't__fail', args: {} },
        { name: 't__echo', args: { text: 'fine' } },
      ],
      () => 'one of two worked',
    ),
  );
  const service = await startService({ dataDir: dir, servers: agent.servers, resolveModel: fixedModel(model) });
  t.after(async () => {
    await service.close();
    await agent.close();
    await rm(dir, { recursive: true, force: true });
  });
  const run = (await service.api.post<Run>('/v1/runs', { input: 'go' })).body; // checked against the OpenAPI document
  assert.equal(run.status, 'completed');
  assert.equal(run.toolCalls.length, 2);
  assert.equal(run.failedCalls.length, 1);
  const failed = run.failedCalls[0]!;
  assert.equal(failed.name, 't__fail');
  assert.equal(failed.server, 't');
  assert.equal(failed.id, run.toolCalls.find((c) => c.name === 't__fail')!.id);
  assert.match(failed.error, /always fails/);
  assert.deepEqual((await service.api.get<Run>(`/v1/runs/${run.id}`)).body.failedCalls, run.failedCalls);
});
