import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { RunningCluster } from '../../scripts/lib/cluster.ts';
import { cleanupAfter } from '../helpers/cleanup.ts';
import { connectStreamable } from '../helpers/mcpClient.ts';
import { MODERN_PROTOCOL_VERSION, connectModern } from '../helpers/modernClient.ts';
import { nginxSkipReason, perReplica } from '../helpers/nginx.ts';
import { startTestCluster } from './harness.ts';

const skip = nginxSkipReason();

/** How many calls each replica served since `before`, from the replicas' own /metrics. */
async function servedSince(cluster: RunningCluster, before: Record<string, number>): Promise<Record<string, number>> {
  const after = await perReplica(cluster.group('incident'), 'mcp_tool_calls_total', { tool: 'search_incidents', outcome: 'ok' });
  return Object.fromEntries(Object.entries(after).map(([name, n]) => [name, n - (before[name] ?? 0)]));
}

// 2025-11-25 sessions through a round-robin balancer with no affinity: a session opened on one
// replica is served by all of them (its state in Redis); 2026-07-28 clients on the same /mcp need no state at all.
describe('a cluster: nginx, 3 stateful incident replicas sharing sessions through Redis', { skip }, () => {
  const cleanup = cleanupAfter();
  let cluster: RunningCluster;

  before(async () => {
    ({ cluster } = await startTestCluster(cleanup, { agents: ['incident'], agentReplicas: 3, serviceReplicas: 0 }));
  });

  const baseline = () => perReplica(cluster.group('incident'), 'mcp_tool_calls_total', { tool: 'search_incidents', outcome: 'ok' });

  test('one session, 300 calls, 0 errors, spread over all three replicas', async () => {
    const start = await baseline();
    const { client } = await connectStreamable(`${cluster.urls['incident']}/mcp`);
    cleanup.defer(() => client.close());
    const errors: string[] = [];
    for (let i = 0; i < 300; i++) {
      try {
        const result = await client.callTool({ name: 'search_incidents', arguments: { query: `login ${i}` } });
        if (result.isError) errors.push(`call ${i}: ${JSON.stringify(result.content)}`);
      } catch (error) {
        errors.push(`call ${i}: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(errors.slice(0, 5), [], `${errors.length} of 300 calls failed`);
    const served = await servedSince(cluster, start);
    assert.equal(
      Object.values(served).reduce((a, b) => a + b, 0),
      300,
      JSON.stringify(served),
    );
    for (const [name, n] of Object.entries(served)) assert.ok(n >= 50, `${name} served ${n} of 300: ${JSON.stringify(served)}`);
  });

  test('20 parallel sessions, 15 calls each, 0 errors, spread over all three replicas', async () => {
    const start = await baseline();
    const clients = await Promise.all(Array.from({ length: 20 }, () => connectStreamable(`${cluster.urls['incident']}/mcp`)));
    cleanup.defer(() => Promise.all(clients.map(({ client }) => client.close())));
    const outcomes = await Promise.all(
      clients.map(async ({ client }, s) => {
        const failed: string[] = [];
        for (let i = 0; i < 15; i++) {
          const result = await client
            .callTool({ name: 'search_incidents', arguments: { query: `session ${s} call ${i}` } })
            .catch((error: Error) => ({ isError: true, content: error.message }));
          if (result.isError) failed.push(`session ${s} call ${i}: ${JSON.stringify(result.content)}`);
        }
        return failed;
      }),
    );
    const errors = outcomes.flat();
    assert.deepEqual(errors.slice(0, 5), [], `${errors.length} of 300 calls failed`);
    const served = await servedSince(cluster, start);
    assert.equal(
      Object.values(served).reduce((a, b) => a + b, 0),
      300,
      JSON.stringify(served),
    );
    for (const [name, n] of Object.entries(served)) assert.ok(n >= 50, `${name} served ${n} of 300: ${JSON.stringify(served)}`);
  });

  test('a 2026-07-28 client beside the sessions: 90 calls with no session, 0 errors, spread over all three replicas', async () => {
    const start = await baseline();
    const client = await connectModern(`${cluster.urls['incident']}/mcp`);
    cleanup.defer(() => client.close());
    assert.equal(client.getNegotiatedProtocolVersion(), MODERN_PROTOCOL_VERSION);
    const errors: string[] = [];
    for (let i = 0; i < 90; i++) {
      const result = await client
        .callTool({ name: 'search_incidents', arguments: { query: `modern ${i}` } })
        .catch((error: Error) => ({ isError: true, content: error.message }));
      if (result.isError) errors.push(`call ${i}: ${JSON.stringify(result.content)}`);
    }
    assert.deepEqual(errors.slice(0, 5), [], `${errors.length} of 90 calls failed`);
    const served = await servedSince(cluster, start);
    assert.equal(
      Object.values(served).reduce((a, b) => a + b, 0),
      90,
      JSON.stringify(served),
    );
    for (const [name, n] of Object.entries(served)) assert.ok(n >= 15, `${name} served ${n} of 90: ${JSON.stringify(served)}`);
  });
});
