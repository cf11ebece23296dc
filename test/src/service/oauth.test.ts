import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startAuthServer, type LocalAuthServer } from '../../helpers/authServer.ts';
import { rawPost } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';
import { offlineModels, startAgent, startService, type ServiceUnderTest } from './harness.ts';

const errorOf = (body: unknown) => (body as { error: { code: string; message: string } }).error;

describe('the service as an OAuth resource server (/v1 and /mcp)', () => {
  let dir: string;
  let as: LocalAuthServer;
  let agent: Awaited<ReturnType<typeof startAgent>>;
  let service: ServiceUnderTest;
  let resource: string;
  const token = (scope: string, subject = 'client-a') => as.sign({ audience: resource, scope, subject });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-oauth-'));
    as = await startAuthServer();
    agent = await startAgent(createTestAgent());
    service = await startService({
      dataDir: dir,
      servers: agent.servers,
      resolveModel: offlineModels(),
      apiKeys: ['static-api-key'],
      oauth: { issuer: as.issuer, jwksCooldownMs: 0 },
    });
    resource = `${service.url}/mcp`;
  });
  after(async () => {
    await service?.close(100);
    await agent?.close();
    await as?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('serves Protected Resource Metadata for its /mcp resource', async () => {
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const response = await fetch(`${service.url}${path}`);
      assert.equal(response.status, 200, path);
      const doc = (await response.json()) as Record<string, unknown>;
      assert.equal(doc['resource'], resource);
      assert.deepEqual(doc['authorization_servers'], [as.issuer]);
    }
  });

  test('the API answers 401 with the resource metadata challenge, in its own error format', async () => {
    const none = await service.api.get('/v1/runs');
    assert.equal(none.status, 401);
    assert.equal(errorOf(none.body).code, 'unauthorized');
    const challenge = none.headers.get('www-authenticate')!;
    assert.ok(challenge.includes(`resource_metadata="${service.url}/.well-known/oauth-protected-resource/mcp"`), challenge);

    const elsewhere = await service.api
      .as(await as.sign({ audience: 'https://other.example.com/mcp', scope: 'mcp:write' }))
      .get('/v1/runs');
    assert.equal(elsewhere.status, 401);
    assert.match(errorOf(elsewhere.body).message, /audience/);
    assert.match(elsewhere.headers.get('www-authenticate')!, /error="invalid_token"/);
  });

  test('GETs need the read scope, a new run the write scope (403 insufficient_scope naming it)', async () => {
    const reader = service.api.as(await token('mcp:read'));
    assert.equal((await reader.get('/v1/runs')).status, 200);
    const refused = await reader.post('/v1/runs', { input: 'echo hello' });
    assert.equal(refused.status, 403);
    assert.equal(errorOf(refused.body).code, 'insufficient_scope');
    assert.match(errorOf(refused.body).message, /"mcp:write"/);
    assert.match(refused.headers.get('www-authenticate')!, /error="insufficient_scope", .*scope="mcp:write"/);

    const writer = service.api.as(await token('mcp:write'));
    const created = await writer.post('/v1/runs', { input: 'echo hello' });
    assert.ok(created.status === 200 || created.status === 201, `status ${created.status}`);
    const id = (created.body as { id: string }).id;
    // the run belongs to the token's subject: another client does not see it
    assert.equal((await writer.get(`/v1/runs/${id}`)).status, 200);
    const other = service.api.as(await token('mcp:read', 'client-b'));
    assert.equal((await other.get(`/v1/runs/${id}`)).status, 404);
  });

  test('API keys still work next to OAuth', async () => {
    assert.equal((await service.api.as('static-api-key').get('/v1/runs')).status, 200);
  });

  test('/mcp: orchestrate (not read-only) needs the write scope', async () => {
    const call = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    const unauthorized = await rawPost(resource, call);
    assert.equal(unauthorized.status, 401);
    assert.match(unauthorized.headers.get('www-authenticate')!, /resource_metadata="/);

    const reader = await token('mcp:read');
    const init = await rawPost(resource, call, { authorization: `Bearer ${reader}` });
    assert.equal(init.status, 200);
    const session = init.headers.get('mcp-session-id')!;
    const orchestrate = JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'orchestrate', arguments: { request: 'hi' } },
    });
    const refused = await rawPost(resource, orchestrate, {
      authorization: `Bearer ${reader}`,
      'mcp-session-id': session,
      'mcp-protocol-version': '2025-11-25',
    });
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('www-authenticate')!, /insufficient_scope.*scope="mcp:write"/);
  });
});
