import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { MemorySaver } from '@langchain/langgraph';
import { z } from 'zod';
import { approvalReason, type ApprovalRequest } from '../../../src/agent/index.ts';
import { ConfigFileSchema, ServerEntrySchema } from '../../../src/config/file.ts';
import { McpClientPool, createOrchestrator } from '../../../src/orchestrator/index.ts';
import { startSdkServer, type SdkServer } from '../../helpers/sdkServer.ts';
import { ScriptedChatModel, callThenAnswer } from '../../helpers/scriptedModel.ts';

/** A read-only tool, one with no annotations (destructive by MCP's defaults), and one marked destructive. */
function tools(): McpServer {
  const server = new McpServer({ name: 'mixed', version: '1.0.0' });
  const ok = async () => ({ content: [{ type: 'text' as const, text: 'ok' }] });
  server.registerTool('peek', { description: 'Reads.', inputSchema: { x: z.string() }, annotations: { readOnlyHint: true } }, ok);
  server.registerTool('poke', { description: 'Changes something.', inputSchema: { x: z.string() } }, ok);
  server.registerTool('smash', { description: 'Deletes.', inputSchema: { x: z.string() }, annotations: { destructiveHint: true } }, ok);
  return server;
}

describe('per-server approval settings ("approve")', () => {
  let mixed: SdkServer;
  before(async () => {
    mixed = await startSdkServer(tools, { transport: 'http' });
  });
  after(() => mixed.close());

  /** Which of the server's tools ask for approval under `approve`. */
  async function asking(approve: unknown): Promise<Record<string, string | undefined>> {
    const pool = new McpClientPool({
      servers: { m: ServerEntrySchema.parse({ url: mixed.url, ...(approve === undefined ? {} : { approve }) }) },
    });
    try {
      return Object.fromEntries((await pool.tools()).map((tool) => [tool.name.replace('m__', ''), approvalReason(tool)]));
    } finally {
      await pool.close();
    }
  }

  test('absent: the annotations decide', async () => {
    const reasons = await asking(undefined);
    assert.equal(reasons['peek'], undefined);
    assert.match(reasons['poke']!, /not marked read-only/);
    assert.match(reasons['smash']!, /marked destructive/);
  });

  test('"always": every call asks, read-only ones too, saying why', async () => {
    const reasons = await asking('always');
    for (const tool of ['peek', 'poke', 'smash'])
      assert.equal(reasons[tool], 'server "m" is configured to ask before every call ("approve": "always")');
  });

  test('"never": the server is trusted, nothing asks', async () => {
    assert.deepEqual(await asking('never'), { peek: undefined, poke: undefined, smash: undefined });
  });

  test('a list: the tools it names (by their MCP names, * allowed) never ask; the others follow their annotations', async () => {
    const reasons = await asking(['poke']);
    assert.equal(reasons['poke'], undefined);
    assert.match(reasons['smash']!, /marked destructive/);
    assert.deepEqual(await asking(['p*', 'sma*']), { peek: undefined, poke: undefined, smash: undefined });
  });

  test('the config accepts exactly these values', () => {
    const parse = (approve: unknown) => ConfigFileSchema.safeParse({ servers: { m: { url: mixed.url, approve } } }).success;
    assert.deepEqual([parse('always'), parse('never'), parse(['a', 'b*']), parse([])], [true, true, true, true]);
    assert.deepEqual([parse('ask'), parse(true), parse(['']), parse({})], [false, false, false, false]);
  });

  test('a run pauses for a read-only call of an "always" server, and runs an unannotated call of a "never" one', async () => {
    const servers = {
      guarded: ServerEntrySchema.parse({ url: mixed.url, approve: 'always' }),
      trusted: ServerEntrySchema.parse({ url: mixed.url, approve: 'never' }),
    };
    const model = new ScriptedChatModel(
      callThenAnswer(
        [
          { name: 'guarded__peek', args: { x: '1' } },
          { name: 'trusted__poke', args: { x: '2' } },
        ],
        () => 'done',
      ),
    );
    const orchestrator = createOrchestrator({ servers, model, checkpointer: new MemorySaver() });
    try {
      const asked: ApprovalRequest[] = [];
      const result = await orchestrator.run('go', {
        approvals: async (calls) => {
          asked.push(...calls);
          return Object.fromEntries(calls.map((c) => [c.id, { approve: true }]));
        },
      });
      assert.deepEqual(
        asked.map((c) => [c.name, c.server]),
        [['guarded__peek', 'guarded']],
      );
      assert.deepEqual(result.toolCalls.map((c) => [c.name, c.ok]).sort(), [
        ['guarded__peek', true],
        ['trusted__poke', true],
      ]);
    } finally {
      await orchestrator.close();
    }
  });
});
