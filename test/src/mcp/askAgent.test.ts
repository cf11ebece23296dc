import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ToolMessage } from '@langchain/core/messages';
import { withAskAgentTool } from '../../../src/mcp/index.ts';
import { connectStreamable, serve } from '../../helpers/mcpClient.ts';
import { ScriptedChatModel, callThenAnswer } from '../../helpers/scriptedModel.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

test('ask_<name>_agent runs the agent’s own ReAct loop over its own tools, with its instructions', async () => {
  const model = new ScriptedChatModel(
    callThenAnswer([{ name: 'echo', args: { text: 'from inside' } }, { name: 'count', args: { n: 2, delay_ms: 1 } }], (messages) =>
      `inner results: ${messages.filter((m) => m instanceof ToolMessage).map((m) => String(m.content)).join(', ')}`,
    ),
  );
  const agent = withAskAgentTool(createTestAgent(), async () => model);
  const server = await serve(agent);
  const { client } = await connectStreamable(server.url);
  try {
    const { tools } = await client.listTools();
    const ask = tools.find((t) => t.name === 'ask_test_agent');
    assert.ok(ask, 'the tool is listed');
    assert.match(ask.description ?? '', /echo, count/);
    const progress: string[] = [];
    const result = (await client.callTool({ name: 'ask_test_agent', arguments: { request: 'echo something and count to two' } }, undefined, { onprogress: (p) => progress.push(p.message ?? '') })) as unknown as {
      structuredContent: { answer: string; tool_calls: { name: string; ok: boolean }[] };
    };
    assert.equal(result.structuredContent.answer, 'inner results: {"text":"from inside"}, {"counted":2}');
    assert.deepEqual(result.structuredContent.tool_calls.map((c) => [c.name, c.ok]).sort(), [['count', true], ['echo', true]]);
    assert.ok(progress.some((m) => m.startsWith('calling ')), 'progress says which tool runs');
    assert.equal(model.seen[0]!.messages[0]!.content, 'A test agent.', "the agent's own instructions are the system prompt");
    assert.deepEqual(model.seen[0]!.tools.slice(0, 2), ['echo', 'count']);
  } finally {
    await client.close();
    await server.close();
  }
});
