import assert from 'node:assert/strict';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { CallToolResultSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';
import type { Replica, RunningCluster } from '../../scripts/lib/cluster.ts';
import { ServerEntrySchema } from '../../src/config/file.ts';
import { ServerConnection } from '../../src/orchestrator/serverConnection.ts';
import { cleanupAfter, type Cleanup } from '../helpers/cleanup.ts';
import { connectStreamable } from '../helpers/mcpClient.ts';
import { nginxSkipReason, perReplica } from '../helpers/nginx.ts';
import { startTestCluster } from './harness.ts';

const skip = nginxSkipReason();

/**
 * Holds the incident counter's row lock in a transaction of its own: every create_incident blocks on it
 * (the repository takes it first), so a call stays in flight on its replica until `release`.
 */
async function holdCreates(cleanup: Cleanup, databaseUrl: string): Promise<{ pid: number; release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  cleanup.defer(() => client.end());
  await client.query('BEGIN');
  await client.query("SELECT value FROM counters WHERE name = 'incident' FOR UPDATE");
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  let released = false;
  return {
    pid,
    release: async () => {
      if (released) return;
      released = true;
      await client.query('ROLLBACK');
    },
  };
}

/** The local TCP port of the PostgreSQL connection waiting on the lock `holder` holds (polls until one waits). */
async function waitingClientPort(databaseUrl: string, holder: number): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let i = 0; i < 400; i++) {
      const { rows } = await client.query<{ client_port: number }>(
        'SELECT client_port FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))',
        [holder],
      );
      if (rows[0]) return rows[0].client_port;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('no create_incident came to wait on the counter lock');
  } finally {
    await client.end();
  }
}

/** The replica whose process owns the local TCP socket on `port` (Linux: /proc/net/tcp and the replicas' fds). */
async function replicaOwningPort(replicas: readonly Replica[], port: number): Promise<Replica> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`)) inodes.add(`socket:[${fields[9]}]`);
    }
  }
  for (const replica of replicas) {
    const pid = replica.pid();
    if (pid === undefined) continue;
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [])) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (inodes.has(target)) return replica;
    }
  }
  throw new Error(`no replica owns the PostgreSQL connection from port ${port}`);
}

/** How many incidents carry `key` (the column is unique: 0 or 1), and how many there are in all. */
async function incidentsWithKey(databaseUrl: string, key: string): Promise<{ keyed: number; all: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ keyed: string; all: string }>(
      'SELECT count(*) FILTER (WHERE idempotency_key = $1) AS keyed, count(*) AS all FROM incidents',
      [key],
    );
    return { keyed: Number(rows[0]!.keyed), all: Number(rows[0]!.all) };
  } finally {
    await client.end();
  }
}

// Issue 10's kill-a-replica resume through real nginx: a create_incident in flight on a replica that is
// killed -9 resumes through the balancer; the client gets the result or an error naming the lost replica,
// and the incident is written once.
describe('a cluster: kill -9 the replica serving a create_incident, through nginx', { skip }, () => {
  const cleanup = cleanupAfter();
  let cluster: RunningCluster;
  let databaseUrl: string;

  before(async () => {
    ({ cluster, databaseUrl } = await startTestCluster(cleanup, { agents: ['incident'], agentReplicas: 3, serviceReplicas: 0 }));
  });

  test("the orchestrator's connection resumes on a survivor, retries with its idempotency key: one incident", async () => {
    const connection = new ServerConnection({
      name: 'incident',
      entry: ServerEntrySchema.parse({ url: `${cluster.urls['incident']}/mcp` }),
    });
    cleanup.defer(() => connection.close());
    await connection.listTools();
    const lock = await holdCreates(cleanup, databaseUrl);
    cleanup.defer(() => lock.release());
    const key = 'kill-replica-1';
    const calling = connection.callTool({
      name: 'create_incident',
      arguments: { short_description: 'VPN drops every hour', urgency: 'high', impact: 'medium', idempotency_key: key },
    });
    calling.catch(() => undefined);
    const victim = await replicaOwningPort(cluster.group('incident'), await waitingClientPort(databaseUrl, lock.pid));
    await victim.kill('SIGKILL');
    assert.equal(victim.running(), false, `${victim.name} was killed`);
    await lock.release();

    const result = await calling;
    assert.equal(result.isError, undefined, JSON.stringify(result));
    const text = (result.content as { text: string }[])[0]!.text;
    assert.match(text, /INC\d+/, text);
    const survivors = cluster.group('incident').filter((replica) => replica !== victim);
    const answered = await perReplica(survivors, 'mcp_tool_calls_total', { tool: 'create_incident', outcome: 'ok' });
    assert.equal(
      Object.values(answered).reduce((a, b) => a + b, 0),
      1,
      `a survivor answered the retry: ${JSON.stringify(answered)}`,
    );
    // The first test in a fresh schema: the one incident there is is the keyed one.
    assert.deepEqual(await incidentsWithKey(databaseUrl, key), { keyed: 1, all: 1 }, 'the retried create wrote the incident once');
    await victim.start(); // three replicas again for the next test
  });

  test('a raw client resuming with Last-Event-ID through nginx is told the replica was lost', async () => {
    const url = `${cluster.urls['incident']}/mcp`;
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(body),
      });
    const init = await post({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    const session = init.headers.get('mcp-session-id');
    assert.ok(session, 'the session has an id');
    await init.text();
    const headers = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).text();

    const lock = await holdCreates(cleanup, databaseUrl);
    cleanup.defer(() => lock.release());
    const key = 'kill-replica-2';
    const response = await post(
      {
        jsonrpc: '2.0',
        id: 42,
        method: 'tools/call',
        params: { name: 'create_incident', arguments: { short_description: 'Printer jams on floor 3', idempotency_key: key } },
      },
      headers,
    );
    assert.equal(response.status, 200);
    const upstream = response.headers.get('x-switchboard-upstream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!/id: \S+/.test(text)) {
      const { value, done } = await reader.read();
      assert.equal(done, false, `the stream ended before an event id: ${text}`);
      text += value;
    }
    const lastId = [...text.matchAll(/id: (\S+)/g)].at(-1)![1]!;
    const victim = await replicaOwningPort(cluster.group('incident'), await waitingClientPort(databaseUrl, lock.pid));
    assert.ok(upstream?.endsWith(`:${victim.port}`), `nginx sent the call to ${upstream}, ${victim.name} runs it`);
    await victim.kill('SIGKILL');
    await reader.cancel().catch(() => undefined);
    await lock.release();

    const resumed = await fetch(url, { headers: { accept: 'text/event-stream', ...headers, 'last-event-id': lastId } });
    assert.equal(resumed.status, 200);
    const body = await resumed.text(); // ends once the answer is sent
    const final = JSON.parse(
      body
        .split('\n')
        .filter((line) => line.startsWith('data: {'))
        .at(-1)!
        .slice(6),
    ) as { id: number; result?: unknown; error?: { message: string; data: { reason: string } } };
    assert.equal(final.id, 42, body);
    assert.equal(final.error?.data.reason, 'replica-lost', body);
    assert.match(final.error.message, /stopped before answering.*retry it/);
    assert.deepEqual(await incidentsWithKey(databaseUrl, key), { keyed: 0, all: 1 }, 'the killed replica wrote nothing');
    await victim.start();
  });

  test('an SDK v1 client holding a resumption token reconnects through nginx on its own and gets the clear error', async () => {
    const { client } = await connectStreamable(`${cluster.urls['incident']}/mcp`);
    cleanup.defer(() => client.close());
    const lock = await holdCreates(cleanup, databaseUrl);
    cleanup.defer(() => lock.release());
    const key = 'kill-replica-3';
    const tokens: string[] = [];
    const calling = client.request(
      {
        method: 'tools/call',
        params: { name: 'create_incident', arguments: { short_description: 'Mail queue stuck', idempotency_key: key } },
      },
      CallToolResultSchema,
      { onresumptiontoken: (token) => tokens.push(token), timeout: 60_000 },
    );
    calling.catch(() => undefined);
    const victim = await replicaOwningPort(cluster.group('incident'), await waitingClientPort(databaseUrl, lock.pid));
    for (let i = 0; i < 200 && tokens.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.ok(tokens.length > 0, "the call's stream gave the client an event id to resume from");
    await victim.kill('SIGKILL');
    await lock.release();

    const error = (await calling.then(
      (result) => assert.fail(`expected the replica-lost error, got ${JSON.stringify(result)}`),
      (error: unknown) => error,
    )) as McpError;
    assert.ok(error instanceof McpError, String(error));
    assert.equal((error.data as { reason?: string } | undefined)?.reason, 'replica-lost', String(error));
    assert.match(error.message, /stopped before answering.*retry it/);
    assert.deepEqual(await incidentsWithKey(databaseUrl, key), { keyed: 0, all: 1 }, 'the killed replica wrote nothing');
    await victim.start();
  });
});
