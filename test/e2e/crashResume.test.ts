import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openSqliteIncidentRepository, sqliteIncidentPath } from '../../servers/incident/sqliteRepository.ts';
import { SqliteSaver } from '../../src/store/checkpoint/index.ts';
import { cleanupAfter, type Cleanup } from '../helpers/cleanup.ts';
import { reply, startFakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { sseReader } from '../helpers/sse.ts';
import { createGateAgent } from '../src/service/fixtures.ts';
import { startAgent, startBuiltinAgents } from '../src/service/harness.ts';

const KEY = 'e2e-crash-key';

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
}

/** `node scripts/serve.ts` as a child process, ready once it prints its URL; `cleanup` kills it. */
async function serve(args: string[], env: Record<string, string>, cleanup: Cleanup): Promise<Served> {
  const child = spawn(process.execPath, ['scripts/serve.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  cleanup.defer(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  });
  let log = '';
  child.stderr!.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: string) => {
      log += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(log);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${log}`)));
  });
  return { child, url };
}

const api = (url: string, path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('a service killed mid-step (kill -9), restarted', () => {
  const cleanup = cleanupAfter();

  test('regression: resumes the run, repeats no finished call, and leaves exactly one incident that the answer cites', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-crash-'));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
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
    const env = {
      SWITCHBOARD_DATA_DIR: join(dir, 'service'),
      DATABASE_URL: '',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      SWITCHBOARD_MODEL: 'openai:gpt-4o-mini',
      SWITCHBOARD_API_KEYS: KEY,
      HOST: '127.0.0.1',
      PORT: '0',
      MCP_AUTH_TOKEN: '',
    };
    const args = ['--config', config, '--takeover', '1'];

    // One step, two calls: the create finishes, the slow one is still waiting when the process dies.
    fake.enqueue(
      reply.toolCalls([
        { id: 'call_create', name: 'incident__create_incident', arguments: { short_description: 'VPN down in Lyon', urgency: 'high' } },
        { id: 'call_slow', name: 'test__wait_for', arguments: { label: 'slow' } },
      ]),
    );
    const first = await serve(args, env, cleanup);
    const started = await api(first.url, '/v1/runs', {
      method: 'POST',
      headers: { prefer: 'respond-async' },
      body: JSON.stringify({ input: 'open an incident for the Lyon VPN, then wait for the slow check' }),
    });
    assert.equal(started.status, 202);
    const run = (await started.json()) as { id: string; threadId: string };
    await gates.gate('slow').started;

    // Kill once the create's result is in the thread's checkpoint (a pending write of the step).
    const saver = SqliteSaver.open(join(env.SWITCHBOARD_DATA_DIR, 'threads.sqlite'));
    cleanup.defer(async () => saver.close());
    const createSaved = async () =>
      ((await saver.getTuple({ configurable: { thread_id: run.threadId } }))?.pendingWrites ?? []).some(
        ([, channel, value]) => channel === 'messages' && JSON.stringify(value).includes('INC0010001'),
      );
    while (!(await createSaved())) await tick();
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    gates.open('slow');
    fake.enqueue(reply.text('Opened INC0010001 for the Lyon VPN; the slow check passed.'));
    const second = await serve(args, env, cleanup);
    const events = await api(second.url, `/v1/runs/${run.id}/events`, { headers: { accept: 'text/event-stream' } });
    const reader = sseReader(events.body!);
    const seen: { type: string; data: Record<string, unknown> }[] = [];
    for (let event = await reader.next(); event !== undefined; event = await reader.next()) {
      if (event.data === '') continue; // the priming event
      const data = JSON.parse(event.data) as Record<string, unknown>;
      seen.push({ type: String(event.event), data });
      if (['answer', 'error', 'cancelled'].includes(String(event.event))) break;
    }
    await reader.cancel();

    const finished = (await (await api(second.url, `/v1/runs/${run.id}`)).json()) as { status: string; answer: string };
    assert.equal(finished.status, 'completed');
    assert.match(finished.answer, /INC0010001/);
    const starts = seen.filter((e) => e.type === 'tool_start').map((e) => e.data['name']);
    assert.equal(starts.filter((name) => name === 'incident__create_incident').length, 1, `tool starts: ${starts.join(', ')}`);
    assert.equal(gates.gate('slow').calls, 2, 'the call in flight at the kill ran again');
    // The model's last turn saw the one incident, from the first process's create.
    const lastTurn = JSON.stringify(fake.requests.at(-1)?.body?.['messages']);
    assert.match(lastTurn, /INC0010001/);
    assert.doesNotMatch(lastTurn, /INC0010002/);

    const incidents = await openSqliteIncidentRepository({ path: sqliteIncidentPath(agentData) });
    try {
      const all = await incidents.search({});
      assert.deepEqual(
        all.incidents.map((incident) => incident.number),
        ['INC0010001'],
      );
    } finally {
      await incidents.close();
    }
    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
  });
});
