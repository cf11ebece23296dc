import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { RunningAgentServer } from '../../../src/mcp/index.ts';
import { cleanupAfter } from '../../helpers/cleanup.ts';
import { serve } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const cleanup = cleanupAfter();
const ALLOWED = 'https://dashboard.example.com';
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'page', version: '1' } },
});

const preflight = (url: string, origin: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type, mcp-session-id, mcp-protocol-version, last-event-id',
      ...headers,
    },
  });

describe('CORS on an agent', () => {
  let agent: RunningAgentServer;
  before(async () => {
    agent = await cleanup.start(serve(createTestAgent(), { allowedOrigins: [ALLOWED], authTokens: { page: 'sekret' } }));
  });

  test('answers a preflight from an allowed origin before authentication, allowing what MCP clients send', async () => {
    const response = await preflight(agent.url, ALLOWED);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), ALLOWED);
    assert.equal(response.headers.get('vary'), 'Origin');
    assert.match(response.headers.get('access-control-allow-methods')!, /POST/);
    assert.match(response.headers.get('access-control-allow-methods')!, /DELETE/);
    const allowed = response.headers.get('access-control-allow-headers')!.split(', ');
    for (const header of ['authorization', 'content-type', 'last-event-id', 'mcp-session-id', 'mcp-protocol-version'])
      assert.ok(allowed.includes(header), `${header} may be sent`);
    // A browser's 2026-07-28 client sends these on every request: without them its preflight fails (issue 10).
    for (const header of ['mcp-method', 'mcp-name']) assert.ok(allowed.includes(header), `${header} may be sent`);
  });

  test('a loopback origin is allowed too; Private Network Access preflights are answered for allowed origins', async () => {
    const response = await preflight(agent.url, 'http://localhost:5173', { 'access-control-request-private-network': 'true' });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal(response.headers.get('access-control-allow-private-network'), 'true');
  });

  test('exposes the session id, protocol version and WWW-Authenticate on answers, a 401 included', async () => {
    const unauthorized = await fetch(agent.url, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: INITIALIZE,
    });
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.headers.get('access-control-allow-origin'), ALLOWED);
    const exposed = unauthorized.headers.get('access-control-expose-headers')!.split(', ');
    assert.deepEqual(exposed.sort(), ['mcp-protocol-version', 'mcp-session-id', 'www-authenticate', 'x-request-id']);
    const opened = await fetch(agent.url, {
      method: 'POST',
      headers: {
        origin: ALLOWED,
        authorization: 'Bearer sekret',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: INITIALIZE,
    });
    assert.equal(opened.status, 200);
    assert.equal(opened.headers.get('access-control-allow-origin'), ALLOWED);
    assert.ok(opened.headers.get('mcp-session-id'));
    await opened.body?.cancel();
  });

  test('a foreign origin keeps its 403, on preflights as on requests, with no CORS headers', async () => {
    for (const response of [
      await preflight(agent.url, 'https://evil.example.net'),
      await fetch(agent.url, {
        method: 'POST',
        headers: { origin: 'https://evil.example.net', 'content-type': 'application/json' },
        body: INITIALIZE,
      }),
      await preflight(agent.url.replace('/mcp', '/sse'), 'https://evil.example.net'),
    ]) {
      assert.equal(response.status, 403);
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      const body = (await response.json()) as { error: { message: string } };
      assert.match(body.error.message, /Origin "https:\/\/evil\.example\.net" is not allowed/);
    }
  });

  test('the legacy /sse endpoint answers preflights too', async () => {
    const response = await preflight(agent.url.replace('/mcp', '/sse'), ALLOWED);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), ALLOWED);
  });
});
