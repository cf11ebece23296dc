import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ToolMessage } from '@langchain/core/messages';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import type { DynamicStructuredTool } from '@langchain/core/tools';
import { loadMcpTools } from '@langchain/mcp-adapters';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { McpTool, type McpToolClient } from '../../../src/orchestrator/mcpTool.ts';

const LOOKUP: Tool = {
  name: 'lookup',
  description: 'looks a record up',
  inputSchema: {
    type: 'object',
    properties: { id: { type: 'string', minLength: 3 }, limit: { type: 'integer', minimum: 1 } },
    required: ['id'],
  },
  annotations: { readOnlyHint: true },
};

/** A client that answers every call with `answer` (or throws it). */
function fakeClient(answer: CallToolResult | Error) {
  const calls: unknown[] = [];
  const client = {
    calls,
    listTools: async () => ({ tools: [structuredClone(LOOKUP)] }),
    callTool: async (params: unknown) => {
      calls.push(params);
      if (answer instanceof Error) throw answer;
      return structuredClone(answer);
    },
  };
  return client;
}

/** The adapter's own tool over `client`, and ours built from it as the pool builds it. */
async function bothTools(client: ReturnType<typeof fakeClient>): Promise<{ adapter: DynamicStructuredTool; ours: McpTool }> {
  const [adapter] = await loadMcpTools('srv', client as unknown as Parameters<typeof loadMcpTools>[1]);
  const ours = new McpTool({
    name: adapter!.name,
    description: adapter!.description,
    schema: adapter!.schema as Record<string, unknown>,
    metadata: adapter!.metadata,
    server: 'srv',
    mcpName: 'lookup',
    client: client as McpToolClient,
  });
  return { adapter: adapter!, ours };
}

/** What a tool call gives a run: the message (content, artifact, status) or the error's name and message. */
async function outcome(tool: DynamicStructuredTool, args: Record<string, unknown>): Promise<unknown> {
  try {
    const message = (await tool.invoke({ id: 'c1', name: tool.name, args, type: 'tool_call' })) as ToolMessage;
    assert.ok(message instanceof ToolMessage);
    return { content: message.content, artifact: message.artifact, status: message.status, name: message.name };
  } catch (error) {
    return { thrown: (error as Error).constructor.name, name: (error as Error).name, message: (error as Error).message };
  }
}

const text = (t: string) => ({ type: 'text' as const, text: t });

const RESULTS: Record<string, CallToolResult | Error> = {
  'one text block': { content: [text('{"id":"abc"}')] },
  'two text blocks': { content: [text('a'), text('b')] },
  'text with _meta': { content: [text('x')], _meta: { page: 2 } },
  'text with structured content': { content: [text('x')], structuredContent: { id: 'abc' } },
  'an image and a text': { content: [{ type: 'image', data: 'iVBOR', mimeType: 'image/png' }, text('see above')] },
  audio: { content: [{ type: 'audio', data: 'UklGR', mimeType: 'audio/wav' }] },
  'a resource link': { content: [{ type: 'resource_link', uri: 'file:///a.txt', name: 'a', mimeType: 'text/plain' }] },
  'an embedded resource': { content: [text('attached'), { type: 'resource', resource: { uri: 'mem://r', text: 'inline' } }] },
  'a resource given only by its URI (passed on, not read)': { content: [{ type: 'resource', resource: { uri: 'mem://ref' } as never }] },
  'no content blocks': { content: [] },
  'an error result': { content: [text('not found'), text('try another id')], isError: true },
  'a block of an unknown type': { content: [{ type: 'video', data: 'x' } as never] },
  'content that is not a list': { content: 'oops' as never },
  'a failed exchange (ToolException)': Object.assign(new Error('MCP server "srv" at http://x/mcp is unreachable'), {
    name: 'ToolException',
  }),
  'any other error': new TypeError('boom'),
};

describe('McpTool', () => {
  for (const [what, answer] of Object.entries(RESULTS)) {
    test(`gives a run what the adapter's tool gives for ${what}`, async () => {
      const client = fakeClient(answer);
      const { adapter, ours } = await bothTools(client);
      assert.deepEqual(await outcome(ours, { id: 'abc' }), await outcome(adapter, { id: 'abc' }));
      assert.deepEqual(client.calls, [
        { name: 'lookup', arguments: { id: 'abc' } },
        { name: 'lookup', arguments: { id: 'abc' } },
      ]);
    });
  }

  test('rejects arguments its schema rejects as LangChain does, without calling the server; the schema stays in place', async () => {
    const client = fakeClient({ content: [text('ok')] });
    const { adapter, ours } = await bothTools(client);
    const schema = ours.schema;
    for (const args of [{}, { id: 'ab' }, { id: 'abc', limit: 0 }, { id: 'abc', limit: 1.5 }, { id: 7 }]) {
      const theirs = await outcome(adapter, args);
      assert.match(JSON.stringify(theirs), /ToolInputParsingException.*did not match expected schema/);
      assert.deepEqual(await outcome(ours, args), theirs, JSON.stringify(args));
    }
    assert.deepEqual(client.calls, []);
    assert.equal(ours.schema, schema);
    assert.deepEqual(await outcome(ours, { id: 'abc', limit: 2 }), await outcome(adapter, { id: 'abc', limit: 2 }));
    assert.equal(ours.schema, schema, 'after a call that ran');
  });

  test('keeps the schema a model sees while calls are in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const client = fakeClient({ content: [text('ok')] });
    client.callTool = async (params: unknown) => {
      client.calls.push(params);
      await gate;
      return { content: [text('ok')] };
    };
    const { ours } = await bothTools(client);
    const schema = ours.schema;
    const pending = [ours.invoke({ id: 'abc' }), ours.invoke({ id: 'abcd' })];
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(client.calls.length, 2);
    assert.equal(ours.schema, schema);
    release();
    assert.deepEqual(await Promise.all(pending), ['ok', 'ok']);
  });

  test('a call no handler observes gives the message LangChain gives to one a handler observes, and the handler sees its call', async () => {
    class Recorder extends BaseCallbackHandler {
      name = 'recorder';
      readonly seen: string[] = [];
      override handleToolStart() {
        this.seen.push('start');
      }
      override handleToolEnd() {
        this.seen.push('end');
      }
    }
    for (const answer of [RESULTS['one text block']!, RESULTS['text with structured content']!, RESULTS['an image and a text']!]) {
      const { ours } = await bothTools(fakeClient(answer));
      const call = { id: 'c1', name: ours.name, args: { id: 'abc' }, type: 'tool_call' as const };
      const recorder = new Recorder();
      const observed = (await ours.invoke(call, { callbacks: [recorder] })) as ToolMessage;
      const direct = (await ours.invoke(call)) as ToolMessage;
      assert.deepEqual(recorder.seen, ['start', 'end']);
      assert.deepEqual(direct.toDict(), observed.toDict());
    }
  });

  test("a call without a signal of its own follows the enclosing step's", async () => {
    const client = fakeClient({ content: [text('ok')] });
    const signals: unknown[] = [];
    const { ours } = await bothTools(client);
    const inner = client as unknown as McpToolClient;
    inner.callTool = async (_params, _schema, options) => {
      signals.push(options?.signal);
      return { content: [text('ok')] };
    };
    const step = new AbortController();
    const own = new AbortController();
    const call = { id: 'c1', name: ours.name, args: { id: 'abc' }, type: 'tool_call' as const };
    await AsyncLocalStorageProviderSingleton.runWithConfig({ signal: step.signal }, async () => {
      await ours.invoke(call);
      await ours.invoke(call, { signal: own.signal });
    });
    assert.deepEqual(signals, [step.signal, own.signal]);
  });
});
