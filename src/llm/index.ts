export { loadChatModel } from './load.ts';
export { createChatModel } from './models.ts';
export { describeModelError, toModelError } from './modelErrors.ts';
export { DEFAULT_OPENAI_BASE_URL, openAIErrors, type OpenAIErrorWording } from './openaiErrors.ts';
export {
  DEFAULT_MODEL_MAX_RETRIES,
  DEFAULT_MODEL_TIMEOUT_MS,
  defineModelProvider,
  type ChatModelFactory,
  type ChatModelOptions,
  type ModelEndpoint,
  type ModelErrorMapper,
  type ModelProvider,
} from './provider.ts';
export { DEFAULT_OPENAI_MODEL, MODEL_PROVIDERS, modelSpecUsage } from './providers.ts';
export { formatModelSpec, parseModelSpec, type ModelSpec } from './spec.ts';
