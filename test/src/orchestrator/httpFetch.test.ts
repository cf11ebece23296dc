import assert from 'node:assert/strict';
import { getEventListeners, once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { describeCause } from '../../../src/orchestrator/connectionErrors.ts';
import { createHttpFetch } from '../../../src/orchestrator/httpFetch.ts';

const servers: Server[] = [];

async function serve(handler: RequestListener, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(server: Server): Promise<void> {
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeAllConnections();
  await closed;
}

/** Answers with what it was sent: method, path, headers it got and the body. */
const echo: RequestListener = (req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += String(chunk)));
  req.on('end', () => {
    res.writeHead(201, 'Made', { 'content-type': 'application/json', 'x-seen': 'yes' });
    res.end(JSON.stringify({ method: req.method, path: req.url, header: req.headers['x-test'], body }));
  });
};

/** A fetch that records what it was asked for and answers 299 "fallback". */
function recordingFallback() {
  const asked: string[] = [];
  const fallback = async (url: string | URL) => {
    asked.push(String(url));
    return new Response('fallback', { status: 299 });
  };
  return { asked, fallback };
}

describe('the plain-HTTP fetch of the MCP client', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(stop));
  });

  test('sends the method, headers and body, and answers with the status, headers and body, as fetch does', async () => {
    const { url } = await serve(echo);
    const { asked, fallback } = recordingFallback();
    const http = createHttpFetch(fallback);
    const init = { method: 'POST', headers: new Headers({ 'x-test': 'on', 'content-type': 'application/json' }), body: '{"a":"é"}' };
    const [ours, theirs] = [await http(`${url}/mcp`, init), await fetch(`${url}/mcp`, init)];
    assert.deepEqual(
      [ours.status, ours.statusText, ours.headers.get('x-seen'), await ours.json()],
      [theirs.status, theirs.statusText, theirs.headers.get('x-seen'), await theirs.json()],
    );
    assert.deepEqual(asked, []);
  });

  test('streams an event stream as it comes', async () => {
    let finish!: () => void;
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      finish = () => res.end('data: two\n\n');
    });
    const response = await createHttpFetch(fetch)(url, { method: 'GET' });
    const reader = response.body!.getReader();
    assert.equal(new TextDecoder().decode((await reader.read()).value), 'data: one\n\n', 'before the stream ends');
    finish();
    assert.equal(new TextDecoder().decode((await reader.read()).value), 'data: two\n\n');
    assert.equal((await reader.read()).done, true);
  });

  test('a server restarted on the same port gets the next request on a new connection (regression: ECONNRESET)', async () => {
    const { server, url } = await serve(echo);
    const http = createHttpFetch(fetch);
    await (await http(url, { method: 'POST', body: 'first' })).text();
    await stop(server);
    servers.splice(servers.indexOf(server), 1);
    await serve(echo, Number(new URL(url).port));
    assert.equal(((await (await http(url, { method: 'POST', body: 'second' })).json()) as { body: string }).body, 'second');
  });

  test('fails as fetch does: TypeError "fetch failed" with the cause, or the reason of the signal that aborted it', async () => {
    const { server, url } = await serve(() => undefined); // never answers
    const http = createHttpFetch(fetch);
    const aborting = new AbortController();
    const pending = http(url, { method: 'POST', body: 'x', signal: aborting.signal });
    setTimeout(() => aborting.abort(), 20);
    await assert.rejects(pending, (error: Error) => error.name === 'AbortError');
    await stop(server);
    servers.splice(0);
    const refused = await http(url, { method: 'GET' }).catch((error: unknown) => error);
    assert.ok(refused instanceof TypeError && refused.message === 'fetch failed', String(refused));
    assert.equal((refused.cause as { code?: string }).code, 'ECONNREFUSED');
  });

  test('leaves no listener on the long-lived signal it is given', async () => {
    const { url } = await serve(echo);
    const http = createHttpFetch(fetch);
    const transportSignal = new AbortController().signal;
    for (let i = 0; i < 20; i++) await (await http(url, { method: 'POST', body: 'x', signal: transportSignal })).text();
    assert.equal(getEventListeners(transportSignal, 'abort').length, 0);
  });

  test("hands a redirect back under redirect: 'manual', and has the fallback follow one otherwise", async () => {
    const { url } = await serve((_req, res) => res.writeHead(307, { location: '/elsewhere' }).end());
    const { asked, fallback } = recordingFallback();
    const http = createHttpFetch(fallback);
    const manual = await http(url, { method: 'POST', body: 'x', redirect: 'manual' });
    assert.equal(manual.status, 307);
    assert.equal(manual.headers.get('location'), '/elsewhere');
    assert.equal((await http(url, { method: 'POST', body: 'x' })).status, 299);
    assert.deepEqual(asked, [url]);
  });

  test('leaves https://, bodies that are not strings and redirect: error to the fallback', async () => {
    const { url } = await serve(echo);
    const { asked, fallback } = recordingFallback();
    const http = createHttpFetch(fallback);
    await http('https://127.0.0.1:1/mcp', { method: 'GET' });
    await http(url, { method: 'POST', body: new URLSearchParams({ a: 'b' }) });
    await http(url, { method: 'GET', redirect: 'error' });
    assert.deepEqual(asked, ['https://127.0.0.1:1/mcp', url, url]);
  });

  test('a server that closes the connection without answering, or mid-answer, is said to have closed it, not reset it', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/midway') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"partial":');
        setTimeout(() => req.socket.destroy(), 10);
      } else req.socket.destroy();
    });
    const http = createHttpFetch(fetch);
    for (const path of ['/before', '/midway']) {
      const error = await http(`${url}${path}`, { method: 'POST', body: 'x' }).catch((e: unknown) => e);
      assert.ok(error instanceof TypeError && error.message === 'fetch failed', `${path}: ${String(error)}`);
      assert.equal(describeCause(error, url).text, 'connection closed by the server [ECONNRESET]', path);
    }
  });
});
