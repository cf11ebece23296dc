import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import { parseConfig, ServerEntrySchema } from '../../../src/config/file.ts';
import { ConfigError } from '../../../src/errors.ts';
import type { RunningAgentServer } from '../../../src/mcp/index.ts';
import { McpClientPool } from '../../../src/orchestrator/index.ts';
import { ClientCredentialsClient, createOAuthFetch } from '../../../src/orchestrator/oauthClient.ts';
import { startAuthServer, type LocalAuthServer } from '../../helpers/authServer.ts';
import { cleanupAfter } from '../../helpers/cleanup.ts';
import { serve } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const cleanup = cleanupAfter();
const CLIENTS = { orchestrator: { secret: 'orchestrator-secret', scopes: ['mcp:read', 'mcp:write'] } };

async function invoke(pool: McpClientPool, name: string, args: Record<string, unknown>): Promise<string> {
  const tool = (await pool.tools()).find((t) => t.name === name);
  assert.ok(tool, `tool ${name} is loaded`);
  return String(await tool.invoke(args));
}

describe('the orchestrator as an OAuth client (client credentials)', () => {
  let as: LocalAuthServer;
  let agent: RunningAgentServer;
  before(async () => {
    as = await cleanup.start(startAuthServer({ clients: CLIENTS }));
    // The agent knows the JWKS directly, so the AS metadata count is the client's own discovery.
    agent = await cleanup.start(serve(createTestAgent(), { oauth: { issuer: as.issuer, jwksUrl: as.jwksUrl, jwksCooldownMs: 0 } }));
  });

  const entry = (auth: Record<string, unknown>) =>
    ServerEntrySchema.parse({
      url: agent.url,
      auth: { type: 'client_credentials', issuer: as.issuer, clientId: 'orchestrator', clientSecret: 'orchestrator-secret', ...auth },
    });

  test('discovers the authorization server from the 401, gets a token for the resource, and reuses it', async () => {
    const before = { ...as.counts };
    const warnings: string[] = [];
    const pool = new McpClientPool({ servers: { test: entry({}) }, onWarning: (w) => warnings.push(w) });
    try {
      assert.match(
        await invoke(pool, 'test__note', { text: 'one' }).catch((error: Error) => `${error.message} ${warnings.join('; ')}`),
        /notes/,
      );
      assert.match(await invoke(pool, 'test__echo', { text: 'two' }), /two/);
      assert.equal(as.counts.token - before.token, 1, 'one token for both calls');
      assert.ok(as.counts.metadata > before.metadata, 'the AS metadata was discovered');
    } finally {
      await pool.close();
    }
  });

  test('with tokenUrl and client_secret_post, no discovery of the authorization server', async () => {
    const before = { ...as.counts };
    const pool = new McpClientPool({
      servers: {
        test: entry({ tokenUrl: as.tokenUrl, issuer: as.issuer, tokenEndpointAuthMethod: 'client_secret_post', scope: 'mcp:write' }),
      },
    });
    try {
      assert.match(await invoke(pool, 'test__note', { text: 'posted' }), /notes/);
      assert.equal(as.counts.metadata, before.metadata);
      assert.equal(as.counts.token - before.token, 1);
    } finally {
      await pool.close();
    }
  });

  test('a wrong secret is a connection error, not a hang', async () => {
    const warnings: string[] = [];
    const pool = new McpClientPool({ servers: { test: entry({ clientSecret: 'wrong' }) }, onWarning: (w) => warnings.push(w) });
    try {
      assert.equal((await pool.tools()).length, 0);
      assert.match(warnings.join('\n'), /MCP server "test"/);
    } finally {
      await pool.close();
    }
  });

  test('a token about to expire is renewed before it is sent; a token the server refuses (401) is replaced and the request retried', async () => {
    const statuses: number[] = [];
    const recording: typeof fetch = async (url, init) => {
      const response = await fetch(url, init);
      if (String(url) === agent.url) statuses.push(response.status);
      return response;
    };
    const client = new ClientCredentialsClient({
      type: 'client_credentials',
      issuer: as.issuer,
      clientId: 'orchestrator',
      clientSecret: 'orchestrator-secret',
    });
    const authed = createOAuthFetch(client, agent.url, recording);
    const ping = () =>
      authed(agent.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
        }),
      });
    const first = await ping();
    assert.equal(first.status, 200);
    assert.deepEqual(statuses, [401, 200], 'the first request learns where to authenticate');
    const issued = as.counts.token;

    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    try {
      mock.timers.tick(290_000); // of a 300 s token: inside the last 10 %
      assert.ok(client.renewDue());
      statuses.length = 0;
      assert.equal((await ping()).status, 200);
      assert.deepEqual(statuses, [200], 'renewed before sending: no 401');
      assert.equal(as.counts.token, issued + 1);
    } finally {
      mock.timers.reset();
    }

    // A cached token the server no longer accepts (revoked, say): a 401, a new token, the request retried.
    client.saveTokens({ access_token: 'revoked-token', token_type: 'Bearer', expires_in: 300 });
    statuses.length = 0;
    assert.equal((await ping()).status, 200);
    assert.deepEqual(statuses, [401, 200]);
    assert.equal(as.counts.token, issued + 2);
  });
});

describe('the "auth" of a server entry', () => {
  const base = { url: 'http://127.0.0.1:8101/mcp' };
  const parse = (auth: unknown, extra: Record<string, unknown> = {}, env: Record<string, string> = {}) =>
    parseConfig({ servers: { incident: { ...base, ...extra, auth } } }, 'switchboard.config.json', env);

  test('secrets come from the environment; an unset variable is named', () => {
    const auth = { type: 'client_credentials', issuer: 'https://as.example.com', clientId: 'orch', clientSecret: '${ORCH_SECRET}' };
    const config = parse(auth, {}, { ORCH_SECRET: 's3' });
    assert.equal(config.servers['incident']!.auth?.clientSecret, 's3');
    assert.throws(
      () => parse(auth),
      (error: unknown) =>
        error instanceof ConfigError && /servers\.incident\.auth\.clientSecret references \$\{ORCH_SECRET\}/.test(error.message),
    );
  });

  test('a missing or bad field is named with its path', () => {
    assert.throws(
      () => parse({ type: 'client_credentials', clientId: 'orch', clientSecret: 'x' }),
      (error: unknown) => error instanceof ConfigError && /servers\.incident\.auth\.issuer: set "issuer"/.test(error.message),
    );
    assert.throws(
      () => parse({ type: 'client_credentials', clientId: 'orch' }),
      (error: unknown) => error instanceof ConfigError && /servers\.incident\.auth\.clientSecret/.test(error.message),
    );
    assert.throws(
      () =>
        parse({ type: 'client_credentials', issuer: 'https://as.example.com', clientId: 'orch', clientSecret: 'x', tokenUrl: 'not a url' }),
      (error: unknown) => error instanceof ConfigError && /servers\.incident\.auth\.tokenUrl/.test(error.message),
    );
    assert.throws(
      () => parse({ type: 'password', clientId: 'orch', clientSecret: 'x' }),
      (error: unknown) => error instanceof ConfigError && /servers\.incident\.auth\.type/.test(error.message),
    );
  });

  test('"auth" next to an Authorization header is refused', () => {
    assert.throws(
      () =>
        parse(
          { type: 'client_credentials', tokenUrl: 'https://as.example.com/token', clientId: 'o', clientSecret: 'x' },
          { headers: { Authorization: 'Bearer t' } },
        ),
      (error: unknown) =>
        error instanceof ConfigError && /servers\.incident\.auth and servers\.incident\.headers\.Authorization/.test(error.message),
    );
  });
});

after(() => cleanup.close());
