import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dataDirOf, offlineModels, startBuiltinAgents, startService, type ServiceUnderTest, type WireEvent } from './harness.ts';

interface Run {
  id: string;
  threadId: string;
  status: string;
  answer: string | null;
  toolCalls: { name: string; server: string; args: Record<string, unknown>; ok: boolean; durationMs: number; result: unknown }[];
  pending: { id: string; name: string; args: Record<string, unknown>; reason: string }[];
  warnings: string[];
  lastEventId: number;
}

const incidentOf = (run: Run) =>
  (run.toolCalls.find((c) => c.name === 'incident__create_incident')!.result as { incident: { number: string } }).incident.number;

describe('the service API with the built-in agents and the offline planner', () => {
  let dir: string;
  let agents: Awaited<ReturnType<typeof startBuiltinAgents>>;
  let service: ServiceUnderTest;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-service-'));
    agents = await startBuiltinAgents(dataDirOf(dir));
    service = await startService({ dataDir: join(dir, 'service'), servers: agents.servers, resolveModel: offlineModels() });
  });
  after(async () => {
    await service?.close();
    await agents?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('POST /v1/runs answers with the result as JSON; GET /v1/runs/:id returns the same run', async () => {
    const { status, body, headers } = await service.api.post<Run>('/v1/runs', {
      input: 'create an incident for the broken projector in room 4',
    });
    assert.equal(status, 200);
    assert.equal(body.status, 'completed');
    assert.equal(headers.get('location'), `/v1/runs/${body.id}`);
    assert.match(body.answer!, /INC\d{7}/);
    const call = body.toolCalls[0]!;
    assert.equal(call.name, 'incident__create_incident');
    assert.equal(call.server, 'incident');
    assert.equal(call.ok, true);
    assert.equal(typeof call.durationMs, 'number');
    assert.match(incidentOf(body), /^INC\d{7}$/);
    const fetched = await service.api.get<Run>(`/v1/runs/${body.id}`);
    assert.deepEqual(fetched.body, body);
  });

  test('with Accept: text/event-stream the run streams its events, ids increasing, ending with the answer', async () => {
    const stream = await service.api.stream('POST', '/v1/runs', {
      body: { input: 'search for known fixes for SSO login loops and tell me how angry this customer is: "I am furious, nothing works"' },
    });
    assert.equal(stream.status, 200);
    const runId = stream.headers.get('x-run-id')!;
    const events = await stream.rest();
    const types = events.map((e) => e.type);
    assert.equal(types[0], 'run_started');
    assert.equal(types.at(-1), 'answer');
    assert.ok(types.includes('tool_start') && types.includes('tool_end') && types.includes('tool_progress'), types.join());
    assert.deepEqual(
      events.map((e) => e.seq),
      events.map((_, i) => i + 1),
      'seqs count from 1 without gaps',
    );
    assert.ok(events.every((e) => e.runId === runId));
    const ends = events.filter((e) => e.type === 'tool_end');
    assert.ok(ends.every((e) => typeof e['durationMs'] === 'number' && e['ok'] === true));
    const run = (await service.api.get<Run>(`/v1/runs/${runId}`)).body;
    assert.equal(run.status, 'completed');
    assert.equal(run.lastEventId, events.length);
    assert.equal(run.answer, events.at(-1)!['answer']);
  });

  test('a stream resumed with Last-Event-ID continues where it broke off: nothing lost, nothing twice', async () => {
    const first = await service.api.stream('POST', '/v1/runs', {
      body: {
        input:
          'summarize this: "The VPN failed at 9am. Engineers restarted the gateway. Service was back at 10am." and search for VPN gateway restarts',
      },
    });
    const runId = first.headers.get('x-run-id')!;
    const head = [(await first.next())!, (await first.next())!];
    await first.close(); // the client goes away mid-run
    const rest = await service.api.events(runId, head[1]!.seq);
    const all = [...head, ...rest];
    assert.deepEqual(
      all.map((e) => e.seq),
      all.map((_, i) => i + 1),
    );
    assert.equal(all.at(-1)!.type, 'answer');
    const page = await service.api.get<{ events: WireEvent[]; status: string; lastEventId: number }>(`/v1/runs/${runId}/events?after=0`);
    assert.deepEqual(page.body.events, all, 'the JSON page holds the same events');
    assert.equal(page.body.status, 'completed');
    const tail = await service.api.get<{ events: WireEvent[] }>(`/v1/runs/${runId}/events?after=${all.length - 1}`);
    assert.deepEqual(
      tail.body.events.map((e) => e.seq),
      [all.length],
    );
  });

  test('a client that disconnects cancels nothing: the run finishes and can be fetched later', async () => {
    const stream = await service.api.stream('POST', '/v1/runs', {
      body: { input: 'create an incident for the flickering lights in the lobby' },
    });
    const runId = stream.headers.get('x-run-id')!;
    assert.equal((await stream.next())!.type, 'run_started');
    await stream.close();
    const run = await service.api.settled(runId);
    assert.equal(run.status, 'completed');
    assert.match(String(run['answer']), /INC\d{7}/);
  });

  test('a destructive call pauses the run for approval; approving resumes it on the same run and thread', async () => {
    const created = (
      await service.api.post<Run>('/v1/runs', { input: 'create an incident for the broken badge reader at the main entrance' })
    ).body;
    const number = incidentOf(created);
    const stream = await service.api.stream('POST', '/v1/runs', { body: { input: 'set it to In Progress', threadId: created.threadId } });
    const runId = stream.headers.get('x-run-id')!;
    const events = await stream.rest();
    const pause = events.at(-1)!;
    assert.equal(pause.type, 'approval_needed', 'the stream ends at the pause');
    const pending = pause['pending'] as Run['pending'];
    assert.equal(pending[0]!.name, 'incident__update_incident');
    assert.equal(pending[0]!.args['number'], number, 'the reference resolved to the incident of the earlier run');
    assert.match(pending[0]!.reason, /destructive/);
    const waiting = (await service.api.get<Run>(`/v1/runs/${runId}`)).body;
    assert.equal(waiting.status, 'waiting_approval');
    assert.deepEqual(waiting.pending, pending);
    assert.deepEqual(await service.api.events(runId, pause.seq), [], 'a stream resumed at the pause ends at once while the run waits');

    const resumed = await service.api.stream('POST', `/v1/runs/${runId}/approval`, { body: { approve: true } });
    const more = await resumed.rest();
    assert.equal(more[0]!.seq, pause.seq + 1, 'the events continue under the same run and numbering');
    assert.equal(more[0]!.type, 'run_started');
    assert.equal(more[0]!['resumed'], 'approval');
    assert.equal(more.at(-1)!.type, 'answer');
    const done = (await service.api.get<Run>(`/v1/runs/${runId}`)).body;
    assert.equal(done.status, 'completed');
    const update = done.toolCalls.find((c) => c.name === 'incident__update_incident')!;
    assert.equal((update.result as { incident: { state: string } }).incident.state, 'In Progress');
    assert.deepEqual(done.pending, []);

    const again = await service.api.post(`/v1/runs/${runId}/approval`, { approve: true });
    assert.equal(again.status, 409, 'a run that is not waiting cannot be approved');
  });

  test('refusing a paused call finishes the run without running it', async () => {
    const created = (await service.api.post<Run>('/v1/runs', { input: 'create an incident for the coffee machine leaking water' })).body;
    const paused = (await service.api.post<Run>('/v1/runs', { input: 'set it to In Progress', threadId: created.threadId })).body;
    assert.equal(paused.status, 'waiting_approval', 'a JSON caller gets the paused run');
    const bad = await service.api.post(`/v1/runs/${paused.id}/approval`, { decisions: { nope: { approve: true } } });
    assert.equal(bad.status, 400);
    assert.match(String((bad.body['error'] as { message: string }).message), /not pending/);
    const refused = (
      await service.api.post<Run>(`/v1/runs/${paused.id}/approval`, { decisions: { [paused.pending[0]!.id]: { approve: false } } })
    ).body;
    assert.equal(refused.status, 'completed');
    assert.equal(refused.toolCalls.filter((c) => c.name === 'incident__update_incident').length, 0, 'nothing was updated');
    const events = await service.api.events(paused.id);
    assert.ok(
      events.some((e) => e.type === 'tool_declined'),
      events.map((e) => e.type).join(),
    );
  });

  test('GET /v1/threads/:id lists the conversation and its runs; a second run on a busy thread is refused', async () => {
    const first = (await service.api.post<Run>('/v1/runs', { input: 'create an incident for the broken window in room 12' })).body;
    const paused = (await service.api.post<Run>('/v1/runs', { input: 'set it to In Progress', threadId: first.threadId })).body;
    const busy = await service.api.post('/v1/runs', { input: 'hello', threadId: first.threadId });
    assert.equal(busy.status, 409, 'one active run per thread');
    const cancelled = await service.api.delete<Run>(`/v1/runs/${paused.id}`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal((await service.api.delete(`/v1/runs/${paused.id}`)).status, 409, 'a finished run cannot be cancelled');

    const thread = await service.api.get<{
      messages: { role: string; content: string; toolCalls?: unknown[] }[];
      runs: { id: string; status: string }[];
    }>(`/v1/threads/${first.threadId}`);
    assert.equal(thread.status, 200);
    const roles = thread.body.messages.map((m) => m.role);
    assert.deepEqual(roles.slice(0, 4), ['user', 'assistant', 'tool', 'assistant']);
    assert.equal(thread.body.messages[0]!.content, 'create an incident for the broken window in room 12');
    assert.ok(thread.body.messages[1]!.toolCalls?.length);
    assert.equal(roles.at(-1), 'assistant', 'the cancelled turn was closed off');
    assert.match(thread.body.messages.at(-1)!.content, /stopped before it finished/);
    assert.deepEqual(thread.body.runs.map((r) => r.status).sort(), ['cancelled', 'completed']);
    assert.equal((await service.api.get(`/v1/threads/no-such-thread`)).status, 404);

    const next = (await service.api.post<Run>('/v1/runs', { input: 'search for printer jams', threadId: first.threadId })).body;
    assert.equal(next.status, 'completed', 'the thread goes on after a cancelled run');
  });

  test('servers and model are validated: 400 naming the valid ones', async () => {
    const servers = await service.api.post('/v1/runs', { input: 'hello', servers: ['incident', 'nope'] });
    assert.equal(servers.status, 400);
    assert.match((servers.body['error'] as { message: string }).message, /unknown server "nope"; valid: analysis, incident, search/);
    const model = await service.api.post('/v1/runs', { input: 'hello', model: 'gpt-9' });
    assert.equal(model.status, 400);
    assert.match((model.body['error'] as { message: string }).message, /model: unknown model "gpt-9"/);
    const subset = (
      await service.api.post<Run & { servers: string[] }>('/v1/runs', {
        input: 'how angry is this: "I hate this"',
        servers: ['analysis'],
        model: 'offline',
      })
    ).body;
    assert.equal(subset.status, 'completed');
    assert.deepEqual(subset.servers, ['analysis']);
    assert.ok(subset.toolCalls.every((c) => c.server === 'analysis'));
  });

  test("Prefer: respond-async answers 202 at once; GET /v1/runs lists the caller's runs", async () => {
    const accepted = await service.api.post<Run>(
      '/v1/runs',
      { input: 'search for password reset steps' },
      { headers: { prefer: 'respond-async' } },
    );
    assert.equal(accepted.status, 202);
    assert.ok(['queued', 'running'].includes(accepted.body.status));
    const settled = await service.api.settled(accepted.body.id);
    assert.equal(settled.status, 'completed');
    const list = await service.api.get<{ runs: Run[] }>('/v1/runs?limit=3');
    assert.equal(list.body.runs.length, 3);
    assert.equal(list.body.runs[0]!.id, accepted.body.id, 'newest first');
    // Regression: a fractional limit reached SQL as such and failed with a 500.
    const fractional = await service.api.get<{ runs: Run[] }>('/v1/runs?limit=2.5');
    assert.equal(fractional.status, 200);
    assert.equal(fractional.body.runs.length, 2);
  });

  test('/healthz, /readyz (which agents are reachable), /metrics, /openapi.json', async () => {
    const health = await service.api.get('/healthz');
    assert.equal(health.body['status'], 'ok');
    const ready = await service.api.get<{ ready: boolean; agents: Record<string, { reachable: boolean }> }>('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(Object.keys(ready.body.agents).sort(), ['analysis', 'incident', 'search']);
    assert.ok(Object.values(ready.body.agents).every((a) => a.reachable));
    const metrics = await service.api.get<string>('/metrics');
    assert.match(metrics.body, /switchboard_http_requests_total\{replica="[^"]+",method="POST",route="\/v1\/runs",status="200"\} \d+/);
    assert.match(metrics.body, /switchboard_run_segments_total\{replica="[^"]+",outcome="completed"\} \d+/);
    const doc = await service.api.get<{ openapi: string; paths: Record<string, unknown> }>('/openapi.json');
    assert.equal(doc.body.openapi, '3.1.0');
    assert.ok(doc.body.paths['/v1/runs/{id}/events']);
    const page = await fetch(new URL('/', service.url));
    assert.equal(page.headers.get('content-type')?.split(';')[0], 'text/html', '/ is the web page');
    assert.match(await page.text(), /<html/i);
  });
});
