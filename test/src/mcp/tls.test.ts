import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { loadEnv, tlsFileSettings } from '../../../src/config/env.ts';
import { loadTlsMaterial, type TlsServerMaterial } from '../../../src/config/tls.ts';
import { transportNotice, type RunningAgentServer } from '../../../src/mcp/index.ts';
import { createTestCertificates, type TestCertificates } from '../../helpers/certs.ts';
import { cleanupAfter } from '../../helpers/cleanup.ts';
import { serve } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const cleanup = cleanupAfter();
let certs: TestCertificates;
let material: TlsServerMaterial;

before(() => {
  certs = createTestCertificates();
  cleanup.defer(() => certs.close());
  material = loadTlsMaterial({ certFile: certs.serverCert, keyFile: certs.serverKey });
});

/** A fetch trusting the test CA only, optionally presenting the test client certificate; its pool is closed after the file. */
function trustingFetch(options: { clientCert?: boolean } = {}): FetchLike {
  const dispatcher = new Agent({
    connect: {
      ca: readFileSync(certs.caCert),
      ...(options.clientCert ? { cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) } : {}),
    },
  });
  cleanup.defer(() => dispatcher.close());
  return ((url, init) => undiciFetch(url, { ...(init as object), dispatcher })) as FetchLike;
}

async function connect(url: string, fetch: FetchLike): Promise<Client> {
  const client = new Client({ name: 'tls-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch }));
  cleanup.defer(() => client.close());
  return client;
}

describe('TLS settings', () => {
  test('a bad certificate, key or CA file is one error naming the file and the variable', () => {
    const notPem = join(certs.dir, 'not-a-cert.pem');
    writeFileSync(notPem, 'hello\n');
    assert.throws(() => loadTlsMaterial({ certFile: join(certs.dir, 'missing.pem'), keyFile: certs.serverKey }), {
      name: 'ConfigError',
      message: `TLS_CERT_FILE ${join(certs.dir, 'missing.pem')} cannot be read: ENOENT`,
    });
    assert.throws(() => loadTlsMaterial({ certFile: notPem, keyFile: certs.serverKey }), {
      message: `TLS_CERT_FILE ${notPem} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`,
    });
    assert.throws(() => loadTlsMaterial({ certFile: certs.serverCert, keyFile: notPem }), {
      message: new RegExp(`^TLS_KEY_FILE ${notPem} is not a readable private key`),
    });
    assert.throws(() => loadTlsMaterial({ certFile: certs.serverCert, keyFile: certs.clientKey }), {
      message: `TLS_KEY_FILE ${certs.clientKey} is not the key of the certificate in TLS_CERT_FILE ${certs.serverCert}`,
    });
    assert.throws(() => loadTlsMaterial({ certFile: certs.serverCert, keyFile: certs.serverKey, caFile: certs.serverCert }), {
      message: `TLS_CA_FILE ${certs.serverCert} holds a certificate that is not a CA (basicConstraints CA:FALSE)`,
    });
    assert.throws(
      () => loadTlsMaterial({ certFile: certs.serverCert, keyFile: certs.serverKey }, undefined, new Date(Date.now() + 7 * 86_400_000)),
      {
        message: new RegExp(`^TLS_CERT_FILE ${certs.serverCert} expired on `),
      },
    );
  });

  test('a certificate without its key (or a client CA without TLS) is an environment error, not plain HTTP', () => {
    assert.throws(() => loadEnv({ TLS_CERT_FILE: '/etc/cert.pem' }), /TLS_KEY_FILE: set TLS_CERT_FILE and TLS_KEY_FILE together/);
    assert.throws(() => loadEnv({ TLS_CA_FILE: '/etc/ca.pem' }), /TLS_CA_FILE: client certificates need TLS/);
    assert.equal(tlsFileSettings(loadEnv({})), undefined);
    assert.deepEqual(tlsFileSettings(loadEnv({ TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem', TLS_CA_FILE: 'ca.pem' })), {
      certFile: 'c.pem',
      keyFile: 'k.pem',
      caFile: 'ca.pem',
    });
  });

  test('start-up says how traffic travels when HOST is not loopback, and nothing on loopback', () => {
    assert.equal(transportNotice('127.0.0.1', undefined, 'the bearer token'), undefined);
    assert.equal(transportNotice('::1', material, 'the bearer token'), undefined);
    const clear = transportNotice('0.0.0.0', undefined, 'the bearer token')!;
    assert.equal(clear.level, 'warn');
    assert.match(clear.message, /^HOST 0\.0\.0\.0 .*plain HTTP: the bearer token and data travel in clear/);
    const secure = transportNotice('0.0.0.0', material, 'API keys')!;
    assert.equal(secure.level, 'info');
    assert.match(secure.message, /^TLS on: serving 0\.0\.0\.0 to other machines over HTTPS$/);
  });
});

describe('an agent over HTTPS', () => {
  let agent: RunningAgentServer;
  before(async () => {
    agent = await cleanup.start(serve(createTestAgent(), { tls: material, streamAfterMs: 0 }));
  });

  test('serves the SDK client over https://, calls on one kept-alive connection, slow answers as SSE', async () => {
    assert.match(agent.url, /^https:\/\/127\.0\.0\.1:\d+\/mcp$/);
    let handshakes = 0;
    agent.server.on('secureConnection', () => handshakes++);
    const client = await connect(agent.url, trustingFetch());
    const echoed = await client.callTool({ name: 'echo', arguments: { text: 'over TLS' } });
    assert.deepEqual(echoed.structuredContent, { text: 'over TLS' });
    // The standing GET stream holds one connection; the POSTs share another, kept alive.
    const opened = handshakes;
    for (let i = 0; i < 5; i++) await client.callTool({ name: 'echo', arguments: { text: `again ${i}` } });
    const progress: number[] = [];
    // streamAfterMs 0: the answer comes on a server-sent event stream, with progress before it.
    const counted = await client.callTool({ name: 'count', arguments: { n: 3, delay_ms: 1 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    assert.deepEqual(counted.structuredContent, { counted: 3 });
    assert.deepEqual(progress, [1, 2, 3]);
    assert.equal(handshakes, opened, 'later calls reused the TLS connections');
  });

  test('a client that does not trust the CA is refused at the handshake', async () => {
    await assert.rejects(fetch(agent.url.replace('/mcp', '/healthz')), (error: Error) => {
      assert.equal((error.cause as { code?: string }).code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      return true;
    });
  });
});

describe('an agent requiring client certificates (TLS_CA_FILE)', () => {
  let agent: RunningAgentServer;
  before(async () => {
    const withCa = loadTlsMaterial({ certFile: certs.serverCert, keyFile: certs.serverKey, caFile: certs.caCert });
    agent = await cleanup.start(serve(createTestAgent(), { tls: withCa }));
  });

  test('serves a client with a certificate the CA signed', async () => {
    const client = await connect(agent.url, trustingFetch({ clientCert: true }));
    const echoed = await client.callTool({ name: 'echo', arguments: { text: 'mutual' } });
    assert.deepEqual(echoed.structuredContent, { text: 'mutual' });
  });

  test('refuses a client without a certificate before any HTTP is spoken', async () => {
    const fetchWithout = trustingFetch();
    await assert.rejects(fetchWithout(agent.url.replace('/mcp', '/healthz')), (error: Error) => {
      const code = (error.cause as { code?: string }).code ?? '';
      // TLS 1.3: the client finishes its side first, so it sees the alert or just the socket closing.
      assert.match(code, /CERTIFICATE_REQUIRED|ECONNRESET|UND_ERR_SOCKET/);
      return true;
    });
  });
});
