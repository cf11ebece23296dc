import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Env } from '../config/env.ts';
import { OfflinePlanner } from './offline/index.ts';
import type { ChatModelOptions } from './openai.ts';
import type { ModelSpec } from './spec.ts';

/**
 * `createChatModel` for entry points that start often (the CLI): the OpenAI client library,
 * about half a second to load, is imported only when the spec names a network model.
 */
export async function loadChatModel(spec: ModelSpec, env: Env, options: ChatModelOptions = {}): Promise<BaseChatModel> {
  if (spec.provider === 'offline') return new OfflinePlanner();
  const { createChatModel } = await import('./models.ts');
  return createChatModel(spec, env, options);
}
