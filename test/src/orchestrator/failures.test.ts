import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { withToolProgress } from '../../../src/agent/index.ts';
import { ServerEntrySchema } from '../../../src/config/file.ts';
import { McpClientPool } from '../../../src/orchestrator/index.ts';
import { freePort } from '../../helpers/everything.ts';
import { startKillableProxy } from '../../helpers/killableProxy.ts';
import { serve } from '../../helpers/mcpClient.ts';
import { startSdkServer, workSlowly } from '../../helpers/sdkServer.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const entry = (url: string, extra: Record<string, unknown> = {}) => ServerEntrySchema.parse({ url, ...extra });
const URL_RE = 'http:\\/\\/127\\.0\\.0\\.1:\\d+\\/mcp';

/** Invokes `name` and settles with the error message (or the result), telling `onProgress` of each progress event. */
async function outcome(pool: McpClientPool, name: string, args: Record<string, unknown>, onProgress = () => {}): Promise<string> {
  const tool = (await pool.tools()).find((t) => t.name === name);
  assert.ok(tool, `tool ${name} is loaded`);
  return withToolProgress(onProgress, () => tool.invoke(args)).then(
    (result) => `ok: ${String(result)}`,
    (error: Error) => error.message,
  );
}

/** An SDK server (no event store, so its streams cannot be resumed) with a slow, unannotated write that reports progress. */
function slowWriter(): McpServer {
  const server = new McpServer({ name: 'writer', version: '1.0.0' });
  server.registerTool('slow_write', { description: 'Writes slowly.', inputSchema: { text: z.string() } }, async (_args, extra) => {
    await workSlowly(extra, 100);
    return { content: [{ type: 'text', text: 'written' }] };
  });
  return server;
}

describe('a server that dies mid-call (regression: "TypeError: fetch failed", or a wait until the timeout)', () => {
  test('a resumable stream (our kit): the failed resumption ends the call at once, naming the server, its URL and the cause', async () => {
    const agent = await serve(createTestAgent());
    const proxy = await startKillableProxy(agent.url);
    const pool = new McpClientPool({ servers: { alpha: entry(proxy.url, { timeoutMs: 30_000 }) } });
    try {
      let killed: Promise<void> | undefined;
      const message = await outcome(pool, 'alpha__count', { n: 200, delay_ms: 50 }, () => void (killed ??= proxy.kill()));
      assert.match(
        message,
        new RegExp(`^calling count on MCP server "alpha" at ${URL_RE} failed: .*connection refused \\[ECONNREFUSED\\]`),
        'not a timeout',
      );
      assert.doesNotMatch(message, /timed out|fetch failed/);
      await killed;
    } finally {
      await pool.close();
      await agent.close(100); // the count goes on behind the dead proxy: do not wait for it
    }
  });

  test('a stream that cannot be resumed: a write that may have run is reported as such, not retried', async () => {
    const writer = await startSdkServer(slowWriter, { transport: 'http' });
    const proxy = await startKillableProxy(writer.url);
    const pool = new McpClientPool({ servers: { w: entry(proxy.url, { timeoutMs: 30_000 }) } });
    try {
      let killed: Promise<void> | undefined;
      const message = await outcome(pool, 'w__slow_write', { text: 'x' }, () => void (killed ??= proxy.kill()));
      assert.match(
        message,
        new RegExp(
          `^calling slow_write on MCP server "w" at ${URL_RE} failed: the connection broke before the server answered: .*; not retried, since it may have run`,
        ),
      );
      assert.equal(
        writer.requests.filter((r) => r === 'POST /mcp').length,
        4,
        'initialize, its notification, tools/list, the one call: no retry',
      );
    } finally {
      await pool.close();
      await writer.close();
    }
  });

  test('a server gone between calls: the next call says it could not be reached', async () => {
    const agent = await serve(createTestAgent());
    const proxy = await startKillableProxy(agent.url);
    const pool = new McpClientPool({ servers: { alpha: entry(proxy.url) } });
    try {
      assert.equal(await outcome(pool, 'alpha__echo', { text: 'hi' }), 'ok: {"text":"hi"}');
      await proxy.kill();
      assert.match(
        await outcome(pool, 'alpha__note', { text: 'n' }),
        new RegExp(
          `^calling note on MCP server "alpha" at ${URL_RE} failed: (connection refused \\[ECONNREFUSED\\]|connection closed by the server)`,
        ),
      );
    } finally {
      await pool.close();
      await agent.close();
    }
  });
});

describe('connection failures name the server, its URL and the cause', () => {
  test('connection refused', async () => {
    const warnings: string[] = [];
    const pool = new McpClientPool({
      servers: { ghost: entry(`http://127.0.0.1:${await freePort()}/mcp`) },
      onWarning: (w) => warnings.push(w),
    });
    await pool.tools();
    assert.match(
      warnings[0]!,
      new RegExp(`^skipping server "ghost": MCP server "ghost" at ${URL_RE} is unreachable: connection refused \\[ECONNREFUSED\\]`),
    );
    assert.deepEqual(
      pool.unavailable().map((u) => [u.server, u.reachable]),
      [['ghost', false]],
    );
    await pool.close();
  });

  test('a server that accepts the connection and never answers: timed out after the connect timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const warnings: string[] = [];
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}/mcp`;
    const pool = new McpClientPool({ servers: { mute: entry(url) }, connectTimeoutMs: 300, onWarning: (w) => warnings.push(w) });
    try {
      await pool.tools();
      assert.match(warnings[0]!, new RegExp(`MCP server "mute" at ${URL_RE} could not be connected: timed out after 300 ms`));
    } finally {
      await pool.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  test('HTTP 401, with a hint about the headers', async () => {
    const agent = await serve(createTestAgent(), { authTokens: { tester: 'right' } });
    const warnings: string[] = [];
    const pool = new McpClientPool({
      servers: { locked: entry(agent.url, { headers: { Authorization: 'Bearer wrong' } }) },
      onWarning: (w) => warnings.push(w),
    });
    try {
      await pool.tools();
      assert.match(
        warnings[0]!,
        new RegExp(
          `MCP server "locked" at ${URL_RE} refused the connection: HTTP 401 from ${URL_RE}.*check the server's "headers" \\(e\\.g\\. Authorization\\)`,
        ),
      );
    } finally {
      await pool.close();
      await agent.close();
    }
  });

  test('a call that outlives its timeout', async () => {
    const agent = await serve(createTestAgent());
    const pool = new McpClientPool({ servers: { alpha: entry(agent.url, { timeoutMs: 300 }) } });
    try {
      assert.match(
        await outcome(pool, 'alpha__sleep', { ms: 3000 }),
        new RegExp(`^calling sleep on MCP server "alpha" at ${URL_RE} failed: timed out after 300 ms with no answer or progress$`),
      );
    } finally {
      await pool.close();
      await agent.close();
    }
  });
});
