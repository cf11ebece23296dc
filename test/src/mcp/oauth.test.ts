import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createAgentApp, type RunningAgentServer } from '../../../src/mcp/index.ts';
import { ConfigError } from '../../../src/errors.ts';
import { startAuthServer, type LocalAuthServer } from '../../helpers/authServer.ts';
import { cleanupAfter } from '../../helpers/cleanup.ts';
import { connectLegacySse, connectStreamable, rawPost, serve } from '../../helpers/mcpClient.ts';
import { MODERN_META, modernHeaders } from '../../helpers/modernClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const cleanup = cleanupAfter();
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});

/** A tools/call in stateless mode needs no session: one POST. */
const call = (name: string, args: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: args } });

describe('OAuth resource server on an agent', () => {
  let as: LocalAuthServer;
  let agent: RunningAgentServer;
  let resource: string;
  before(async () => {
    as = await cleanup.start(startAuthServer());
    // Only the issuer: the JWKS is found through the AS metadata. No cooldown, so a rotation is seen at once.
    agent = await cleanup.start(serve(createTestAgent(), { stateless: true, oauth: { issuer: as.issuer, jwksCooldownMs: 0 } }));
    resource = agent.url;
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  test('serves Protected Resource Metadata at the well-known path and its /mcp-suffixed form', async () => {
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const response = await fetch(new URL(path, agent.url));
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.deepEqual(await response.json(), {
        resource,
        authorization_servers: [as.issuer],
        scopes_supported: ['mcp:read', 'mcp:write'],
        bearer_methods_supported: ['header'],
      });
    }
    assert.equal((await fetch(new URL('/.well-known/oauth-protected-resource/other', agent.url))).status, 404);
  });

  test('401 without a token points at the metadata and names the scopes', async () => {
    const answer = await rawPost(agent.url, INITIALIZE);
    assert.equal(answer.status, 401);
    const challenge = answer.headers.get('www-authenticate')!;
    assert.match(challenge, /^Bearer /);
    assert.ok(challenge.includes(`resource_metadata="${new URL('/.well-known/oauth-protected-resource/mcp', agent.url).href}"`));
    assert.ok(challenge.includes('scope="mcp:read mcp:write"'));
    assert.doesNotMatch(challenge, /error=/);
    assert.match(JSON.parse(answer.text).error.message, /Authorization: Bearer/);
  });

  const refused = async (token: string, reason: RegExp) => {
    const answer = await rawPost(agent.url, INITIALIZE, bearer(token));
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get('www-authenticate')!, /error="invalid_token"/);
    assert.match(answer.headers.get('www-authenticate')!, /resource_metadata="/);
    assert.match(JSON.parse(answer.text).error.message, reason);
  };

  test('a token for another audience is refused (RFC 8707)', async () => {
    await refused(await as.sign({ audience: 'http://127.0.0.1:1/mcp', scope: 'mcp:write' }), /audience/);
    await refused(await as.sign({ scope: 'mcp:write' }), /audience/); // no aud at all
  });

  test('an expired token is refused, one a little past exp within the clock skew is not', async () => {
    await refused(await as.sign({ audience: resource, scope: 'mcp:read', expiresIn: -120 }), /expired/);
    const late = await as.sign({ audience: resource, scope: 'mcp:read', expiresIn: -5 });
    assert.equal((await rawPost(agent.url, INITIALIZE, bearer(late))).status, 200);
  });

  test('a token not valid yet is refused', async () => {
    await refused(await as.sign({ audience: resource, scope: 'mcp:read', notBefore: 600 }), /not valid yet/);
  });

  test('a token of another issuer is refused', async () => {
    await refused(await as.sign({ audience: resource, scope: 'mcp:read', issuer: 'http://127.0.0.1:1' }), /not issued by/);
  });

  test('a token signed with a key the JWKS does not publish, or with a tampered signature, is refused', async () => {
    await refused(await as.sign({ audience: resource, scope: 'mcp:read', key: await as.foreignKey() }), /key|signature/);
    const token = await as.sign({ audience: resource, scope: 'mcp:read' });
    const [header, payload, signature] = token.split('.');
    const flipped = signature!.startsWith('A') ? `B${signature!.slice(1)}` : `A${signature!.slice(1)}`;
    await refused(`${header}.${payload}.${flipped}`, /signature/);
    await refused('not-a-jwt', /not a valid JWT/);
  });

  test('a call without the scope it needs is 403 insufficient_scope naming the scope; tools/list is allowed', async () => {
    const reader = await as.sign({ audience: resource, scope: 'mcp:read' });
    const list = await rawPost(agent.url, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }), bearer(reader));
    assert.equal(list.status, 200);

    const write = await rawPost(agent.url, call('note', { text: 'x' }), bearer(reader));
    assert.equal(write.status, 403);
    const challenge = write.headers.get('www-authenticate')!;
    assert.match(challenge, /error="insufficient_scope"/);
    assert.match(challenge, /scope="mcp:write"/);
    assert.match(challenge, /resource_metadata="/);
    assert.match(JSON.parse(write.text).error.message, /"note" needs the scope "mcp:write"/);

    const nothing = await as.sign({ audience: resource, scope: 'profile' });
    const read = await rawPost(agent.url, call('echo', { text: 'x' }), bearer(nothing));
    assert.equal(read.status, 403);
    assert.match(read.headers.get('www-authenticate')!, /scope="mcp:read"/);
  });

  test('a 2026-07-28 call is held to the same scopes (regression: the era was decided before the scope check)', async () => {
    const reader = await as.sign({ audience: resource, scope: 'mcp:read' });
    const modernCall = (name: string, args: Record<string, unknown>) =>
      JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name, arguments: args, _meta: MODERN_META } });
    const write = await rawPost(agent.url, modernCall('note', { text: 'x' }), {
      ...bearer(reader),
      ...modernHeaders('tools/call', 'note'),
    });
    assert.equal(write.status, 403);
    assert.match(write.headers.get('www-authenticate')!, /error="insufficient_scope"/);
    const echo = await rawPost(agent.url, modernCall('echo', { text: 'hi' }), {
      ...bearer(reader),
      ...modernHeaders('tools/call', 'echo'),
    });
    assert.equal(echo.status, 200);
    assert.match(echo.text, /"resultType":"complete"/);
  });

  test('the right scope is served: read for read-only tools, write for the others (and read-only ones)', async () => {
    const reader = await as.sign({ audience: resource, scope: 'mcp:read' });
    const echo = await rawPost(agent.url, call('echo', { text: 'hi' }), bearer(reader));
    assert.equal(echo.status, 200);
    assert.match(echo.text, /"text":"hi"/);
    const writer = await as.sign({ audience: resource, scope: 'mcp:write' });
    for (const [name, args] of [
      ['note', { text: 'x' }],
      ['echo', { text: 'x' }],
    ] as const)
      assert.equal((await rawPost(agent.url, call(name, args), bearer(writer))).status, 200, name);
  });

  test('the SDK client connects and calls with a token; the tool sees the token subject and scopes', async () => {
    const token = await as.sign({ audience: resource, scope: 'mcp:read mcp:write', subject: 'svc-42' });
    const { client } = await connectStreamable(agent.url, bearer(token));
    try {
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      assert.match(JSON.stringify(result.structuredContent), /svc-42/);
    } finally {
      await client.close();
    }
  });

  test('the legacy SSE transport is held to the same scopes', async () => {
    const stateful = await cleanup.start(serve(createTestAgent(), { oauth: { issuer: as.issuer, jwksCooldownMs: 0 } }));
    const reader = await as.sign({ audience: stateful.url, scope: 'mcp:read' });
    const client = await connectLegacySse(stateful.url, bearer(reader));
    try {
      const echo = await client.callTool({ name: 'echo', arguments: { text: 'old' } });
      assert.match(JSON.stringify(echo.structuredContent), /old/);
      await assert.rejects(client.callTool({ name: 'note', arguments: { text: 'x' } }), /403|insufficient_scope|mcp:write/);
    } finally {
      await client.close();
    }
  });

  test('after a key rotation, a token with the new kid makes the server fetch the JWKS again', async () => {
    const before = await as.sign({ audience: resource, scope: 'mcp:read' });
    assert.equal((await rawPost(agent.url, INITIALIZE, bearer(before))).status, 200);
    const fetched = as.counts.jwks;
    await as.rotate();
    const after = await as.sign({ audience: resource, scope: 'mcp:read' });
    assert.equal((await rawPost(agent.url, INITIALIZE, bearer(after))).status, 200);
    assert.equal(as.counts.jwks, fetched + 1);
    // the old key is gone from the JWKS
    await refused(before, /key/);
  });
});

describe('OAuth resource server settings', () => {
  test('the Host check off without a resource URL is a start-up error naming MCP_RESOURCE_URL', () => {
    assert.throws(
      () => createAgentApp(createTestAgent(), { checkHost: false, oauth: { issuer: 'https://as.example.com' } }),
      (error: unknown) => error instanceof ConfigError && /MCP_RESOURCE_URL/.test(error.message),
    );
  });

  test('a fixed resource URL is used as the audience and in the metadata, scope names are settable', async () => {
    const as = await cleanup.start(startAuthServer());
    const agent = await cleanup.start(
      serve(createTestAgent(), {
        stateless: true,
        checkHost: false,
        oauth: {
          issuer: as.issuer,
          jwksUrl: as.jwksUrl,
          resourceUrl: 'https://mcp.example.com/test/mcp',
          readScope: 'test:read',
          writeScope: 'test:write',
        },
      }),
    );
    const prm = await fetch(new URL('/.well-known/oauth-protected-resource/test/mcp', agent.url));
    const doc = (await prm.json()) as { resource: string; scopes_supported: string[] };
    assert.equal(doc.resource, 'https://mcp.example.com/test/mcp');
    assert.deepEqual(doc.scopes_supported, ['test:read', 'test:write']);
    assert.equal(as.counts.metadata, 0, 'no discovery with a JWKS URL');
    const token = await as.sign({ audience: 'https://mcp.example.com/test/mcp', scope: 'test:read' });
    assert.equal((await rawPost(agent.url, call('echo', { text: 'x' }), { authorization: `Bearer ${token}` })).status, 200);
    const refused = await rawPost(agent.url, call('note', { text: 'x' }), { authorization: `Bearer ${token}` });
    assert.match(refused.headers.get('www-authenticate')!, /scope="test:write"/);
  });

  test('the static token still works next to OAuth', async () => {
    const as = await cleanup.start(startAuthServer());
    const agent = await cleanup.start(
      serve(createTestAgent(), { stateless: true, authTokens: { ops: 'static-secret' }, oauth: { issuer: as.issuer } }),
    );
    assert.equal((await rawPost(agent.url, call('note', { text: 'x' }), { authorization: 'Bearer static-secret' })).status, 200);
  });

  test('an authorization server that cannot be reached is a 503 naming it, not a 401', async () => {
    const agent = await cleanup.start(serve(createTestAgent(), { stateless: true, oauth: { issuer: 'http://127.0.0.1:1' } }));
    const answer = await rawPost(agent.url, INITIALIZE, { authorization: 'Bearer x.y.z' });
    assert.equal(answer.status, 503);
    assert.match(JSON.parse(answer.text).error.message, /authorization server/);
  });
});
