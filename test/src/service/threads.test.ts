import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { MemorySaver } from '@langchain/langgraph';
import { z } from 'zod';
import { createReactGraph } from '../../../src/agent/index.ts';
import type { Orchestrator } from '../../../src/orchestrator/index.ts';
import { settleThread } from '../../../src/service/threads.ts';
import { ScriptedChatModel, callThenAnswer } from '../../helpers/scriptedModel.ts';

const toolMessages = (messages: BaseMessage[]) => messages.filter((m): m is ToolMessage => m instanceof ToolMessage);

test('regression: settling a stopped run keeps the results of the calls that finished, and only the rest are "not run"', async () => {
  // A step's calls are tasks of their own; a stop mid-step leaves the finished ones as pending writes
  // of the checkpoint. Before, settling wrote "Not run" for every call of the step, so the thread said
  // the incident was never created when it had been.
  let createdFirst!: () => void;
  const created = new Promise<void>((resolve) => (createdFirst = resolve));
  const create = tool(async () => 'INC0010001 created', {
    name: 'create',
    description: 'x',
    schema: z.object({}),
    metadata: { annotations: { readOnlyHint: false, destructiveHint: false } },
  });
  const slow = tool(
    async (_args, runConfig) => {
      createdFirst();
      await new Promise((_, reject) => runConfig.signal?.addEventListener('abort', () => reject(new Error('stopped'))));
      return 'slow done';
    },
    { name: 'slow', description: 'x', schema: z.object({}), metadata: { annotations: { readOnlyHint: true } } },
  );
  const model = new ScriptedChatModel(
    callThenAnswer(
      [
        { name: 'create', args: {}, id: 'c1' },
        { name: 'slow', args: {}, id: 'c2' },
      ],
      () => 'done',
    ),
  );
  const saver = new MemorySaver();
  const graph = createReactGraph({ model, tools: () => [create, slow], instructions: 'test', checkpointer: saver });
  const config = { configurable: { thread_id: 'thread-1', autoApprove: true } };
  const controller = new AbortController();
  const stopped = graph.invoke({ messages: [new HumanMessage('create and wait')] }, { ...config, signal: controller.signal });
  await created;
  const saved = async () =>
    ((await saver.getTuple(config))?.pendingWrites ?? []).some(
      ([, channel, value]) => channel === 'messages' && JSON.stringify(value).includes('INC0010001'),
    );
  while (!(await saved())) await new Promise((resolve) => setImmediate(resolve));
  controller.abort(new Error('cancelled'));
  await assert.rejects(stopped);

  assert.equal(await settleThread(graph as unknown as Orchestrator['graph'], 'thread-1', 'it was cancelled'), true);
  const state = await graph.getState(config);
  assert.deepEqual(state.next, []);
  const results = toolMessages(state.values.messages as BaseMessage[]);
  assert.deepEqual(
    results.map((m) => [m.tool_call_id, String(m.content), m.status]),
    [
      ['c1', 'INC0010001 created', 'success'],
      ['c2', 'Not run: it was cancelled.', 'error'],
    ],
  );
  assert.match(String((state.values.messages as BaseMessage[]).at(-1)!.content), /stopped before it finished: it was cancelled/);
  // Settled once is settled: nothing is left open.
  assert.equal(await settleThread(graph as unknown as Orchestrator['graph'], 'thread-1', 'it was cancelled'), false);
});
