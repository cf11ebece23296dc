import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { cleanupAfter } from '../helpers/cleanup.ts';
import { runCli, startScript, type StartedScript } from '../helpers/cli.ts';
import { freePort } from '../helpers/everything.ts';

const KEY = 'e2e-service-key';

describe('npm run serve, as an operator runs it', () => {
  let dir: string;
  let config: string;
  let env: Record<string, string>;
  let served: StartedScript;

  const cleanup = cleanupAfter();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-serve-'));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    const servers = Object.fromEntries(
      ['incident', 'search', 'analysis'].map((name, i) => [
        name,
        { url: `http://127.0.0.1:${ports[i]}/mcp`, agent: name, autoStart: true, exclude: ['ask_*_agent'] },
      ]),
    );
    config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ servers }));
    env = {
      SWITCHBOARD_DATA_DIR: join(dir, 'data'),
      DATABASE_URL: '',
      OPENAI_API_KEY: '',
      SWITCHBOARD_MODEL: '',
      SWITCHBOARD_API_KEYS: KEY,
      HOST: '127.0.0.1',
      PORT: '0',
      MCP_AUTH_TOKEN: '',
    };
    served = await startScript('serve', ['--config', config], env, cleanup);
  });

  test('starts the built-in agents itself and answers runs over HTTP with an API key', async () => {
    assert.match(served.stderr(), /started built-in agent "incident"/);
    assert.doesNotMatch(served.stderr(), /SWITCHBOARD_API_KEYS is not set/);
    assert.equal((await fetch(`${served.url}/v1/runs`)).status, 401);
    const response = await fetch(`${served.url}/v1/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: 'create an incident for the broken projector in room 4' }),
    });
    assert.equal(response.status, 200);
    const run = (await response.json()) as { status: string; answer: string };
    assert.equal(run.status, 'completed');
    assert.match(run.answer, /INC\d{7}/);
    const ready = (await (await fetch(`${served.url}/readyz`)).json()) as { ready: boolean };
    assert.equal(ready.ready, true);
  });

  test('a port in use is a one-line error', async () => {
    const port = new URL(served.url).port;
    const r = await runCli('serve', ['--config', config], { ...env, PORT: port, SWITCHBOARD_DATA_DIR: join(dir, 'other') });
    assert.equal(r.code, 1);
    const errors = r.stderr.split('\n').filter((line) => line.startsWith('error:'));
    assert.deepEqual(errors, [`error: port ${port} on 127.0.0.1 is already in use: stop what holds it or set PORT`]);
  });

  test('bad flags are a usage error', async () => {
    const r = await runCli('serve', ['--config', config, '--concurrency', 'lots'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --concurrency must be a positive number, not "lots"/);
  });

  test('SIGTERM shuts down cleanly', async () => {
    served.child.kill('SIGTERM');
    const [code] = (await once(served.child, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.match(served.stderr(), /SIGTERM: shutting down/);
  });
});
