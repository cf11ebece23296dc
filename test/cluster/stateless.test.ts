import assert from 'node:assert/strict';
import { describe, test, before } from 'node:test';
import type { Replica, RunningCluster } from '../../scripts/lib/cluster.ts';
import { createPostgresStore } from '../../src/store/index.ts';
import { cleanupAfter } from '../helpers/cleanup.ts';
import { reply, startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { nginxSkipReason, perReplica } from '../helpers/nginx.ts';
import { sseReader } from '../helpers/sse.ts';
import { createGateAgent } from '../src/service/fixtures.ts';
import { startAgent } from '../src/service/harness.ts';
import { rpc, startTestCluster } from './harness.ts';

const KEY = 'cluster-test-key';
const skip = nginxSkipReason();

// Stateless agents behind nginx (any replica serves any request, no session to share) and two
// service replicas on one PostgreSQL: the service's runs move to the other replica when theirs dies.
describe('a cluster: nginx, 3 stateless incident replicas, 2 service replicas', { skip }, () => {
  const cleanup = cleanupAfter();
  let cluster: RunningCluster;
  let databaseUrl: string;
  let fake: FakeOpenAI;
  const gates = createGateAgent();

  before(async () => {
    fake = await cleanup.start(startFakeOpenAI());
    const gateAgent = await startAgent(gates.agent);
    cleanup.defer(gateAgent.close);
    ({ cluster, databaseUrl } = await startTestCluster(cleanup, {
      agents: ['incident'],
      agentReplicas: 3,
      serviceReplicas: 2,
      agentArgs: ['--stateless'],
      serviceArgs: ['--takeover', '1'],
      extraServers: gateAgent.servers,
      env: {
        SWITCHBOARD_API_KEYS: KEY,
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: fake.baseURL,
        SWITCHBOARD_MODEL: 'openai:gpt-4o-mini',
      },
    }));
  });

  test('stateless tool calls through nginx: 90 calls, 0 errors, every replica served some', async () => {
    const url = `${cluster.urls['incident']}/mcp`;
    const before = await perReplica(cluster.group('incident'), 'mcp_tool_calls_total', { tool: 'search_incidents' });
    const results = await Promise.all(
      Array.from({ length: 90 }, (_, i) =>
        rpc(url, { id: i, method: 'tools/call', params: { name: 'search_incidents', arguments: { query: `vpn ${i}` } } }),
      ),
    );
    const failures = results.filter((r) => r.status !== 200 || r.body?.['error'] !== undefined || r.body?.['result'] === undefined);
    assert.deepEqual(failures, [], 'every call answered');
    const after = await perReplica(cluster.group('incident'), 'mcp_tool_calls_total', { tool: 'search_incidents' });
    const served = Object.fromEntries(Object.entries(after).map(([name, n]) => [name, n - (before[name] ?? 0)]));
    assert.equal(
      Object.values(served).reduce((a, b) => a + b, 0),
      90,
      `calls per replica: ${JSON.stringify(served)}`,
    );
    for (const [name, n] of Object.entries(served))
      assert.ok(n >= 10, `${name} served ${n} of 90 (round-robin): ${JSON.stringify(served)}`);
    // The replica's address in the ops header is one of the three.
    const ports = new Set(cluster.group('incident').map((replica) => `127.0.0.1:${replica.port}`));
    assert.ok(results.every((r) => r.upstream !== null && ports.has(r.upstream)));
  });

  test('a run whose service replica is killed (kill -9) mid-step finishes on the other, each write once', async () => {
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${cluster.urls['service']}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
      });
    fake.enqueue(
      reply.toolCalls([
        { id: 'call_create', name: 'incident__create_incident', arguments: { short_description: 'VPN down in Lyon', urgency: 'high' } },
        { id: 'call_slow', name: 'test__wait_for', arguments: { label: 'slow' } },
      ]),
    );
    const started = await api('/v1/runs', {
      method: 'POST',
      headers: { prefer: 'respond-async' },
      body: JSON.stringify({ input: 'open an incident for the Lyon VPN, then wait for the slow check' }),
    });
    assert.equal(started.status, 202, await started.clone().text());
    const run = (await started.json()) as { id: string };
    assert.ok(cluster.group('service').some((replica) => started.headers.get('x-switchboard-upstream') === `127.0.0.1:${replica.port}`));
    // Kill once the incident exists and the slow call is waiting: the step is half done.
    await gates.gate('slow').started;
    let home: Replica | undefined;
    const db = createPostgresStore({ connectionString: databaseUrl, max: 1 });
    const incidents = async () => (await db.query<{ n: string }>('SELECT count(*) AS n FROM incidents')).rows[0]!.n;
    try {
      while ((await incidents()) === '0') await new Promise((resolve) => setTimeout(resolve, 20));
      // The replica running it (any may take a queued run) is the one whose id /healthz shows.
      const runner = (await db.query<{ replica_id: string }>('SELECT replica_id FROM service_runs WHERE id = $1', [run.id])).rows[0]!;
      const ids = await Promise.all(
        cluster
          .group('service')
          .map(async (replica) => ((await (await fetch(`${replica.origin}/healthz`)).json()) as { replica: string }).replica),
      );
      home = cluster.group('service')[ids.indexOf(runner.replica_id)];
      assert.ok(home, `replica ${runner.replica_id} runs it: one of ${ids.join(', ')}`);
      const other = cluster.group('service').find((replica) => replica !== home)!;
      await home.kill('SIGKILL');
      gates.open('slow');
      fake.enqueue(reply.text('Opened INC0010001 for the Lyon VPN; the slow check passed.'));

      // The events through nginx (only the other replica is left) until the run ends there.
      const events = await api(`/v1/runs/${run.id}/events`, { headers: { accept: 'text/event-stream' } });
      assert.equal(events.status, 200);
      // A first try on the dead replica shows as "dead, other": the answer comes from the last.
      assert.equal(events.headers.get('x-switchboard-upstream')?.split(', ').at(-1), `127.0.0.1:${other.port}`);
      const reader = sseReader(events.body!);
      const creates: string[] = [];
      const seen: string[] = [];
      for (let event = await reader.next(); event !== undefined; event = await reader.next()) {
        if (event.data === '') continue; // the priming event
        const data = JSON.parse(event.data) as { name?: string; args?: Record<string, unknown> };
        seen.push(`${event.event} ${data.name ?? ''}`);
        if (event.event === 'tool_start' && data.name === 'incident__create_incident') creates.push(String(data.args?.['idempotency_key']));
        if (['answer', 'error', 'cancelled'].includes(String(event.event))) break;
      }
      await reader.cancel();
      const finished = (await (await api(`/v1/runs/${run.id}`)).json()) as { status: string; answer: string };
      assert.equal(finished.status, 'completed', JSON.stringify(finished));
      assert.match(finished.answer, /INC0010001/);
      // Killed before or after the create's result was checkpointed: it ran once, or ran again with the same key.
      assert.ok(
        creates.length >= 1 && new Set(creates).size === 1,
        `create_incident starts: ${creates.join(', ')}; events: ${seen.join(' | ')}`,
      );
      assert.equal(
        gates.gate('slow').calls,
        2,
        `the call in flight at the kill ran again, on the other replica (events: ${seen.join(' | ')})`,
      );
      assert.equal(await incidents(), '1', 'one incident: the create was not repeated');
    } finally {
      await db.close();
      await home?.start();
    }
  });
});
