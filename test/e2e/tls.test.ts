import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Agent, fetch as undiciFetch } from 'undici';
import { createTestCertificates, type TestCertificates } from '../helpers/certs.ts';
import { cleanupAfter, type Cleanup } from '../helpers/cleanup.ts';
import { runCli } from '../helpers/cli.ts';
import { freePort } from '../helpers/everything.ts';

/** Starts `node scripts/<script>.ts` and waits for its "listening on" URL; `cleanup` kills it. */
async function start(script: string, args: string[], env: Record<string, string>, cleanup: Cleanup) {
  const child = spawn(process.execPath, [`scripts/${script}.ts`, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  cleanup.defer(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  });
  let log = '';
  child.stderr.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: string) => {
      log += chunk;
      const match = /listening on (https?:\/\/\S+)/.exec(log);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${log}`)));
  });
  return { url, stderr: () => log };
}

describe('agents and the service over HTTPS, as an operator runs them', () => {
  const cleanup = cleanupAfter();
  let certs: TestCertificates;
  let env: Record<string, string>;
  let tlsEnv: Record<string, string>;
  let agentUrl: string;
  let agentLog: () => string;

  before(async () => {
    certs = createTestCertificates();
    cleanup.defer(() => certs.close());
    env = {
      SWITCHBOARD_DATA_DIR: join(certs.dir, 'data'),
      DATABASE_URL: '',
      REDIS_URL: '',
      TAVILY_API_KEY: '',
      OPENAI_API_KEY: '',
      SWITCHBOARD_MODEL: '',
      MCP_AUTH_TOKEN: '',
      SWITCHBOARD_API_KEYS: '',
      HOST: '127.0.0.1',
      PORT: '0',
      NODE_EXTRA_CA_CERTS: '',
    };
    tlsEnv = { ...env, TLS_CERT_FILE: certs.serverCert, TLS_KEY_FILE: certs.serverKey };
    ({ url: agentUrl, stderr: agentLog } = await start('agent', ['incident'], tlsEnv, cleanup));
  });

  test('npm run agent serves https:// with TLS_CERT_FILE and TLS_KEY_FILE, and says nothing of clear text on loopback', () => {
    assert.match(agentUrl, /^https:\/\/127\.0\.0\.1:\d+\/mcp$/);
    assert.doesNotMatch(agentLog(), /in clear/);
  });

  test('orchestrate reaches it trusting the CA through NODE_EXTRA_CA_CERTS', async () => {
    const config = join(certs.dir, 'extra-ca.json');
    writeFileSync(config, JSON.stringify({ servers: { incident: { url: agentUrl, exclude: ['ask_*_agent'] } } }));
    const r = await runCli(
      'orchestrate',
      ['--config', config, '--json', 'Create a high urgency incident for the login failure affecting all users'],
      {
        ...env,
        NODE_EXTRA_CA_CERTS: certs.caCert,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const calls = (JSON.parse(r.stdout) as { toolCalls: { server: string; name: string; ok: boolean }[] }).toolCalls;
    assert.deepEqual(
      calls.map((call) => [call.server, call.ok]),
      [['incident', true]],
      r.stdout,
    );
  });

  test('without the CA, orchestrate names the server, its URL and the certificate problem, and does not go on silently', async () => {
    const config = join(certs.dir, 'no-ca.json');
    writeFileSync(config, JSON.stringify({ servers: { incident: { url: agentUrl } } }));
    const r = await runCli(
      'orchestrate',
      ['--config', config, 'Create a high urgency incident for the login failure affecting all users'],
      env,
    );
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /"incident"/);
    assert.ok(r.stderr.includes(agentUrl), r.stderr);
    assert.match(r.stderr, /the server's certificate is not signed by a CA this client trusts/);
  });

  test('npm run serve listens on https:// and serves the API through it', async () => {
    const port = await freePort();
    const config = join(certs.dir, 'service.json');
    const entry = { url: `http://127.0.0.1:${port}/mcp`, agent: 'search', autoStart: true, exclude: ['ask_*_agent'] };
    writeFileSync(config, JSON.stringify({ servers: { search: entry } }));
    const served = await start('serve', ['--config', config], { ...tlsEnv, SWITCHBOARD_API_KEYS: 'tls-key' }, cleanup);
    assert.match(served.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const dispatcher = new Agent({ connect: { ca: readFileSync(certs.caCert) } });
    cleanup.defer(() => dispatcher.close());
    const health = await undiciFetch(`${served.url}/healthz`, { dispatcher });
    assert.equal(health.status, 200);
    const run = await undiciFetch(`${served.url}/v1/runs`, {
      dispatcher,
      method: 'POST',
      headers: { authorization: 'Bearer tls-key', 'content-type': 'application/json' },
      body: JSON.stringify({ input: 'search for known fixes for SSO login loops' }),
    });
    const body = (await run.json()) as { status?: string };
    assert.equal(run.status, 200, JSON.stringify(body));
    assert.equal(body.status, 'completed', JSON.stringify(body));
  });

  test('an unreadable certificate or key is a one-line start-up error naming the file', async () => {
    const missing = join(certs.dir, 'missing.pem');
    const agent = await runCli('agent', ['incident'], { ...tlsEnv, TLS_KEY_FILE: missing });
    assert.equal(agent.code, 1);
    assert.equal(agent.stderr.trim().split('\n').length, 1, agent.stderr);
    assert.match(agent.stderr, new RegExp(`^error: TLS_KEY_FILE ${missing} cannot be read: ENOENT`));
    const serve = await runCli('serve', [], { ...tlsEnv, TLS_CERT_FILE: certs.serverKey });
    assert.equal(serve.code, 2);
    assert.equal(serve.stderr.trim().split('\n').length, 1, serve.stderr);
    assert.match(serve.stderr, new RegExp(`^error: TLS_CERT_FILE ${certs.serverKey} holds no PEM certificate`));
  });
});
