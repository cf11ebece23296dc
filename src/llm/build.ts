import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Env } from '../config/env.ts';
import type { ChatModelFactory, ChatModelOptions, ModelProvider } from './provider.ts';
import { modelProvider } from './providers.ts';
import { assertModelSettings, type ModelSpec } from './spec.ts';

/** The spec's provider, after checking `env` has what it needs (a `ConfigError` otherwise). */
export function providerFor(spec: ModelSpec, env: Env): ModelProvider {
  assertModelSettings(spec, env);
  return modelProvider(spec.provider);
}

/** Calls a provider's factory with its own error mapper (errors pass through unchanged without one). */
export function build(
  provider: ModelProvider,
  factory: ChatModelFactory<never>,
  spec: ModelSpec,
  env: Env,
  options: ChatModelOptions,
): BaseChatModel {
  return (factory as ChatModelFactory<ModelSpec>)(spec, env, options, provider.errors ?? ((error) => error));
}
