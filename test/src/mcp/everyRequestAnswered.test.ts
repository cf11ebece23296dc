import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningAgentServer } from '../../../src/mcp/index.ts';
import { rawPost, serve } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});

interface ErrorBody {
  jsonrpc: string;
  id: number | string | null;
  error: { code: number; message: string };
}

// Each of these once got 200 and keep-alives for ever: the kit let them through, the SDK's strict
// schema dropped them, and the request stayed pending (so its session never expired either).
const BAD_ENVELOPES: readonly string[] = [
  '{"jsonrpc":"2.0","id":7,"method":"tools/call","p(rams":{}}',
  '{"jsonrpc":"2.0","id":7,"method":"ping","extra":1}',
  '{"jsonrpc":"2.0","id":7,"method":"ping","params":[]}',
  '{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"_meta":[]}}',
  '{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"_meta":{"progressToken":1.5}}}',
];

describe('regression: every request the kit accepts is answered (issue 9)', () => {
  for (const stateless of [false, true]) {
    describe(stateless ? 'stateless' : 'stateful', () => {
      let server: RunningAgentServer;
      let headers: Record<string, string>;
      before(async () => {
        server = await serve(createTestAgent(), { stateless });
        const init = await rawPost(server.url, INIT);
        headers = { 'mcp-protocol-version': '2025-11-25' };
        const id = init.headers.get('mcp-session-id');
        if (id) headers['mcp-session-id'] = id;
      });
      after(() => server.close());

      test('a bad envelope is -32600 Invalid Request with the id it carried', { timeout: 10_000 }, async () => {
        for (const body of BAD_ENVELOPES) {
          const r = await rawPost(server.url, body, headers);
          assert.equal(r.status, 400, body);
          const answer = JSON.parse(r.text) as ErrorBody;
          assert.equal(answer.error.code, -32600, body);
          assert.equal(answer.id, 7, body);
        }
      });

      test('tools/call without params is -32602 with a readable message, not -32603 with a zod dump', { timeout: 10_000 }, async () => {
        const r = await rawPost(server.url, '{"jsonrpc":"2.0","id":"a","method":"tools/call"}', headers);
        assert.equal(r.status, 200);
        const answer = JSON.parse(r.text) as ErrorBody;
        assert.equal(answer.id, 'a');
        assert.equal(answer.error.code, -32602);
        assert.equal(answer.error.message, 'Invalid params for tools/call: params: Invalid input: expected object, received undefined');
        const noName = JSON.parse((await rawPost(server.url, '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{}}', headers)).text);
        assert.equal((noName as ErrorBody).error.code, -32602);
        assert.match((noName as ErrorBody).error.message, /params\.name/);
      });

      test('a notification with a stray member is refused too (the SDK would drop it silently)', async () => {
        const r = await rawPost(server.url, '{"jsonrpc":"2.0","method":"notifications/initialized","x":1}', headers);
        assert.equal(r.status, 400);
      });

      test('after all that, a well-formed call is answered', async () => {
        const r = await rawPost(
          server.url,
          JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'echo', arguments: { text: 'ok' } } }),
          headers,
        );
        assert.equal(r.status, 200);
        assert.match(r.text, /"text":"ok"/);
      });
    });
  }

  test('an initialize with bad params is -32602 and opens no session', async () => {
    const server = await serve(createTestAgent());
    try {
      const r = await rawPost(server.url, '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}');
      assert.equal((JSON.parse(r.text) as ErrorBody).error.code, -32602);
      assert.equal(r.headers.get('mcp-session-id'), null);
      assert.equal(server.app.sessionCount(), 0);
    } finally {
      await server.close();
    }
  });
});
