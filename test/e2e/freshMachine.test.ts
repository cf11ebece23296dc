import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { describe, test } from 'node:test';
import { Cleanup, startAll } from '../helpers/cleanup.ts';

/** Long enough for the web test's set-up on a loaded machine; only a hang reaches it. */
const HANG_MS = 120_000;

/** An HTTP server on a free port, as a thing with `close()`. */
async function listening(): Promise<{ server: Server; close(): Promise<void> }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Runs one test file as `npm test` would, in its own process; kills it (and says so) if it never exits. */
async function runTestFile(file: string, env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  delete childEnv['NODE_TEST_CONTEXT']; // run as a test runner of its own, not as a child reporting to ours
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', file], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const hang = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  clearTimeout(hang);
  assert.equal(signal, null, `${file} never exited (something its set-up started was left running):\n${output}`);
  return { code, output };
}

describe('a fresh machine: npm test ends, whatever is missing', () => {
  test('regression: a set-up that fails half way still stops what it started, even inside Promise.all', async () => {
    const cleanup = new Cleanup();
    let server: Server | undefined;
    const failing = Promise.reject(new Error('no browser here'));
    await assert.rejects(
      Promise.all([cleanup.start(listening()).then((started) => (server = started.server)), cleanup.start(failing)]),
      /no browser here/,
    );
    const stopped: string[] = [];
    cleanup.defer(() => stopped.push('folder'));
    await cleanup.close();
    assert.equal(server?.listening, false, 'the server that did start is closed');
    assert.deepEqual(stopped, ['folder']);
  });

  test('Cleanup stops newest first, every one even when one throws, then reports the failure', async () => {
    const cleanup = new Cleanup();
    const order: string[] = [];
    cleanup.defer(() => order.push('first'));
    cleanup.defer(() => {
      throw new Error('stuck');
    });
    cleanup.defer(() => order.push('last'));
    await assert.rejects(cleanup.close(), /stuck/);
    assert.deepEqual(order, ['last', 'first']);
    await cleanup.close();
  });

  test('startAll stops the members of a group that started when another fails', async () => {
    const servers: Server[] = [];
    const started = listening().then((started) => (servers.push(started.server), started));
    await assert.rejects(startAll([started, Promise.reject(new Error('port taken'))]), /port taken/);
    assert.equal(servers[0]?.listening, false);
  });

  test('regression: without Chromium the browser tests are skipped with a one-line reason, and the run ends', async () => {
    const { code, output } = await runTestFile('test/e2e/web.test.ts', {
      SWITCHBOARD_CHROMIUM: '/nonexistent/chromium',
      SWITCHBOARD_REQUIRE_BROWSER: undefined,
    });
    assert.equal(code, 0, output);
    assert.match(output, /﹣ the web page at \/.* # no Chromium: the browser tests need Debian's chromium package/);
    assert.match(output, /ℹ fail 0/);
  });

  test('regression: with SWITCHBOARD_REQUIRE_BROWSER=1 a missing Chromium fails loudly, and the run still ends', async () => {
    const { code, output } = await runTestFile('test/e2e/web.test.ts', {
      SWITCHBOARD_CHROMIUM: '/nonexistent/chromium',
      SWITCHBOARD_REQUIRE_BROWSER: '1',
    });
    assert.equal(code, 1, output);
    assert.match(output, /Error: no Chromium at \/nonexistent\/chromium: the browser tests need Debian's chromium package/);
  });
});
