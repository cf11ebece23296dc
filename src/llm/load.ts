import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Env } from '../config/env.ts';
import { build, providerFor } from './build.ts';
import type { ChatModelFactory, ChatModelOptions } from './provider.ts';
import type { ModelSpec } from './spec.ts';

/**
 * `createChatModel` for entry points that start often (the CLI): a provider's client library
 * (the OpenAI one takes about half a second to load) is imported only when its spec is used, so
 * the offline planner never loads it. Throws a `ConfigError` when `env` lacks a setting.
 */
export async function loadChatModel(spec: ModelSpec, env: Env, options: ChatModelOptions = {}): Promise<BaseChatModel> {
  const provider = providerFor(spec, env);
  return build(provider, (await provider.load()) as ChatModelFactory<never>, spec, env, options);
}
