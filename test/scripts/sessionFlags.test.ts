import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEnv } from '../../src/config/env.ts';
import { sessionFlagSettings } from '../../scripts/lib/sessionFlags.ts';

test('session limits: a flag overrides its variable, a variable the default; times are seconds', () => {
  const env = loadEnv({
    MCP_MAX_SESSIONS: '50',
    MCP_MAX_SESSIONS_PER_CLIENT: '5',
    MCP_SESSION_IDLE_TIMEOUT: '60',
    MCP_SESSION_LIFETIME: '3600',
    MCP_REQUEST_TIMEOUT: '30',
    MCP_TRUSTED_PROXIES: '10.0.0.1, 10.0.0.2',
  });
  assert.deepEqual(sessionFlagSettings({}, env), {
    maxSessions: 50,
    maxSessionsPerClient: 5,
    idleTimeoutMs: 60_000,
    sessionLifetimeMs: 3_600_000,
    requestTimeoutMs: 30_000,
    trustedProxies: ['10.0.0.1', '10.0.0.2'],
  });
  const flagged = sessionFlagSettings({ 'max-sessions': '7', 'session-idle-timeout': '2', 'trusted-proxies': '::1' }, env);
  assert.equal(flagged.maxSessions, 7);
  assert.equal(flagged.idleTimeoutMs, 2000);
  assert.deepEqual(flagged.trustedProxies, ['::1']);
  assert.equal(flagged.maxSessionsPerClient, 5);
  assert.equal(sessionFlagSettings({}, loadEnv({})).maxSessions, undefined, "unset: the kit's default");
});

test('bad session limits are refused with what to change', () => {
  assert.throws(() => loadEnv({ MCP_MAX_SESSIONS: '0' }), /MCP_MAX_SESSIONS must be a whole number of at least 1/);
  assert.throws(() => loadEnv({ MCP_SESSION_IDLE_TIMEOUT: 'soon' }), /MCP_SESSION_IDLE_TIMEOUT/);
  assert.throws(
    () => sessionFlagSettings({ 'request-timeout': '1.5' }, loadEnv({})),
    (error: Error & { exitCode?: number }) => /--request-timeout must be a whole number/.test(error.message) && error.exitCode === 2,
  );
});
