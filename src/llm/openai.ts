// The one file that imports @langchain/openai.
import {
  AzureChatOpenAICompletions,
  ChatOpenAICompletions,
  type AzureChatOpenAIFields,
  type BaseChatOpenAIFields,
  type OpenAIClient,
} from '@langchain/openai';
import type { Env } from '../config/env.ts';
import { DEFAULT_OPENAI_BASE_URL, toModelError, type ModelEndpoint } from './modelErrors.ts';
import { assertModelSettings } from './spec.ts';

/** Per-request timeout of a model call unless `timeoutMs` says otherwise. */
export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;
/** Retries after a first failed attempt unless `maxRetries` says otherwise. */
export const DEFAULT_MODEL_MAX_RETRIES = 2;

// OpenAI-compatible servers that need no key (Ollama, llama.cpp) still get one: the SDK insists.
const PLACEHOLDER_API_KEY = 'not-needed';

/** How a chat model talks to its server. */
export interface ChatModelOptions {
  /** Per-request timeout in ms; default {@link DEFAULT_MODEL_TIMEOUT_MS} (60 s). */
  timeoutMs?: number;
  /**
   * Retries after the first attempt, with 1-2 s then 2-4 s backoff; default
   * {@link DEFAULT_MODEL_MAX_RETRIES} (2). Only timeouts, network failures, 5xx and 429s with a
   * short `retry-after` are retried; 400/401/403/404 and a 429 without one fail at once.
   */
  maxRetries?: number;
  /**
   * Stream tokens when the caller streams (`.stream()`, `streamEvents`, LangGraph
   * `streamMode: "messages"`); default true. With false every call is one JSON answer, for
   * servers that cannot stream.
   */
  streaming?: boolean;
}

type OpenAIModelSpec = { provider: 'openai'; model: string };
type AzureModelSpec = { provider: 'azure'; deployment: string };
type StreamingRequest = OpenAIClient.Chat.ChatCompletionCreateParamsStreaming;
type JsonRequest = OpenAIClient.Chat.ChatCompletionCreateParamsNonStreaming;
type Stream = AsyncIterable<OpenAIClient.Chat.Completions.ChatCompletionChunk>;

/**
 * An OpenAI or OpenAI-compatible chat model (`OPENAI_BASE_URL`: Ollama, vLLM, LM Studio,
 * llama.cpp server). Always the Chat Completions API, whatever the model's name; failures are
 * `UpstreamError`s with a one-line message.
 */
export function createOpenAIChatModel(spec: OpenAIModelSpec, env: Env, options: ChatModelOptions = {}): ChatOpenAICompletions {
  assertModelSettings(spec, env);
  const baseURL = env.OPENAI_BASE_URL ?? DEFAULT_OPENAI_BASE_URL;
  const timeoutMs = options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
  return new SwitchboardChatOpenAI(
    {
      ...commonFields(options, timeoutMs),
      model: spec.model,
      apiKey: env.OPENAI_API_KEY ?? PLACEHOLDER_API_KEY,
      // Explicit, so neither process.env nor a LangSmith gateway setting redirects requests.
      configuration: { baseURL },
    },
    { provider: 'openai', model: spec.model, url: baseURL, timeoutMs },
  );
}

/**
 * An Azure OpenAI deployment: `{AZURE_OPENAI_ENDPOINT}/openai/deployments/{deployment}/chat/completions`
 * with `api-version` and an `api-key` header. Failures are `UpstreamError`s with a one-line message.
 */
export function createAzureChatModel(spec: AzureModelSpec, env: Env, options: ChatModelOptions = {}): AzureChatOpenAICompletions {
  assertModelSettings(spec, env);
  const endpoint = (env.AZURE_OPENAI_ENDPOINT ?? '').replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
  return new SwitchboardAzureChatOpenAI(
    {
      ...commonFields(options, timeoutMs),
      model: spec.deployment,
      azureOpenAIApiDeploymentName: spec.deployment,
      azureOpenAIEndpoint: endpoint,
      azureOpenAIApiKey: env.AZURE_OPENAI_API_KEY,
      azureOpenAIApiVersion: env.AZURE_OPENAI_API_VERSION,
      // '' rather than undefined: undefined falls back to process.env.AZURE_OPENAI_BASE_PATH, which wins over the endpoint.
      azureOpenAIBasePath: '',
    },
    { provider: 'azure', model: spec.deployment, url: endpoint, timeoutMs },
  );
}

function commonFields(options: ChatModelOptions, timeoutMs: number): BaseChatOpenAIFields {
  return {
    timeout: timeoutMs,
    maxRetries: options.maxRetries ?? DEFAULT_MODEL_MAX_RETRIES,
    // Never `streaming: true`: then invoke() streams and estimates token usage with tiktoken,
    // whose ranks are fetched from the web. Callers that stream get tokens anyway (LangChain
    // switches to streaming when a handler asks for it), and usage comes from the server.
    streamUsage: true,
    ...(options.streaming === false ? { disableStreaming: true } : {}),
  };
}

class SwitchboardChatOpenAI extends ChatOpenAICompletions {
  readonly endpoint: ModelEndpoint | undefined;

  constructor(fields: BaseChatOpenAIFields, endpoint?: ModelEndpoint) {
    super(fields);
    this.endpoint = endpoint;
  }

  override completionWithRetry(request: StreamingRequest, requestOptions?: OpenAIClient.RequestOptions): Promise<Stream>;
  override completionWithRetry(
    request: JsonRequest,
    requestOptions?: OpenAIClient.RequestOptions,
  ): Promise<OpenAIClient.Chat.Completions.ChatCompletion>;
  override completionWithRetry(request: StreamingRequest | JsonRequest, requestOptions?: OpenAIClient.RequestOptions): Promise<unknown> {
    return withModelErrors(super.completionWithRetry(request as JsonRequest, requestOptions), this.endpoint);
  }
}

class SwitchboardAzureChatOpenAI extends AzureChatOpenAICompletions {
  readonly endpoint: ModelEndpoint | undefined;

  constructor(fields: AzureChatOpenAIFields, endpoint?: ModelEndpoint) {
    super(fields);
    this.endpoint = endpoint;
  }

  override completionWithRetry(request: StreamingRequest, requestOptions?: OpenAIClient.RequestOptions): Promise<Stream>;
  override completionWithRetry(
    request: JsonRequest,
    requestOptions?: OpenAIClient.RequestOptions,
  ): Promise<OpenAIClient.Chat.Completions.ChatCompletion>;
  override completionWithRetry(request: StreamingRequest | JsonRequest, requestOptions?: OpenAIClient.RequestOptions): Promise<unknown> {
    return withModelErrors(super.completionWithRetry(request as JsonRequest, requestOptions), this.endpoint);
  }
}

/** Maps the final failure (after retries), and a failure in the middle of a stream, to a one-line error. */
async function withModelErrors(call: Promise<unknown>, endpoint: ModelEndpoint | undefined): Promise<unknown> {
  if (!endpoint) return call;
  try {
    const result = await call;
    return isStream(result) ? mapStreamErrors(result, endpoint) : result;
  } catch (error) {
    throw toModelError(error, endpoint);
  }
}

async function* mapStreamErrors(stream: Stream, endpoint: ModelEndpoint): Stream {
  try {
    yield* stream;
  } catch (error) {
    throw toModelError(error, endpoint);
  }
}

function isStream(value: unknown): value is Stream {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
