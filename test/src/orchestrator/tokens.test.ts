import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk } from '@langchain/core/outputs';
import { MemorySaver } from '@langchain/langgraph';
import { createOrchestrator } from '../../../src/orchestrator/index.ts';
import { ScriptedChatModel } from '../../helpers/scriptedModel.ts';

/** Answers in three pieces when streamed, whole otherwise. */
class StreamingModel extends ScriptedChatModel {
  constructor() {
    super(() => new AIMessage('one two three'));
  }
  override async *_streamResponseChunks(
    _messages: BaseMessage[],
    _options: unknown,
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    for (const word of ['one ', 'two ', 'three']) {
      yield new ChatGenerationChunk({ message: new AIMessageChunk({ content: word }), text: word });
      await runManager?.handleLLMNewToken(word);
    }
  }
}

describe('answer tokens', () => {
  test('a model that streams sends its answer to onToken piece by piece', async () => {
    const orchestrator = createOrchestrator({ servers: {}, model: new StreamingModel(), checkpointer: new MemorySaver() });
    const tokens: string[] = [];
    const result = await orchestrator.run('hello', { onToken: (text) => tokens.push(text) });
    assert.deepEqual(tokens, ['one ', 'two ', 'three']);
    assert.equal(result.answer, 'one two three');
    await orchestrator.close();
  });

  test('a model that answers whole sends no tokens; its answer is in the result, as before', async () => {
    const orchestrator = createOrchestrator({
      servers: {},
      model: new ScriptedChatModel(() => new AIMessage('all at once')),
      checkpointer: new MemorySaver(),
    });
    const tokens: string[] = [];
    const result = await orchestrator.run('hello', { onToken: (text) => tokens.push(text) });
    assert.deepEqual(tokens, []);
    assert.equal(result.answer, 'all at once');
    await orchestrator.close();
  });
});
