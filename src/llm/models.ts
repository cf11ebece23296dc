import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Env } from '../config/env.ts';
import { build, providerFor } from './build.ts';
import type { ChatModelFactory, ChatModelOptions } from './provider.ts';
import { MODEL_PROVIDERS } from './providers.ts';
import type { ModelSpec } from './spec.ts';

// A synchronous factory needs every provider's implementation in memory, so this module loads
// them all once, when it is imported (what static imports would do, but from the registry).
// Entry points that start often use loadChatModel, which imports only the provider it needs.
const factories = new Map<string, ChatModelFactory<never>>(
  await Promise.all(MODEL_PROVIDERS.map(async (provider) => [provider.id, (await provider.load()) as ChatModelFactory<never>] as const)),
);

/**
 * The chat model a spec names, ready for `bindTools`: OpenAI or any OpenAI-compatible server
 * (`OPENAI_BASE_URL`), an Azure OpenAI deployment, or the offline planner. Network models time
 * out after 60 s, retry twice, and fail with a one-line `UpstreamError`; see {@link ChatModelOptions}.
 * Throws a `ConfigError` when `env` lacks a setting the provider needs.
 */
export function createChatModel(spec: ModelSpec, env: Env, options: ChatModelOptions = {}): BaseChatModel {
  const provider = providerFor(spec, env);
  return build(provider, factories.get(provider.id)!, spec, env, options);
}
