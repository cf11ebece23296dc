import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { CallbackManager } from '@langchain/core/callbacks/manager';
import { AIMessage, AIMessageChunk, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import { tool } from '@langchain/core/tools';
import { getConfig } from '@langchain/langgraph';
import { RunTree } from 'langsmith';
import { z } from 'zod';
import { createReactGraph } from '../../../src/agent/index.ts';
import { installLeanRunContext } from '../../../src/agent/leanRunContext.ts';
import { ScriptedChatModel, callThenAnswer } from '../../helpers/scriptedModel.ts';

class Recorder extends BaseCallbackHandler {
  name = 'recorder';
  readonly chains: string[] = [];
  override handleChainStart(
    _chain: unknown,
    _inputs: unknown,
    _runId: string,
    _parent?: string,
    _tags?: string[],
    _meta?: unknown,
    _type?: string,
    name?: string,
  ) {
    this.chains.push(name ?? '');
  }
}

describe('the lean run context', () => {
  test('without handlers the step config is carried by a plain holder, not a RunTree', () => {
    installLeanRunContext();
    const config = { configurable: { thread_id: 't1' }, tags: ['x'] };
    AsyncLocalStorageProviderSingleton.runWithConfig(config, () => {
      assert.equal(AsyncLocalStorageProviderSingleton.getRunnableConfig(), config);
      assert.ok(!(AsyncLocalStorageProviderSingleton.getInstance().getStore() instanceof RunTree));
    });
  });

  test('with a callback handler the original runs: the store is a RunTree', () => {
    installLeanRunContext();
    installLeanRunContext(); // idempotent: wrapping twice would still work, but must not happen
    const config = { callbacks: [new Recorder()] };
    AsyncLocalStorageProviderSingleton.runWithConfig(config, () => {
      assert.ok(AsyncLocalStorageProviderSingleton.getInstance().getStore() instanceof RunTree);
      assert.equal(AsyncLocalStorageProviderSingleton.getRunnableConfig(), config);
    });
  });

  test('a callback manager counts by its handlers; without one the environment decides', () => {
    installLeanRunContext();
    const isRunTree = (callbacks: CallbackManager | undefined) =>
      AsyncLocalStorageProviderSingleton.runWithConfig(
        { callbacks },
        () => AsyncLocalStorageProviderSingleton.getInstance().getStore() instanceof RunTree,
      );
    const withHandler = new CallbackManager();
    withHandler.addHandler(new Recorder());
    assert.equal(isRunTree(withHandler), true);
    assert.equal(isRunTree(new CallbackManager()), false);
    assert.equal(isRunTree(undefined), false);
    // LANGCHAIN_VERBOSE makes LangChain add its console handler to every run: the original path then.
    process.env['LANGCHAIN_VERBOSE'] = 'true';
    try {
      assert.equal(isRunTree(undefined), true);
    } finally {
      delete process.env['LANGCHAIN_VERBOSE'];
    }
  });

  test('a graph run still sees its config in tools, and handlers still hear every step', async () => {
    let seenThread: unknown;
    const probe = tool(async () => ((seenThread = getConfig().configurable?.['thread_id']), 'probed'), {
      name: 'probe',
      description: 'probe',
      schema: z.object({}),
      metadata: { annotations: { readOnlyHint: true } },
    });
    const model = new ScriptedChatModel(callThenAnswer([{ name: 'probe', args: {} }], () => 'done'));
    const graph = createReactGraph({ model, tools: () => [probe], instructions: 'test' });
    const recorder = new Recorder();
    const result = await graph.invoke(
      { messages: [new HumanMessage('probe it')] },
      { configurable: { thread_id: 'thread-7' }, callbacks: [recorder] },
    );
    assert.equal(String(result.messages.at(-1)!.content), 'done');
    assert.equal(seenThread, 'thread-7');
    assert.ok(recorder.chains.includes('agent') && recorder.chains.includes('tool'), recorder.chains.join(','));

    seenThread = undefined;
    const quiet = new ScriptedChatModel(callThenAnswer([{ name: 'probe', args: {} }], () => 'done'));
    const plain = createReactGraph({ model: quiet, tools: () => [probe], instructions: 'test' });
    await plain.invoke({ messages: [new HumanMessage('probe it')] }, { configurable: { thread_id: 'thread-8' } });
    assert.equal(seenThread, 'thread-8');
  });

  test('streaming messages still delivers the answer when someone listens', async () => {
    const model = new ScriptedChatModel(() => new AIMessage('the answer'));
    const graph = createReactGraph({ model, tools: () => [], instructions: 'test' });
    const texts: string[] = [];
    for await (const [mode, chunk] of await graph.stream({ messages: [new HumanMessage('hi')] }, { streamMode: ['custom', 'messages'] })) {
      if (mode !== 'messages') continue;
      const [message] = chunk as [BaseMessage, unknown];
      if (message instanceof AIMessageChunk || message.getType() === 'ai') texts.push(String(message.content));
    }
    assert.deepEqual(texts, ['the answer']);
  });
});
