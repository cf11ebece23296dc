import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HumanMessage } from '@langchain/core/messages';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { createReactGraph, type RunEvent } from '../../../src/agent/index.ts';
import { ServerEntrySchema } from '../../../src/config/file.ts';
import { MODEL_TOOL_NAME, McpClientPool, assignToolNames, candidateNames } from '../../../src/orchestrator/index.ts';
import { startSdkServer, type SdkServer } from '../../helpers/sdkServer.ts';
import { ScriptedChatModel, callThenAnswer } from '../../helpers/scriptedModel.ts';

const LONG = `fetch_${'very_'.repeat(15)}long_name`;
/** Names MCP allows (any string) that models refuse, and two that collide once mapped. */
const ODD_NAMES = ['kb.lookup', 'kb_lookup', 'files/read', 'recherche-générale', '検索', LONG, `${LONG}_2`];

function oddServer(): McpServer {
  const server = new McpServer({ name: 'odd', version: '1.0.0' });
  for (const name of ODD_NAMES) {
    server.registerTool(
      name,
      { description: `the tool ${name}`, inputSchema: { q: z.string() }, annotations: { readOnlyHint: true } },
      async ({ q }) => ({ content: [{ type: 'text', text: `${name} got ${q}` }] }),
    );
  }
  return server;
}

describe('model-safe tool names', () => {
  test('readable when possible, unique, model-safe, the same whatever the order', () => {
    const refs = ODD_NAMES.map((tool) => ({ server: 'docs', tool }));
    const { names, warnings } = assignToolNames(refs);
    assert.deepEqual(warnings, []);
    const byTool = Object.fromEntries(refs.map((r) => [r.tool, names.get(`docs\u0000${r.tool}`)!]));
    assert.equal(byTool['kb_lookup'], 'docs__kb_lookup', 'a name that needs no change keeps it');
    assert.match(byTool['kb.lookup']!, /^docs__kb_lookup_[0-9a-f]{8}$/, 'the one that collides once mapped gets digits');
    assert.equal(byTool['files/read'], 'docs__files_read');
    assert.equal(byTool['recherche-générale'], 'docs__recherche-generale', 'accents are dropped, not the letters');
    assert.match(byTool['検索']!, /^docs__tool_[0-9a-f]{8}$/);
    assert.equal(new Set(Object.values(byTool)).size, ODD_NAMES.length, 'all distinct');
    for (const name of Object.values(byTool)) assert.match(name, MODEL_TOOL_NAME);
    assert.equal(byTool[LONG]!.length, 64);
    assert.notEqual(byTool[LONG], byTool[`${LONG}_2`], 'names cut to the same 64 characters still differ');

    const shuffled = assignToolNames([...refs].reverse());
    assert.deepEqual([...shuffled.names].sort(), [...names].sort(), 'deterministic: listing order does not matter');
  });

  test('unique across servers, even where server and tool names run together', () => {
    const { names } = assignToolNames([
      { server: 'a__b', tool: 'c' },
      { server: 'a', tool: 'b__c' },
    ]);
    assert.equal(new Set(names.values()).size, 2, [...names.values()].join(', '));
    const bare = assignToolNames(
      [
        { server: 'alpha', tool: 'echo' },
        { server: 'beta', tool: 'echo' },
      ],
      { prefix: false },
    );
    assert.deepEqual([...bare.names.values()], ['echo', 'beta__echo'], 'without prefixes, the second falls back to server__tool');
  });

  test('a collision no name can break is a warning naming both tools, not an error', () => {
    // Tools literally named like every candidate of kb.lookup take them all first.
    const [, ...taken] = candidateNames({ server: 'docs', tool: 'kb.lookup' }, true);
    const refs = ['kb_lookup', ...taken.map((n) => n.slice('docs__'.length)), 'kb.lookup'].map((tool) => ({ server: 'docs', tool }));
    const { names, warnings } = assignToolNames(refs);
    assert.equal(names.size, refs.length - 1);
    assert.equal(names.has('docs\u0000kb.lookup'), false);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /left out tool "kb\.lookup" of server "docs".*docs__kb_lookup is tool "kb_lookup" of server "docs"/);
  });
});

describe('a server whose tool names models refuse (regression: "kb.lookup" made every run exit 1)', () => {
  let odd: SdkServer;
  before(async () => {
    odd = await startSdkServer(oddServer, { transport: 'http' });
  });
  after(() => odd.close());

  test('its tools load under model-safe names and each call reaches the real name', async () => {
    const warnings: string[] = [];
    const pool = new McpClientPool({ servers: { docs: ServerEntrySchema.parse({ url: odd.url }) }, onWarning: (w) => warnings.push(w) });
    try {
      const tools = await pool.tools();
      assert.deepEqual(warnings, []);
      assert.equal(tools.length, ODD_NAMES.length);
      for (const tool of tools) assert.match(tool.name, MODEL_TOOL_NAME);
      const mapped = Object.fromEntries(tools.map((t) => [(t.metadata as { mcpName: string }).mcpName, t.name]));
      assert.match(mapped['kb.lookup']!, /^docs__kb_lookup_[0-9a-f]{8}$/);

      const calls = ODD_NAMES.map((name) => ({ name: mapped[name]!, args: { q: 'x' } }));
      const model = new ScriptedChatModel(callThenAnswer(calls, () => 'done'));
      const graph = createReactGraph({ model, tools: () => pool.tools(), instructions: 't' });
      const ends: Extract<RunEvent, { type: 'tool_end' }>[] = [];
      for await (const chunk of await graph.stream({ messages: [new HumanMessage('go')] }, { streamMode: 'custom' })) {
        const event = chunk as RunEvent;
        if (event.type === 'tool_end') ends.push(event);
      }
      assert.deepEqual(
        ends.map((e) => e.ok),
        ODD_NAMES.map(() => true),
        JSON.stringify(ends),
      );
      assert.deepEqual(
        ends.map((e) => e.result).sort(),
        ODD_NAMES.map((name) => `${name} got x`).sort(),
        'each call went to the tool of that name on the server',
      );

      const again = new McpClientPool({ servers: { docs: ServerEntrySchema.parse({ url: odd.url }) } });
      assert.deepEqual((await again.tools()).map((t) => t.name).sort(), tools.map((t) => t.name).sort(), 'the same names next run');
      await again.close();
    } finally {
      await pool.close();
    }
  });
});
