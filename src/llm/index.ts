export { loadChatModel } from './load.ts';
export { createChatModel } from './models.ts';
export { DEFAULT_MODEL_MAX_RETRIES, DEFAULT_MODEL_TIMEOUT_MS, type ChatModelOptions } from './openai.ts';
export { DEFAULT_OPENAI_BASE_URL, describeModelError, toModelError, type ModelEndpoint } from './modelErrors.ts';
export { DEFAULT_OPENAI_MODEL, formatModelSpec, parseModelSpec, type ModelSpec } from './spec.ts';
