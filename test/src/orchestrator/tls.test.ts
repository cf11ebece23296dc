import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { ToolMessage } from '@langchain/core/messages';
import { loadConfigFile, parseConfig } from '../../../src/config/file.ts';
import { loadTlsMaterial } from '../../../src/config/tls.ts';
import type { RunningAgentServer } from '../../../src/mcp/index.ts';
import { McpClientPool } from '../../../src/orchestrator/index.ts';
import { cleartextWarning } from '../../../src/orchestrator/tlsFetch.ts';
import { ServerEntrySchema } from '../../../src/config/file.ts';
import { createTestCertificates, type TestCertificates } from '../../helpers/certs.ts';
import { cleanupAfter } from '../../helpers/cleanup.ts';
import { serve } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const cleanup = cleanupAfter();
let certs: TestCertificates;
let agent: RunningAgentServer;
let mutual: RunningAgentServer;

before(async () => {
  certs = createTestCertificates();
  cleanup.defer(() => certs.close());
  agent = await cleanup.start(serve(createTestAgent(), { tls: loadTlsMaterial({ certFile: certs.serverCert, keyFile: certs.serverKey }) }));
  const withCa = loadTlsMaterial({ certFile: certs.serverCert, keyFile: certs.serverKey, caFile: certs.caCert });
  mutual = await cleanup.start(serve(createTestAgent(), { tls: withCa }));
});

/** A config file in the certificates' folder naming them relatively, as a user would next to their config. */
async function configWith(servers: Record<string, Record<string, unknown>>) {
  const dir = join(certs.dir, `config-${Object.keys(servers).join('-')}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'switchboard.config.json');
  writeFileSync(path, JSON.stringify({ servers }));
  return (await loadConfigFile(path, {})).servers;
}

async function echo(pool: McpClientPool, name: string): Promise<string> {
  const warnings: string[] = [];
  const tool = (await pool.tools({ onWarning: (w) => warnings.push(w) })).find((t) => t.name === name);
  assert.ok(tool, `tool ${name} loaded (warnings: ${warnings.join('; ')})`);
  const out = (await tool.invoke({ id: 'c1', name, args: { text: 'hi' }, type: 'tool_call' })) as ToolMessage;
  return String(out.content);
}

describe('the orchestrator over HTTPS', () => {
  test('reaches an https:// server whose private CA its "ca" names (relative to the config file)', async () => {
    const servers = await configWith({ secure: { url: agent.url, ca: '../ca.pem' } });
    assert.equal(servers['secure']!.ca, certs.caCert);
    const pool = new McpClientPool({ servers });
    cleanup.defer(() => pool.close());
    assert.equal(await echo(pool, 'secure__echo'), '{"text":"hi"}');
  });

  test('without "ca" the private CA is not trusted: the warning names the server, its URL and why', async () => {
    const servers = await configWith({ untrusted: { url: agent.url } });
    const pool = new McpClientPool({ servers });
    cleanup.defer(() => pool.close());
    const warnings: string[] = [];
    const tools = await pool.tools({ onWarning: (w) => warnings.push(w) });
    assert.equal(tools.length, 0);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /untrusted/);
    assert.ok(warnings[0]!.includes(agent.url), warnings[0]);
    assert.match(warnings[0]!, /TLS: the server's certificate is not signed by a CA this client trusts \(set "ca" for this server/);
    assert.match(warnings[0]!, /UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  });

  test('a server asking for client certificates gets the one "cert" and "key" name', async () => {
    const servers = await configWith({ mutual: { url: mutual.url, ca: '../ca.pem', cert: '../client.pem', key: '../client.key' } });
    const pool = new McpClientPool({ servers });
    cleanup.defer(() => pool.close());
    assert.equal(await echo(pool, 'mutual__echo'), '{"text":"hi"}');
  });

  test('TLS settings are checked when the config is loaded: a missing CA file, TLS on http://, a cert without its key', async () => {
    await assert.rejects(configWith({ a: { url: agent.url, ca: 'nowhere.pem' } }), {
      name: 'ConfigError',
      message: new RegExp(`servers\\.a\\.ca ${join(certs.dir, 'config-a', 'nowhere.pem')} cannot be read: ENOENT`),
    });
    assert.throws(() => parseConfig({ servers: { b: { url: 'http://127.0.0.1:1/mcp', ca: 'ca.pem' } } }, 'c.json', {}), {
      message: 'c.json: servers.b.ca is set but the url http://127.0.0.1:1/mcp is not https://',
    });
    assert.throws(() => parseConfig({ servers: { c: { url: 'https://127.0.0.1:1/mcp', cert: 'c.pem' } } }, 'c.json', {}), {
      message: 'c.json: servers.c: "cert" and "key" go together (a client certificate and its private key)',
    });
    await assert.rejects(configWith({ d: { url: agent.url, ca: '../server.pem' } }), { message: /servers\.d\.ca .* is not a CA/ });
  });

  test('headers sent over plain http:// to another machine are warned about; loopback and https:// are not', () => {
    const entry = (url: string, headers: Record<string, string> = { Authorization: 'Bearer t' }) =>
      ServerEntrySchema.parse({ url, headers });
    assert.equal(
      cleartextWarning('docs', entry('http://mcp.example.com/mcp')),
      'server "docs" at http://mcp.example.com/mcp gets its Authorization header over plain HTTP, readable on the way: use an https:// url',
    );
    assert.equal(cleartextWarning('docs', entry('http://127.0.0.1:8101/mcp')), undefined);
    assert.equal(cleartextWarning('docs', entry('http://localhost:8101/mcp')), undefined);
    assert.equal(cleartextWarning('docs', entry('https://mcp.example.com/mcp')), undefined);
    assert.equal(cleartextWarning('docs', entry('http://mcp.example.com/mcp', {})), undefined);
  });
});
