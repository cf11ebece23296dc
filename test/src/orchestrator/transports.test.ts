import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ToolMessage } from '@langchain/core/messages';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { withToolProgress } from '../../../src/agent/index.ts';
import { ServerEntrySchema } from '../../../src/config/file.ts';
import { McpClientPool, ServerConnection } from '../../../src/orchestrator/index.ts';
import { startKillableProxy } from '../../helpers/killableProxy.ts';
import { serve } from '../../helpers/mcpClient.ts';
import { startSdkServer, workSlowly, type SdkServerOptions } from '../../helpers/sdkServer.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const entry = (url: string, extra: Record<string, unknown> = {}) => ServerEntrySchema.parse({ url, ...extra });

function legacyServer(): McpServer {
  const server = new McpServer({ name: 'legacy', version: '1.0.0' });
  server.registerTool(
    'lookup',
    { description: 'Looks a word up.', inputSchema: { word: z.string() }, annotations: { readOnlyHint: true } },
    async ({ word }) => ({ content: [{ type: 'text', text: `found ${word}` }] }),
  );
  server.registerTool(
    'slow',
    { description: 'Takes its time, reporting progress.', inputSchema: {}, annotations: { readOnlyHint: true } },
    async (_args, extra) => {
      await workSlowly(extra, 100);
      return { content: [{ type: 'text', text: 'done' }] };
    },
  );
  server.registerTool('record', { description: 'Records a word.', inputSchema: { word: z.string() } }, async ({ word }) => ({
    content: [{ type: 'text', text: `recorded ${word}` }],
  }));
  return server;
}

async function callTool(pool: McpClientPool, name: string, args: Record<string, unknown>): Promise<string> {
  const tool = (await pool.tools()).find((t) => t.name === name);
  assert.ok(tool, `tool ${name} is loaded`);
  return String(((await tool.invoke({ id: 'c1', name, args, type: 'tool_call' })) as ToolMessage).content);
}

async function withLegacy(
  options: Omit<SdkServerOptions, 'transport'>,
  run: (server: Awaited<ReturnType<typeof startSdkServer>>) => Promise<void>,
) {
  const server = await startSdkServer(legacyServer, { transport: 'sse', ...options });
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

describe('a server that speaks only the legacy HTTP+SSE transport (regression: it was sent Streamable HTTP and skipped)', () => {
  test('auto: POST initialize gets 404, so the same URL is opened as an SSE stream, and its tools work', async () => {
    await withLegacy({}, async (legacy) => {
      const pool = new McpClientPool({ servers: { old: entry(legacy.url) } });
      try {
        assert.equal(await callTool(pool, 'old__lookup', { word: 'vpn' }), 'found vpn');
        assert.deepEqual(legacy.requests.slice(0, 2), ['POST /sse', 'GET /sse'], 'Streamable HTTP first, as the spec says');
        assert.ok(legacy.requests.includes('POST /messages'));
      } finally {
        await pool.close();
      }
    });
  });

  for (const mcpStatus of [404, 405] as const) {
    test(`auto: a url ending in /mcp that answers ${mcpStatus} falls back to the /sse next to it`, async () => {
      await withLegacy({ mcpStatus }, async (legacy) => {
        const connection = new ServerConnection({ name: 'old', entry: entry(`${legacy.origin}/mcp`) });
        try {
          const { tools } = await connection.listTools();
          assert.deepEqual(tools.map((t) => t.name).sort(), ['lookup', 'record', 'slow']);
          assert.equal(connection.transport, 'sse');
          assert.equal(connection.endpoint, `${legacy.origin}/sse`);
          assert.deepEqual(legacy.requests.slice(0, 3), ['POST /mcp', 'GET /mcp', 'GET /sse']);
        } finally {
          await connection.close();
        }
      });
    });
  }

  test('"transport": "sse" opens the stream at once; "http" does not fall back and says what the server answered', async () => {
    await withLegacy({}, async (legacy) => {
      const sse = new McpClientPool({ servers: { old: entry(legacy.url, { transport: 'sse' }) } });
      try {
        assert.equal(await callTool(sse, 'old__lookup', { word: 'sso' }), 'found sso');
        assert.equal(legacy.requests[0], 'GET /sse', 'no Streamable HTTP attempt');
      } finally {
        await sse.close();
      }
      legacy.requests.length = 0;
      const warnings: string[] = [];
      const http = new McpClientPool({ servers: { old: entry(legacy.url, { transport: 'http' }) }, onWarning: (w) => warnings.push(w) });
      try {
        assert.deepEqual(await http.tools(), []);
        assert.match(
          warnings[0]!,
          new RegExp(`skipping server "old": MCP server "old" at ${legacy.url} refused the connection: HTTP 404 from ${legacy.url}`),
        );
        assert.ok(!legacy.requests.includes('GET /sse'), legacy.requests.join(', '));
      } finally {
        await http.close();
      }
    });
  });

  test('headers go on the stream and the POSTs; a 401 is reported as such, with no fallback', async () => {
    await withLegacy({ requireHeaders: { authorization: 'Bearer s3cret' } }, async (legacy) => {
      const pool = new McpClientPool({
        servers: { old: entry(legacy.url, { transport: 'sse', headers: { Authorization: 'Bearer s3cret' } }) },
      });
      try {
        assert.equal(await callTool(pool, 'old__lookup', { word: 'wifi' }), 'found wifi');
      } finally {
        await pool.close();
      }
      const warnings: string[] = [];
      const bare = new McpClientPool({ servers: { old: entry(legacy.url) }, onWarning: (w) => warnings.push(w) });
      try {
        await bare.tools();
        assert.match(warnings[0]!, /refused the connection: HTTP 401 from .*\/sse .*check the server's "headers"/);
        assert.deepEqual(legacy.requests.slice(-1), ['POST /sse'], 'a 401 is not a reason to try the legacy transport');
      } finally {
        await bare.close();
      }
    });
  });

  test('a restarted SSE server: read-only calls re-open the stream (no new detection); other calls say they were not retried', async () => {
    let legacy = await startSdkServer(legacyServer, { transport: 'sse' });
    const port = Number(new URL(legacy.origin).port);
    const pool = new McpClientPool({ servers: { old: entry(legacy.url) } });
    try {
      assert.equal(await callTool(pool, 'old__lookup', { word: 'one' }), 'found one');
      await legacy.close();
      legacy = await startSdkServer(legacyServer, { transport: 'sse', port });
      assert.equal(await callTool(pool, 'old__lookup', { word: 'two' }), 'found two');
      assert.equal(legacy.requests[0], 'GET /sse', 'the transport found before is used again');
      await legacy.close();
      legacy = await startSdkServer(legacyServer, { transport: 'sse', port });
      const record = (await pool.tools()).find((t) => t.name === 'old__record')!;
      const outcome = await record.invoke({ word: 'three' }).then(String, (error: Error) => error.message);
      assert.match(outcome, /^calling record on MCP server "old" at http:\/\/127\.0\.0\.1:\d+\/sse failed: .*not retried/);
      assert.equal(await callTool(pool, 'old__record', { word: 'four' }), 'recorded four', 'the next call works');
    } finally {
      await pool.close();
      await legacy.close();
    }
  });
});

test('an SSE session the server no longer knows (404 on POST) is re-opened like a Streamable HTTP one', async () => {
  const legacy = await startSdkServer(legacyServer, { transport: 'sse' });
  const pool = new McpClientPool({ servers: { old: entry(legacy.url) } });
  try {
    assert.equal(await callTool(pool, 'old__lookup', { word: 'one' }), 'found one');
    legacy.forget();
    assert.equal(await callTool(pool, 'old__lookup', { word: 'two' }), 'found two', 'read-only: retried on a new session');
    legacy.forget();
    const record = (await pool.tools()).find((t) => t.name === 'old__record')!;
    await assert.rejects(
      record.invoke({ word: 'three' }),
      /^ToolException: the session with MCP server "old" at http:\/\/127\.0\.0\.1:\d+\/sse had expired; it was re-opened, but record was not retried/,
    );
    assert.equal(legacy.requests.filter((r) => r === 'GET /sse').length, 3, 'one stream per session');
  } finally {
    await pool.close();
    await legacy.close();
  }
});

test('an SSE server that dies mid-call: the call ends at once, naming the server, its URL and the cause', async () => {
  const legacy = await startSdkServer(legacyServer, { transport: 'sse' });
  const proxy = await startKillableProxy(legacy.url);
  const pool = new McpClientPool({ servers: { old: entry(proxy.url, { timeoutMs: 30_000 }) } });
  try {
    const slow = (await pool.tools()).find((t) => t.name === 'old__slow')!;
    let killed: Promise<void> | undefined;
    const message = await withToolProgress(
      () => void (killed ??= proxy.kill()),
      () => slow.invoke({}),
    ).then(String, (error: Error) => error.message);
    await killed;
    assert.match(
      message,
      /^calling slow on MCP server "old" at http:\/\/127\.0\.0\.1:\d+\/sse failed: the legacy SSE stream broke: connection closed by the server, and re-opening the session failed: connection refused \[ECONNREFUSED\]$/,
    );
  } finally {
    await pool.close();
    await proxy.kill();
    await legacy.close();
  }
});

test("the kit's own legacy /sse endpoint works with an explicit transport", async () => {
  const agent = await serve(createTestAgent());
  const pool = new McpClientPool({ servers: { kit: entry(new URL('/sse', agent.url).href, { transport: 'sse' }) } });
  try {
    assert.equal(await callTool(pool, 'kit__echo', { text: 'legacy' }), '{"text":"legacy"}');
    assert.equal(await callTool(pool, 'kit__count', { n: 3, delay_ms: 5 }), '{"counted":3}');
  } finally {
    await pool.close();
    await agent.close();
  }
});
