import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { createReactGraph } from '../../../src/agent/index.ts';
import { loadEnv, type Env } from '../../../src/config/env.ts';
import { loadChatModel } from '../../../src/llm/load.ts';
import { parseModelSpec } from '../../../src/llm/spec.ts';
import { reply, startFakeOpenAI, type FakeOpenAI, type ToolCallDeltas } from '../../helpers/fakeOpenAI.ts';
import { guardHermetic, offLoopback } from '../../helpers/hermetic.ts';

// What README's "Local models" promises: OPENAI_BASE_URL at a server of your own, no key, the
// spec openai:<model>, streaming with tool calls; and nothing leaves the machine meanwhile.
const guard = guardHermetic();

const lookups: string[] = [];
const lookupIncident = tool(
  async ({ number }) => {
    lookups.push(number);
    return JSON.stringify({ number, state: 'In Progress', short_description: 'VPN down in Lyon' });
  },
  {
    name: 'get_incident',
    description: 'Reads one incident by its number.',
    schema: z.object({ number: z.string().describe('INC number') }),
    // Read-only, as an MCP tool would say: it runs without an approval.
    metadata: { annotations: { readOnlyHint: true } },
  },
);

describe('a local OpenAI-compatible server (Ollama, LM Studio, vLLM, llama.cpp) through OPENAI_BASE_URL', () => {
  let fake: FakeOpenAI;
  let env: Env;
  let model: BaseChatModel;

  before(async () => {
    // apiKey null: like Ollama and llama.cpp, the server takes any key or none.
    fake = await startFakeOpenAI({ apiKey: null });
    env = loadEnv({ OPENAI_BASE_URL: fake.baseURL });
    model = await loadChatModel(parseModelSpec('openai:llama3.2', env), env, { maxRetries: 0, timeoutMs: 10_000 });
  });
  beforeEach(() => {
    fake.reset();
    lookups.length = 0;
  });
  after(() => fake.close());

  for (const deltas of ['fragments', 'whole'] as ToolCallDeltas[]) {
    test(`a ReAct run streams tokens and a tool call sent as ${deltas}, runs the tool and streams the answer`, async () => {
      fake.enqueue(
        reply.toolCalls([{ id: 'call_1', name: 'get_incident', arguments: { number: 'INC0010001' } }], { deltas }),
        reply.text('INC0010001 is In Progress: VPN down in Lyon.'),
      );
      const graph = createReactGraph({ model, tools: () => [lookupIncident], instructions: 'You manage incidents.' });
      const tokens: string[] = [];
      const toolChunks: AIMessageChunk[] = [];
      let messages: BaseMessage[] = [];
      const stream = await graph.stream(
        { messages: [new HumanMessage('what is the state of INC0010001?')] },
        { streamMode: ['messages', 'values'] },
      );
      for await (const [mode, chunk] of stream) {
        if (mode === 'values') {
          messages = (chunk as { messages: BaseMessage[] }).messages;
          continue;
        }
        const [message] = chunk as unknown as [BaseMessage];
        if (!AIMessageChunk.isInstance(message)) continue;
        if (message.tool_call_chunks?.length) toolChunks.push(message);
        if (typeof message.content === 'string' && message.content) tokens.push(message.content);
      }

      assert.deepEqual(lookups, ['INC0010001'], 'the tool ran once with the streamed arguments');
      assert.ok(toolChunks.length >= (deltas === 'whole' ? 1 : 3), `tool-call deltas arrived as a stream (${toolChunks.length})`);
      assert.deepEqual(tokens, ['INC0010001 ', 'is ', 'In ', 'Progress: ', 'VPN ', 'down ', 'in ', 'Lyon.']);
      assert.equal(messages.at(-1)?.content, 'INC0010001 is In Progress: VPN down in Lyon.');

      assert.equal(fake.requests.length, 2);
      for (const request of fake.requests) {
        assert.equal(request.path, '/v1/chat/completions');
        assert.equal(request.body?.stream, true);
        assert.equal(request.body?.model, 'llama3.2');
        assert.equal(request.headers.authorization, 'Bearer not-needed', 'a placeholder key: the OpenAI client insists on one');
        assert.equal((request.body?.tools as { function: { name: string } }[])[0]?.function.name, 'get_incident');
      }
      const sent = fake.requests[1]?.body?.messages as Record<string, unknown>[];
      assert.deepEqual(sent.at(-1), {
        role: 'tool',
        name: 'get_incident',
        content: JSON.stringify({ number: 'INC0010001', state: 'In Progress', short_description: 'VPN down in Lyon' }),
        tool_call_id: 'call_1',
      });
    });
  }

  test('a streamed invoke() counts tokens itself: no tiktoken download, no warning', async () => {
    // LangChain estimates usage when invoke() streams (`streaming: true`), with tiktoken ranks it
    // downloads from tiktoken.pages.dev; the guard refuses that request and LangChain would warn.
    fake.enqueue(reply.toolCalls([{ id: 'call_2', name: 'get_incident', arguments: { number: 'INC0010002' } }]));
    Object.assign(model, { streaming: true });
    try {
      const answer = await model.bindTools!([lookupIncident]).invoke('state of INC0010002?');
      assert.deepEqual(answer.tool_calls?.[0]?.args, { number: 'INC0010002' });
      assert.equal(fake.requests[0]?.body?.stream, true);
      assert.ok((answer.usage_metadata?.input_tokens ?? 0) > 0, 'an estimate is still given');
      assert.deepEqual(guard.blocked, [], 'no download was attempted');
      assert.deepEqual(guard.printed, []);
    } finally {
      Object.assign(model, { streaming: false });
    }
  });

  test('nothing left loopback, nothing was even attempted, nothing was printed', () => {
    assert.ok(guard.origins.length > 0);
    assert.deepEqual(guard.blocked, []);
    assert.deepEqual(offLoopback(guard), []);
    assert.deepEqual(guard.printed, []);
  });
});
