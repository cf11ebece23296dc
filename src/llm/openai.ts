// The one file that imports @langchain/openai.
import {
  AzureChatOpenAICompletions,
  ChatOpenAICompletions,
  type AzureChatOpenAIFields,
  type BaseChatOpenAIFields,
  type OpenAIClient,
} from '@langchain/openai';
import type { MessageContent } from '@langchain/core/messages';
import type { Env } from '../config/env.ts';
import { DEFAULT_OPENAI_BASE_URL } from './openaiErrors.ts';
import {
  DEFAULT_MODEL_MAX_RETRIES,
  DEFAULT_MODEL_TIMEOUT_MS,
  type ChatModelOptions,
  type ModelEndpoint,
  type ModelErrorMapper,
} from './provider.ts';

// OpenAI-compatible servers that need no key (Ollama, llama.cpp) still get one: the SDK insists.
const PLACEHOLDER_API_KEY = 'not-needed';

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
export function createOpenAIChatModel(
  spec: OpenAIModelSpec,
  env: Env,
  options: ChatModelOptions,
  toError: ModelErrorMapper,
): ChatOpenAICompletions {
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
    toError,
  );
}

/**
 * An Azure OpenAI deployment: `{AZURE_OPENAI_ENDPOINT}/openai/deployments/{deployment}/chat/completions`
 * with `api-version` and an `api-key` header. Failures are `UpstreamError`s with a one-line message.
 */
export function createAzureChatModel(
  spec: AzureModelSpec,
  env: Env,
  options: ChatModelOptions,
  toError: ModelErrorMapper,
): AzureChatOpenAICompletions {
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
    toError,
  );
}

function commonFields(options: ChatModelOptions, timeoutMs: number): BaseChatOpenAIFields {
  return {
    timeout: timeoutMs,
    maxRetries: options.maxRetries ?? DEFAULT_MODEL_MAX_RETRIES,
    // Never `streaming: true`: then invoke() streams as well and estimates usage by counting
    // tokens (see approximateTokens). Callers that stream get tokens anyway (LangChain switches
    // to streaming when a handler asks for it), and usage comes from the server.
    streamUsage: true,
    ...(options.streaming === false ? { disableStreaming: true } : {}),
  };
}

class SwitchboardChatOpenAI extends ChatOpenAICompletions {
  readonly #errors: ErrorContext;

  constructor(fields: BaseChatOpenAIFields, endpoint: ModelEndpoint, toError: ModelErrorMapper) {
    super(fields);
    this.#errors = { endpoint, toError };
  }

  override completionWithRetry(request: StreamingRequest, requestOptions?: OpenAIClient.RequestOptions): Promise<Stream>;
  override completionWithRetry(
    request: JsonRequest,
    requestOptions?: OpenAIClient.RequestOptions,
  ): Promise<OpenAIClient.Chat.Completions.ChatCompletion>;
  override completionWithRetry(request: StreamingRequest | JsonRequest, requestOptions?: OpenAIClient.RequestOptions): Promise<unknown> {
    return withModelErrors(super.completionWithRetry(request as JsonRequest, requestOptions), this.#errors);
  }

  override getNumTokens(content: MessageContent): Promise<number> {
    return approximateTokens(content);
  }
}

class SwitchboardAzureChatOpenAI extends AzureChatOpenAICompletions {
  readonly #errors: ErrorContext;

  constructor(fields: AzureChatOpenAIFields, endpoint: ModelEndpoint, toError: ModelErrorMapper) {
    super(fields);
    this.#errors = { endpoint, toError };
  }

  override completionWithRetry(request: StreamingRequest, requestOptions?: OpenAIClient.RequestOptions): Promise<Stream>;
  override completionWithRetry(
    request: JsonRequest,
    requestOptions?: OpenAIClient.RequestOptions,
  ): Promise<OpenAIClient.Chat.Completions.ChatCompletion>;
  override completionWithRetry(request: StreamingRequest | JsonRequest, requestOptions?: OpenAIClient.RequestOptions): Promise<unknown> {
    return withModelErrors(super.completionWithRetry(request as JsonRequest, requestOptions), this.#errors);
  }

  override getNumTokens(content: MessageContent): Promise<number> {
    return approximateTokens(content);
  }
}

interface ErrorContext {
  readonly endpoint: ModelEndpoint;
  readonly toError: ModelErrorMapper;
}

/**
 * LangChain's own estimate (a quarter of the characters) without its first step: fetching
 * tiktoken's ranks from tiktoken.pages.dev, which hangs or warns offline. Token usage that
 * matters comes from the server (`stream_options.include_usage`); this only serves LangChain's
 * fallbacks (a streamed `invoke()`, trimming helpers).
 */
async function approximateTokens(content: MessageContent): Promise<number> {
  const text =
    typeof content === 'string'
      ? content
      : content
          .map((block) => (typeof block === 'string' ? block : block.type === 'text' && 'text' in block ? String(block.text) : ''))
          .join('');
  return Math.ceil(text.length / 4);
}

/** Maps the final failure (after retries), and a failure in the middle of a stream, to a one-line error. */
async function withModelErrors(call: Promise<unknown>, { endpoint, toError }: ErrorContext): Promise<unknown> {
  try {
    const result = await call;
    return isStream(result) ? mapStreamErrors(result, endpoint, toError) : result;
  } catch (error) {
    throw toError(error, endpoint);
  }
}

async function* mapStreamErrors(stream: Stream, endpoint: ModelEndpoint, toError: ModelErrorMapper): Stream {
  try {
    yield* stream;
  } catch (error) {
    throw toError(error, endpoint);
  }
}

function isStream(value: unknown): value is Stream {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
