import { describeError, SwitchboardError, UpstreamError } from '../errors.ts';

/** The OpenAI API's own address; any other base URL is "a model server" of the user's. */
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Where a model's requests go, so its failures can name what to check. */
export interface ModelEndpoint {
  provider: 'openai' | 'azure';
  /** The model name, or the Azure deployment. */
  model: string;
  /** The OpenAI base URL or the Azure endpoint. */
  url: string;
  timeoutMs: number;
}

const MAX_DETAIL = 200;

/**
 * Turns a failure of a model request (as `@langchain/openai` and the `openai` SDK throw it) into
 * an `UpstreamError` with a one-line message and a hint: a rejected key, an unknown model or
 * deployment, rate limits, server faults, an unreachable endpoint, a timeout. Anything else,
 * aborts included, comes back unchanged.
 */
export function toModelError(error: unknown, endpoint: ModelEndpoint): unknown {
  if (!(error instanceof Error) || error instanceof SwitchboardError || error.name === 'AbortError') return error;
  const service = endpoint.provider === 'azure' ? 'azure-openai' : 'openai';
  const who =
    endpoint.provider === 'azure'
      ? `Azure OpenAI at ${endpoint.url}`
      : endpoint.url === DEFAULT_OPENAI_BASE_URL
        ? 'OpenAI'
        : `the model server at ${endpoint.url}`;
  const fail = (message: string, hint?: string, status?: number) =>
    new UpstreamError(service, message, { cause: error, ...(hint ? { hint } : {}), ...(status === undefined ? {} : { status }) });

  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') {
    const detail = serverMessage(error);
    const keyVar = endpoint.provider === 'azure' ? 'AZURE_OPENAI_API_KEY' : 'OPENAI_API_KEY';
    if (status === 401) return fail(`${who} rejected the API key with 401`, `check ${keyVar}`, status);
    if (status === 403)
      return fail(`${who} refused the request with 403: ${detail}`, `check that ${keyVar} may use ${endpoint.model}`, status);
    if (status === 404) {
      return endpoint.provider === 'azure'
        ? fail(
            `${who} has no deployment "${endpoint.model}" (404: ${detail})`,
            'check the deployment name and AZURE_OPENAI_API_VERSION',
            status,
          )
        : fail(`${who} has no model "${endpoint.model}" (404: ${detail})`, 'check the model in --model or SWITCHBOARD_MODEL', status);
    }
    if (status === 429) {
      const quota = error.name === 'RateLimitQuotaExhaustedError' || /insufficient_quota/.test(String((error as { code?: unknown }).code));
      return fail(
        `${who} rate-limited the request with 429: ${detail}`,
        quota ? 'the quota is used up: check the account billing' : 'wait a little and retry',
        status,
      );
    }
    if (status >= 500) return fail(`${who} failed with ${status}: ${detail}`, 'a fault on the server side: retry later', status);
    return fail(`${who} rejected the request with ${status}: ${detail}`, undefined, status);
  }
  if (error.name === 'TimeoutError' || error.constructor.name === 'APIConnectionTimeoutError') {
    return fail(
      `no answer from ${endpoint.url} within ${formatSeconds(endpoint.timeoutMs)}`,
      'the model server is slow or stuck: retry later',
    );
  }
  if (error.constructor.name === 'APIConnectionError' || error.message === 'Connection error.') {
    const code = causeCode(error);
    const hint = endpoint.provider === 'azure' ? 'check AZURE_OPENAI_ENDPOINT' : 'set OPENAI_BASE_URL';
    return fail(`cannot reach ${endpoint.url}${code ? ` (${code})` : ''}: is the server running?`, hint);
  }
  return error;
}

/**
 * One line for a person about a failed model call, never a stack trace. Errors thrown by
 * `createChatModel`'s models are already `UpstreamError`s; pass `endpoint` to describe a raw
 * `@langchain/openai` error.
 */
export function describeModelError(error: unknown, endpoint?: ModelEndpoint): string {
  const mapped = endpoint ? toModelError(error, endpoint) : error;
  return oneLine(describeError(mapped));
}

/** The error body's own message (`{ error: { message } }`), else the SDK's, on one short line. */
function serverMessage(error: Error): string {
  const body = (error as { error?: unknown }).error;
  const fromBody = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  const text = typeof fromBody === 'string' && fromBody ? fromBody : error.message.replace(/^\d{3}\s+/, '');
  return oneLine(text, MAX_DETAIL);
}

/** The first non-empty line (LangChain appends a troubleshooting URL after a blank line), optionally cut to `max`. */
function oneLine(text: string, max = Number.POSITIVE_INFINITY): string {
  const line = (text.split('\n').find((part) => part.trim()) ?? text).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** ECONNREFUSED, ENOTFOUND, ...: the first system error code down the cause chain. */
function causeCode(error: Error): string | undefined {
  let current: unknown = error.cause;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    const nested = current instanceof AggregateError ? current.errors[0] : undefined;
    current = nested ?? current.cause;
  }
  return undefined;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
