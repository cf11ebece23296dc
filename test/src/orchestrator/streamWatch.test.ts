import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { createWatchedFetch } from '../../../src/orchestrator/streamWatch.ts';

/** Writes `parts` as separate chunks of one SSE response, then ends it. */
async function stream(res: ServerResponse, parts: string[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.flushHeaders();
  for (const part of parts) {
    res.write(part);
    await sleep(15);
  }
  res.end();
}

const request = (id: number) => JSON.stringify({ method: 'tools/call', params: { name: 'x', arguments: { id: 99 } }, jsonrpc: '2.0', id });

describe('the watch on a request’s response stream', () => {
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer((req, res) => {
      if (req.method === 'GET') return void res.writeHead(404).end(); // the resumption finds nothing
      if (req.url === '/ids')
        void stream(res, ['event: message\ni', 'd: ev-4', '2\ndata: {"jsonrpc":"2.0","method":"notifications/progress"}\n\n']);
      else if (req.url === '/answer') void stream(res, ['data: {"jsonrpc":"2.0","id":2,"result":{}}\n\n']);
      else void stream(res, [': keep-alive\n\n', 'data: {"jsonrpc":"2.0","method":"notifications/message"}\n\n']);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const watchedFetch = () => {
    const lost: { id: RequestId; why: string }[] = [];
    const watch = createWatchedFetch((id, why) => lost.push({ id, why }), fetch);
    return { ...watch, lost };
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  test('a stream that ends without the answer and without an event id fails its request at once', async () => {
    const { fetch: watched, lost } = watchedFetch();
    const response = await watched(`${url}/plain`, { method: 'POST', body: request(1) });
    await response.text();
    await settle();
    assert.deepEqual(lost, [{ id: 1, why: 'the server ended its response stream without answering' }]);
  });

  test('an answer the transport delivered leaves its request alone', async () => {
    const { fetch: watched, delivered, lost } = watchedFetch();
    const response = await watched(`${url}/answer`, { method: 'POST', body: request(2) });
    const text = await response.text();
    delivered(JSON.parse(text.slice('data: '.length)) as never);
    await settle();
    assert.deepEqual(lost, []);
  });

  test('an event id split across chunks is read whole: the resumption it allows is tied to its request', async () => {
    const { fetch: watched, lost } = watchedFetch();
    const response = await watched(`${url}/ids`, { method: 'POST', body: request(3) });
    await response.text();
    await settle();
    assert.deepEqual(lost, [], 'a stream with an event id can be resumed: not lost yet');
    await watched(`${url}/ids`, { method: 'GET', headers: { 'last-event-id': 'ev-42' } });
    assert.deepEqual(lost, [{ id: 3, why: 'resuming the broken response stream failed with HTTP 404' }]);
  });

  test('a body the SDK did not serialize (id first) is still understood', async () => {
    const { fetch: watched, lost } = watchedFetch();
    const body = JSON.stringify({ jsonrpc: '2.0', id: 'req-9', method: 'tools/call', params: {} });
    await (await watched(`${url}/plain`, { method: 'POST', body })).text();
    await settle();
    assert.deepEqual(lost, [{ id: 'req-9', why: 'the server ended its response stream without answering' }]);
  });
});
