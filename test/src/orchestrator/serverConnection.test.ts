import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ServerEntrySchema } from '../../../src/config/file.ts';
import { ServerConnection } from '../../../src/orchestrator/index.ts';
import { serve } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

/** A pass-through proxy that holds back the answer to any request whose body contains `marker` until `release`. */
async function startHoldingProxy(
  target: string,
  marker: string,
  release: Promise<void>,
): Promise<{ url: string; server: Server; held: Promise<void> }> {
  let markHeld!: () => void;
  const held = new Promise<void>((resolve) => (markHeld = resolve));
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'content-length'),
    ) as Record<string, string>;
    const upstream = await fetch(target, { method: req.method, headers, body: body.length > 0 ? body : undefined });
    if (body.includes(marker)) {
      markHeld();
      await release;
    }
    res.writeHead(upstream.status, Object.fromEntries([...upstream.headers].filter(([name]) => !HOP_BY_HOP.has(name))));
    if (upstream.body) for await (const chunk of upstream.body) res.write(chunk);
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server, held };
}

test('parallel calls on a session the server no longer knows (404) all recover (regression: the first 404 closed the client and aborted the others)', async () => {
  let agent = await serve(createTestAgent());
  let release!: () => void;
  const proxy = await startHoldingProxy(agent.url, 'slow one', new Promise<void>((resolve) => (release = resolve)));
  const connection = new ServerConnection({ name: 'alpha', entry: ServerEntrySchema.parse({ url: proxy.url }) });
  try {
    await connection.listTools(); // the session opens; echo is known to be read-only, so retryable
    // The server restarts on the same port: the session is gone (404).
    await agent.close();
    agent = await serve(createTestAgent(), { port: agent.port });
    const slow = connection.callTool({ name: 'echo', arguments: { text: 'slow one' } });
    await proxy.held; // its 404 is on the way, held back
    const fast = await connection.callTool({ name: 'echo', arguments: { text: 'fast one' } });
    assert.deepEqual(fast.content, [{ type: 'text', text: '{"text":"fast one"}' }], 'the first 404 re-opened the session');
    release();
    assert.deepEqual((await slow).content, [{ type: 'text', text: '{"text":"slow one"}' }], 'the late 404 recovered too');
    assert.equal(agent.app.sessionCount(), 1, 'both share the one new session');
  } finally {
    release();
    await connection.close();
    proxy.server.closeAllConnections();
    proxy.server.close();
    await agent.close();
  }
});
