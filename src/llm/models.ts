import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Env } from '../config/env.ts';
import { OfflinePlanner } from './offline/index.ts';
import { createAzureChatModel, createOpenAIChatModel, type ChatModelOptions } from './openai.ts';
import type { ModelSpec } from './spec.ts';

/**
 * The chat model a spec names, ready for `bindTools`: OpenAI or any OpenAI-compatible server
 * (`OPENAI_BASE_URL`), an Azure OpenAI deployment, or the offline planner. Network models time
 * out after 60 s, retry twice, and fail with a one-line `UpstreamError`; see {@link ChatModelOptions}.
 * Throws a `ConfigError` when `env` lacks a setting the provider needs.
 */
export function createChatModel(spec: ModelSpec, env: Env, options: ChatModelOptions = {}): BaseChatModel {
  switch (spec.provider) {
    case 'openai':
      return createOpenAIChatModel(spec, env, options);
    case 'azure':
      return createAzureChatModel(spec, env, options);
    case 'offline':
      return new OfflinePlanner();
  }
}
