import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Cleanup } from '../../helpers/cleanup.ts';
import { rawPost } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';
import { offlineModels, startAgent, startService, type ServiceUnderTest } from '../service/harness.ts';

const V = '2025-11-25';
const cleanup = new Cleanup();
let service: ServiceUnderTest;
let mcp: string;

before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-service-mcp-'));
  cleanup.defer(() => rm(dir, { recursive: true, force: true }));
  const agent = await cleanup.start(startAgent(createTestAgent()));
  service = await cleanup.start(
    startService({ dataDir: dir, servers: agent.servers, resolveModel: offlineModels(), mcpSessions: { maxSessionsPerClient: 2 } }),
  );
  mcp = `${service.url}/mcp`;
});
after(() => cleanup.close());

async function session(): Promise<Record<string, string>> {
  const init = await rawPost(
    mcp,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }),
  );
  assert.equal(init.status, 200, init.text);
  return { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': V };
}

test("regression: the service's /mcp answers every request (issue 9)", { timeout: 20_000 }, async () => {
  const headers = await session();
  for (const body of [
    '{"jsonrpc":"2.0","id":7,"method":"tools/call","p(rams":{}}',
    '{"jsonrpc":"2.0","id":7,"method":"ping","extra":1}',
    '{"jsonrpc":"2.0","id":7,"method":"ping","params":[]}',
  ]) {
    const r = await rawPost(mcp, body, headers);
    assert.equal(r.status, 400, body);
    const answer = JSON.parse(r.text) as { id: number; error: { code: number } };
    assert.deepEqual([answer.id, answer.error.code], [7, -32600], body);
  }
  const r = await rawPost(mcp, '{"jsonrpc":"2.0","id":8,"method":"tools/call"}', headers);
  const answer = JSON.parse(r.text) as { id: number; error: { code: number; message: string } };
  assert.deepEqual([answer.id, answer.error.code], [8, -32602]);
});

test("the service's /mcp takes its session limits from its options (mcpSessions)", async () => {
  const first = await session();
  await session();
  await session(); // a third from the same client: its least recently used idle one gives way
  const ping = await rawPost(mcp, '{"jsonrpc":"2.0","id":2,"method":"ping"}', first);
  assert.equal(ping.status, 404);
});
