import assert from 'node:assert/strict';
import { getEventListeners, once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { withOwnSignal } from '../../../src/orchestrator/ownSignal.ts';

describe('a fetch with a signal of its own per request', () => {
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hang') return; // never answers: only an abort ends the request
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('requests leave no listener on the long-lived signal they were given (plain fetch leaves one each)', async () => {
    const plain = new AbortController();
    const own = new AbortController();
    const fetchOwn = withOwnSignal(fetch);
    for (let i = 0; i < 20; i++) {
      assert.equal(await (await fetch(`${url}/ok`, { signal: plain.signal })).text(), 'ok');
      assert.equal(await (await fetchOwn(`${url}/ok`, { signal: own.signal })).text(), 'ok');
    }
    assert.ok(getEventListeners(plain.signal, 'abort').length >= 20, 'the bug this works around is still there');
    assert.equal(getEventListeners(own.signal, 'abort').length, 0);
  });

  test("aborting the caller's signal still aborts a request in flight", async () => {
    const controller = new AbortController();
    const pending = withOwnSignal(fetch)(`${url}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('the transport closed')), 50);
    await assert.rejects(pending, /the transport closed/);
  });

  test('a request without a signal goes through as it is', async () => {
    assert.equal(await (await withOwnSignal(fetch)(`${url}/ok`)).text(), 'ok');
  });
});
