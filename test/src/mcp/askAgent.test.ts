import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AIMessage, ToolMessage } from '@langchain/core/messages';
import { withAskAgentTool } from '../../../src/mcp/index.ts';
import { connectStreamable, serve } from '../../helpers/mcpClient.ts';
import { ScriptedChatModel, callThenAnswer } from '../../helpers/scriptedModel.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

test('ask_<name>_agent runs the agent’s own ReAct loop over its own tools, with its instructions', async () => {
  const model = new ScriptedChatModel(
    callThenAnswer(
      [
        { name: 'echo', args: { text: 'from inside' } },
        { name: 'count', args: { n: 2, delay_ms: 1 } },
      ],
      (messages) =>
        `inner results: ${messages
          .filter((m) => m instanceof ToolMessage)
          .map((m) => String(m.content))
          .join(', ')}`,
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
    const values: number[] = [];
    const onprogress = (p: { progress: number; message?: string }) => (progress.push(p.message ?? ''), values.push(p.progress));
    const result = (await client.callTool(
      { name: 'ask_test_agent', arguments: { request: 'echo something and count to two' } },
      undefined,
      { onprogress },
    )) as unknown as {
      structuredContent: { answer: string; tool_calls: { name: string; ok: boolean }[] };
    };
    assert.equal(result.structuredContent.answer, 'inner results: {"text":"from inside"}, {"counted":2}');
    assert.deepEqual(result.structuredContent.tool_calls.map((c) => [c.name, c.ok]).sort(), [
      ['count', true],
      ['echo', true],
    ]);
    assert.ok(
      progress.some((m) => m.startsWith('calling ')),
      'progress says which tool runs',
    );
    assert.ok(progress.includes('count: step 2'), `inner progress is relayed as a message (${progress.join(' | ')})`);
    assert.deepEqual(
      values,
      values.map((_, i) => i + 1),
      'progress increases with every notification, inner tools included (MCP requires it)',
    );
    assert.equal(model.seen[0]!.messages[0]!.content, 'A test agent.', "the agent's own instructions are the system prompt");
    assert.deepEqual(model.seen[0]!.tools.slice(0, 2), ['echo', 'count']);
  } finally {
    await client.close();
    await server.close();
  }
});

test('a model that fails to load is tried again at the next request, not cached as a failure', async () => {
  let attempts = 0;
  const model = new ScriptedChatModel(() => new AIMessage('ready now'));
  const agent = withAskAgentTool(createTestAgent(), async () => {
    if (++attempts === 1) throw new Error('model endpoint not reachable');
    return model;
  });
  const server = await serve(agent);
  const { client } = await connectStreamable(server.url);
  try {
    const first = await client.callTool({ name: 'ask_test_agent', arguments: { request: 'hello' } });
    assert.equal(first.isError, true);
    assert.match(JSON.stringify(first.content), /model endpoint not reachable/);
    const second = await client.callTool({ name: 'ask_test_agent', arguments: { request: 'hello' } });
    assert.deepEqual(second.structuredContent, { answer: 'ready now', tool_calls: [] });
    assert.equal(attempts, 2);
  } finally {
    await client.close();
    await server.close();
  }
});
