import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openSqliteIncidentRepository, sqliteIncidentPath } from '../../servers/incident/sqliteRepository.ts';
import { createCheckpointer } from '../../src/store/checkpoint/index.ts';
import { cleanupAfter } from '../helpers/cleanup.ts';
import { startScript } from '../helpers/cli.ts';
import { reply, startFakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { TEST_DATABASE_URL, dropSchema, freshSchema } from '../helpers/postgres.ts';
import { sseReader } from '../helpers/sse.ts';
import { createGateAgent } from '../src/service/fixtures.ts';
import { startAgent, startBuiltinAgents } from '../src/service/harness.ts';

const KEY = 'e2e-takeover-key';

const api = (url: string, path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('two service replicas on one PostgreSQL (runs on pg-boss), one killed mid-step (kill -9)', () => {
  const cleanup = cleanupAfter();

  test('the other replica takes the run over and finishes it: no finished call repeated, one incident', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-takeover-'));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    const schema = freshSchema('takeover');
    cleanup.defer(() => dropSchema(schema));
    const agentData = join(dir, 'agents');
    const builtin = await startBuiltinAgents(agentData);
    cleanup.defer(builtin.close);
    const gates = createGateAgent();
    const gateAgent = await startAgent(gates.agent);
    cleanup.defer(gateAgent.close);
    const fake = await startFakeOpenAI();
    cleanup.defer(() => fake.close());
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ servers: { incident: builtin.servers['incident'], ...gateAgent.servers } }));
    const env = (name: string) => ({
      SWITCHBOARD_DATA_DIR: join(dir, name),
      DATABASE_URL: TEST_DATABASE_URL,
      SWITCHBOARD_PG_SCHEMA: schema,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      SWITCHBOARD_MODEL: 'openai:gpt-4o-mini',
      SWITCHBOARD_API_KEYS: KEY,
      HOST: '127.0.0.1',
      PORT: '0',
      MCP_AUTH_TOKEN: '',
    });
    const args = ['--config', config];

    // One step, two calls: the create finishes, the slow one is still waiting when A dies.
    fake.enqueue(
      reply.toolCalls([
        { id: 'call_create', name: 'incident__create_incident', arguments: { short_description: 'VPN down in Lyon', urgency: 'high' } },
        { id: 'call_slow', name: 'test__wait_for', arguments: { label: 'slow' } },
      ]),
    );
    const a = await startScript('serve', args, env('a'), cleanup);
    const started = await api(a.url, '/v1/runs', {
      method: 'POST',
      headers: { prefer: 'respond-async' },
      body: JSON.stringify({ input: 'open an incident for the Lyon VPN, then wait for the slow check' }),
    });
    assert.equal(started.status, 202);
    const run = (await started.json()) as { id: string; threadId: string };
    await gates.gate('slow').started;
    // B starts only now, so A is the replica that took the run.
    const b = await startScript('serve', args, env('b'), cleanup);

    const checkpointer = await createCheckpointer({ databaseUrl: TEST_DATABASE_URL, dataDir: dir, schema });
    cleanup.defer(() => checkpointer.close());
    const createSaved = async () =>
      ((await checkpointer.saver.getTuple({ configurable: { thread_id: run.threadId } }))?.pendingWrites ?? []).some(
        ([, channel, value]) => channel === 'messages' && JSON.stringify(value).includes('INC0010001'),
      );
    while (!(await createSaved())) await tick();
    const before = (await (await api(b.url, `/v1/runs/${run.id}`)).json()) as { lastEventId: number; status: string };
    assert.equal(before.status, 'running');

    a.child.kill('SIGKILL');
    await once(a.child, 'exit');
    gates.open('slow');
    fake.enqueue(reply.text('Opened INC0010001 for the Lyon VPN; the slow check passed.'));

    // B's stream picks up where A stopped: the takeover's run_started, then the rest, live.
    const events = await api(b.url, `/v1/runs/${run.id}/events`, {
      headers: { accept: 'text/event-stream', 'last-event-id': String(before.lastEventId) },
    });
    const reader = sseReader(events.body!);
    const seen: { type: string; data: Record<string, unknown> }[] = [];
    for (let event = await reader.next(); event !== undefined; event = await reader.next()) {
      if (event.data === '') continue; // the priming event
      seen.push({ type: String(event.event), data: JSON.parse(event.data) as Record<string, unknown> });
      if (['answer', 'error', 'cancelled'].includes(String(event.event))) break;
    }
    await reader.cancel();

    const resumed = seen.find((e) => e.type === 'run_started');
    assert.equal(resumed?.data['resumed'], 'restart', seen.map((e) => e.type).join(', '));
    const finished = (await (await api(b.url, `/v1/runs/${run.id}`)).json()) as { status: string; answer: string };
    assert.equal(finished.status, 'completed');
    assert.match(finished.answer, /INC0010001/);
    const all = (await (await api(b.url, `/v1/runs/${run.id}/events`)).json()) as { events: { type: string; name?: string }[] };
    const creates = all.events.filter((e) => e.type === 'tool_start' && e.name === 'incident__create_incident');
    assert.equal(creates.length, 1, 'the finished create is not repeated');
    assert.equal(gates.gate('slow').calls, 2, 'the call in flight at the kill ran again');

    const incidents = await openSqliteIncidentRepository({ path: sqliteIncidentPath(agentData) });
    try {
      const found = await incidents.search({});
      assert.deepEqual(
        found.incidents.map((incident) => incident.number),
        ['INC0010001'],
      );
    } finally {
      await incidents.close();
    }
    b.child.kill('SIGTERM');
    await once(b.child, 'exit');
  });
});
