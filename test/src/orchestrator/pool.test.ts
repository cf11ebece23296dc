import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { MemorySaver } from '@langchain/langgraph';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { createReactGraph, type RunEvent } from '../../../src/agent/index.ts';
import { ServerEntrySchema } from '../../../src/config/file.ts';
import type { RunningAgentServer } from '../../../src/mcp/index.ts';
import { McpClientPool, createOrchestrator } from '../../../src/orchestrator/index.ts';
import { freePort, startEverythingServer, type ThirdPartyServer } from '../../helpers/everything.ts';
import { serve } from '../../helpers/mcpClient.ts';
import { startSdkServer } from '../../helpers/sdkServer.ts';
import { ScriptedChatModel, callThenAnswer } from '../../helpers/scriptedModel.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

const entry = (url: string, extra: Record<string, unknown> = {}) => ServerEntrySchema.parse({ url, ...extra });

async function call(pool: McpClientPool, name: string, args: Record<string, unknown>): Promise<string> {
  const tool = (await pool.tools()).find((t) => t.name === name);
  assert.ok(tool, `tool ${name} is loaded`);
  const out = (await tool.invoke({ id: 'c1', name, args, type: 'tool_call' })) as ToolMessage;
  return String(out.content);
}

describe('McpClientPool', () => {
  let one: RunningAgentServer;
  let two: RunningAgentServer;
  before(async () => {
    one = await serve(createTestAgent());
    two = await serve(createTestAgent());
  });
  after(async () => {
    await one.close();
    await two.close();
  });

  test('names tools server__tool; without prefixes, a name two servers share is told apart by the server (regression: a start-up error)', async () => {
    const pool = new McpClientPool({ servers: { alpha: entry(one.url), beta: entry(two.url) } });
    const names = (await pool.tools()).map((t) => t.name);
    assert.ok(names.includes('alpha__echo') && names.includes('beta__echo'));
    await pool.close();

    const unprefixed = new McpClientPool({ servers: { alpha: entry(one.url), beta: entry(two.url) }, prefixToolNames: false });
    try {
      const bare = (await unprefixed.tools()).map((t) => t.name);
      assert.ok(bare.includes('echo') && bare.includes('beta__echo'), bare.join(', '));
      assert.equal(await call(unprefixed, 'beta__echo', { text: 'b' }), '{"text":"b"}');
    } finally {
      await unprefixed.close();
    }
  });

  test('an unreachable server is skipped with a warning naming it, and tried again next time', async () => {
    const port = await freePort();
    const warnings: string[] = [];
    const pool = new McpClientPool({
      servers: { alpha: entry(one.url), later: entry(`http://127.0.0.1:${port}/mcp`) },
      onWarning: (w) => warnings.push(w),
    });
    const first = (await pool.tools()).map((t) => t.name);
    assert.ok(first.includes('alpha__echo'));
    assert.ok(!first.some((n) => n.startsWith('later__')));
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /skipping server "later": MCP server "later" at http:\/\/127\.0\.0\.1:\d+\/mcp is unreachable: .*ECONNREFUSED/,
    );
    assert.equal(pool.status()['later'], 'unreachable');

    assert.equal((await pool.tools()).length, first.length, 'not retried within a run');
    assert.equal(warnings.length, 1);

    const late = await serve(createTestAgent(), { port });
    try {
      const again = (await pool.tools({ retryFailed: true })).map((t) => t.name);
      assert.ok(again.includes('later__echo'), 'picked up on the next run');
      assert.equal(await call(pool, 'later__echo', { text: 'back' }), '{"text":"back"}');
    } finally {
      await pool.close();
      await late.close();
    }
  });

  test('an expired session (404) is re-opened; read-only calls are retried, others are not', async () => {
    // The server restarts on the same port: every session it had is gone (404).
    let server = await serve(createTestAgent());
    const port = server.port;
    const restart = async () => {
      await server.close();
      server = await serve(createTestAgent(), { port });
    };
    const pool = new McpClientPool({ servers: { alpha: entry(server.url) } });
    try {
      assert.equal(await call(pool, 'alpha__echo', { text: 'before' }), '{"text":"before"}');
      await restart();
      assert.equal(await call(pool, 'alpha__echo', { text: 'after' }), '{"text":"after"}', 'retried transparently');
      assert.equal(server.app.sessionCount(), 1, 'on a new session');

      await restart();
      const tool = (await pool.tools()).find((t) => t.name === 'alpha__note')!;
      await assert.rejects(
        tool.invoke({ text: 'x' }),
        /session with MCP server "alpha" at http:\/\/127\.0\.0\.1:\d+\/mcp had expired; it was re-opened, but note was not retried/,
      );
      assert.equal(await call(pool, 'alpha__note', { text: 'now' }), '{"notes":1}', 'the next call works, and the note was added once');
    } finally {
      await pool.close();
      await server.close();
    }
  });

  test('progress resets the timeout; silence past it fails the call', async () => {
    const pool = new McpClientPool({ servers: { alpha: entry(one.url, { timeoutMs: 300 }) } });
    assert.equal(
      await call(pool, 'alpha__count', { n: 8, delay_ms: 100 }),
      '{"counted":8}',
      '800 ms of work under a 300 ms timeout, kept alive by progress',
    );
    const sleep = (await pool.tools()).find((t) => t.name === 'alpha__sleep')!;
    await assert.rejects(sleep.invoke({ ms: 3000 }), /timed out/i);
    await pool.close();
  });

  test('a union of scalars keeps its enum (the adapter alone drops it, leaving a model no allowed values)', async () => {
    const { defineAgent, defineTool } = await import('../../../src/mcp/index.ts');
    const agent = defineAgent({
      name: 'enums',
      version: '1.0.0',
      instructions: 'x',
      tools: [
        defineTool({
          name: 'set_level',
          title: 'Set level',
          description: 'Sets a level.',
          input: z.object({ level: z.union([z.enum(['high', 'low']), z.number().int()]).describe('high or low, or a number') }),
          output: z.object({}),
          annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
          handler: async () => ({ structured: {}, text: 'ok' }),
        }),
      ],
    });
    const server = await serve(agent);
    const pool = new McpClientPool({ servers: { e: entry(server.url) } });
    try {
      const tool = (await pool.tools())[0]!;
      const level = (tool.schema as { properties: Record<string, { anyOf?: { enum?: string[] }[]; description?: string }> }).properties[
        'level'
      ]!;
      assert.deepEqual(level.anyOf?.[0]?.enum, ['high', 'low']);
      assert.equal(level.description, 'high or low, or a number');
    } finally {
      await pool.close();
      await server.close();
    }
  });

  test('huge outputs are bounded with a note; structured content is compact JSON', async () => {
    const pool = new McpClientPool({ servers: { alpha: entry(one.url) }, maxOutputChars: 1000 });
    const big = await call(pool, 'alpha__big', { chars: 50_000 });
    assert.ok(big.length < 1200, `bounded (${big.length} chars)`);
    assert.match(big, /\[output truncated: [\d,]+ more characters were left out/);
    const echo = await call(pool, 'alpha__echo', { text: 'compact' });
    assert.equal(echo, '{"text":"compact"}', 'not a dump of the content block');
    await pool.close();
  });

  test('tool errors reach the model as tool messages and the run continues', async () => {
    const pool = new McpClientPool({ servers: { alpha: entry(one.url) } });
    const model = new ScriptedChatModel(
      callThenAnswer(
        [
          { name: 'alpha__fail', args: {} },
          { name: 'alpha__echo', args: { text: 'ok' } },
        ],
        (m) =>
          m
            .filter((x) => x instanceof ToolMessage)
            .map((x) => `${(x as ToolMessage).status}:${String(x.content)}`)
            .join(' | '),
      ),
    );
    const events: RunEvent[] = [];
    const graph = createReactGraph({ model, tools: () => pool.tools(), instructions: 't' });
    let answer = '';
    for await (const [mode, chunk] of await graph.stream({ messages: [new HumanMessage('go')] }, { streamMode: ['custom', 'values'] })) {
      if (mode === 'custom') events.push(chunk as RunEvent);
      else answer = String((chunk as { messages: { content: unknown }[] }).messages.at(-1)!.content);
    }
    assert.match(answer, /^error:.*always fails \(do not call it\) \| success:\{"text":"ok"\}$/);
    assert.deepEqual(
      events
        .filter((e) => e.type === 'tool_end')
        .map((e) => (e as { ok: boolean }).ok)
        .sort(),
      [false, true],
    );
    await pool.close();
  });

  test('progress of a remote tool reaches the run as events', async () => {
    const pool = new McpClientPool({ servers: { alpha: entry(one.url) } });
    const model = new ScriptedChatModel(callThenAnswer([{ name: 'alpha__count', args: { n: 3, delay_ms: 5 } }], () => 'done'));
    const graph = createReactGraph({ model, tools: () => pool.tools(), instructions: 't' });
    const events: RunEvent[] = [];
    for await (const chunk of await graph.stream({ messages: [new HumanMessage('go')] }, { streamMode: 'custom' }))
      events.push(chunk as RunEvent);
    const progress = events.filter((e) => e.type === 'tool_progress');
    assert.ok(progress.length >= 2, `progress events: ${progress.length}`);
    assert.equal((progress.at(-1) as { total: number }).total, 3);
    await pool.close();
  });
});

test('tools are refreshed when a server announces notifications/tools/list_changed', async () => {
  // A plain SDK server (not our kit), which announces list changes on its own.
  const server = new McpServer({ name: 'dynamic', version: '1.0.0' });
  server.registerTool('first', { description: 'the first tool', inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: 'one' }],
  }));
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const app = createMcpExpressApp();
  app.all('/mcp', async (req, res) => {
    const id = req.headers['mcp-session-id'] as string | undefined;
    let transport = id ? transports.get(id) : undefined;
    if (!transport) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sid) => void transports.set(sid, transport!),
      });
      await server.connect(transport);
    }
    await transport.handleRequest(req, res, req.body);
  });
  const http = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => http.once('listening', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  const pool = new McpClientPool({ servers: { dyn: entry(url) } });
  try {
    assert.deepEqual(
      (await pool.tools()).map((t) => t.name),
      ['dyn__first'],
    );
    const announced = new Promise<void>((resolve) => {
      const poll = async () =>
        pool.status()['dyn'] === 'connected' && (await pool.tools()).length === 2 ? resolve() : setTimeout(poll, 20);
      setTimeout(poll, 20);
    });
    server.registerTool('second', { description: 'added later', inputSchema: { x: z.number() } }, async () => ({
      content: [{ type: 'text', text: 'two' }],
    }));
    await announced;
    assert.deepEqual((await pool.tools()).map((t) => t.name).sort(), ['dyn__first', 'dyn__second']);
  } finally {
    await pool.close();
    await server.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
});

describe('a third-party MCP server from the npm registry', () => {
  let everything: ThirdPartyServer;
  before(async () => {
    everything = await startEverythingServer();
  });
  after(() => everything.close());

  test('its tools load and run like our own agents', async () => {
    const pool = new McpClientPool({ servers: { everything: entry(everything.url) } });
    const names = (await pool.tools()).map((t) => t.name);
    assert.ok(names.includes('everything__get-sum'), names.join(', '));
    assert.match(await call(pool, 'everything__get-sum', { a: 17, b: 25 }), /42/);
    await pool.close();
  });
});

test('an orchestrator opens its session with a server once, not per run: later runs call over the same session', async () => {
  let sessions = 0;
  let calls = 0;
  const server = await startSdkServer(
    () => {
      sessions++;
      const mcp = new McpServer({ name: 'once', version: '1.0.0' });
      mcp.registerTool('ping', { description: 'answers pong', inputSchema: {}, annotations: { readOnlyHint: true } }, async () => {
        calls++;
        return { content: [{ type: 'text', text: 'pong' }] };
      });
      return mcp;
    },
    { transport: 'http' },
  );
  const orchestrator = createOrchestrator({
    servers: { once: entry(server.url) },
    model: new ScriptedChatModel(callThenAnswer([{ name: 'once__ping', args: {} }], () => 'done')),
    checkpointer: new MemorySaver(),
  });
  try {
    for (let run = 0; run < 3; run++) {
      const result = await orchestrator.run('ping it');
      assert.deepEqual(
        result.toolCalls.map((c) => [c.name, c.ok]),
        [['once__ping', true]],
      );
    }
    assert.equal(calls, 3);
    assert.equal(sessions, 1, 'one initialize for three runs');
  } finally {
    await orchestrator.close();
    await server.close();
  }
});

test('orchestrators of one process share their session with a server (the service keeps one per model and server set); the last to close ends it', async () => {
  let sessions = 0;
  const server = await startSdkServer(
    () => {
      sessions++;
      const mcp = new McpServer({ name: 'shared', version: '1.0.0' });
      mcp.registerTool('ping', { description: 'answers pong', inputSchema: {}, annotations: { readOnlyHint: true } }, async () => ({
        content: [{ type: 'text', text: 'pong' }],
      }));
      return mcp;
    },
    { transport: 'http' },
  );
  const orchestrator = () =>
    createOrchestrator({
      servers: { shared: entry(server.url) },
      model: new ScriptedChatModel(callThenAnswer([{ name: 'shared__ping', args: {} }], () => 'done')),
      checkpointer: new MemorySaver(),
    });
  const [first, second] = [orchestrator(), orchestrator()];
  const ran = async (o: ReturnType<typeof orchestrator>) => (await o.run('ping it')).toolCalls.map((c) => [c.name, c.ok]);
  try {
    assert.deepEqual(await ran(first), [['shared__ping', true]]);
    assert.deepEqual(await ran(second), [['shared__ping', true]]);
    assert.equal(sessions, 1, 'one initialize for both');
    await first.close();
    assert.deepEqual(await ran(second), [['shared__ping', true]], 'the other still calls over it');
    assert.equal(sessions, 1);
    assert.ok(!server.requests.includes('DELETE /mcp'), 'not ended while in use');
    await second.close();
    assert.ok(server.requests.includes('DELETE /mcp'), 'ended with the last');
  } finally {
    await first.close();
    await second.close();
    await server.close();
  }
});
