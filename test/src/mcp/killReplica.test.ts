import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'redis';
import { ServerEntrySchema } from '../../../src/config/file.ts';
import { uniqueRedisPrefix } from '../../../src/mcp/index.ts';
import { ServerConnection } from '../../../src/orchestrator/serverConnection.ts';
import { REDIS_URL } from '../../helpers/replicas.ts';
import { startRoundRobin, type RoundRobin } from '../../helpers/roundRobin.ts';

const replicaScript = fileURLToPath(new URL('../../helpers/replicaProcess.ts', import.meta.url));

async function startReplica(prefix: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [replicaScript], {
    env: { ...process.env, REPLICA_REDIS_URL: REDIS_URL, REPLICA_PREFIX: prefix, REPLICA_HEARTBEAT_MS: '200' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => ['exit'])])) as [string];
  if (line === 'exit') throw new Error('the replica process exited before listening');
  lines.close();
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

describe('kill -9 a replica mid-call (sessions in Redis, a round-robin balancer)', () => {
  const prefix = uniqueRedisPrefix();
  const redis = createClient({ url: REDIS_URL });
  const replicas: { child: ChildProcess; url: string }[] = [];
  const alive = () => replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
  let balancer: RoundRobin;
  before(async () => {
    await redis.connect();
    replicas.push(...(await Promise.all([0, 1, 2].map(() => startReplica(prefix)))));
    balancer = await startRoundRobin(replicas.map((r) => r.url));
  });
  after(async () => {
    await balancer?.close();
    for (const { child } of alive()) child.kill('SIGKILL');
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(keys);
    await redis.close();
  });

  test('the client resumes on another replica, gets a clear error, retries with its idempotency key: one write', async () => {
    const connection = new ServerConnection({ name: 'cluster', entry: ServerEntrySchema.parse({ url: balancer.url }) });
    try {
      await connection.listTools();
      const calling = connection.callTool({ name: 'keyed_write', arguments: { idempotency_key: 'k-1', delay_ms: 2000 } });
      calling.catch(() => undefined);
      // The write happened; the replica that did it is killed while the call is still working.
      let writer: string | null = null;
      for (let i = 0; i < 200 && writer === null; i++) {
        writer = await redis.get(`${prefix}:idem:k-1`);
        if (writer === null) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.ok(writer, 'the call reached a replica');
      const victim = replicas.find((r) => String(r.child.pid) === writer)!.child;
      victim.kill('SIGKILL');
      await once(victim, 'exit');
      const result = await calling;
      assert.equal(result.isError, undefined, JSON.stringify(result));
      const output = JSON.parse((result.content as { text: string }[])[0]!.text) as { writes: number; replica: number };
      assert.equal(output.writes, 1, 'the retried call found the first write and did not write again');
      assert.notEqual(String(output.replica), writer, 'the answer came from a replica still alive');
      assert.equal(await redis.get(`${prefix}:writes`), '1');
    } finally {
      await connection.close();
    }
  });

  test('without a retry the client is told why: the raw error names the lost replica', async () => {
    // Straight at the resume: a stream whose writer died ends with an error the client can act on.
    const [victim, survivor] = alive() as [(typeof replicas)[0], (typeof replicas)[0]];
    assert.ok(survivor, 'two replicas are left');
    const url = survivor.url;
    const init = await fetch(victim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }),
    });
    const session = init.headers.get('mcp-session-id')!;
    await init.text();
    const headers = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    const response = await fetch(victim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 42,
        method: 'tools/call',
        params: { name: 'keyed_write', arguments: { idempotency_key: 'k-2', delay_ms: 5000 }, _meta: { progressToken: 1 } },
      }),
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!/id: \S+_[1-9]/.test(text)) text += (await reader.read()).value ?? '';
    const lastId = [...text.matchAll(/id: (\S+)/g)].at(-1)![1]!;
    victim.child.kill('SIGKILL');
    await once(victim.child, 'exit');
    await reader.cancel().catch(() => undefined);
    const resumed = await fetch(url, { headers: { accept: 'text/event-stream', ...headers, 'last-event-id': lastId } });
    assert.equal(resumed.status, 200);
    const body = await resumed.text(); // ends once the error is sent
    const final = JSON.parse(
      body
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('data: {'))
        .at(-1)!
        .slice(6),
    ) as {
      id: number;
      error: { message: string; data: { reason: string } };
    };
    assert.equal(final.id, 42);
    assert.equal(final.error.data.reason, 'replica-lost');
    assert.match(final.error.message, /stopped before answering.*retry it/);
  });
});
