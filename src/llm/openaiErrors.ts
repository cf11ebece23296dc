import { SwitchboardError, UpstreamError } from '../errors.ts';
import type { ModelEndpoint, ModelErrorMapper } from './provider.ts';

/** The OpenAI API's own address; any other base URL is "a model server" of the user's. */
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** How a provider that speaks the OpenAI wire protocol names itself and what to check in its failures. */
export interface OpenAIErrorWording {
  /** `UpstreamError.service`. */
  readonly service: string;
  /** Who failed, for the start of a sentence: `OpenAI`, `the model server at <url>`. */
  readonly who: (url: string) => string;
  /** The variable that holds the key, for a 401 or 403. */
  readonly keyVariable: string;
  /** What a 404 is missing (`model`, `deployment`) and what to check. */
  readonly notFound: { readonly noun: string; readonly hint: string };
  /** What to check when the server cannot be reached. */
  readonly unreachableHint: string;
}

const MAX_DETAIL = 200;

/**
 * The error mapper of a provider built on the `openai` SDK (`@langchain/openai`): turns a failed
 * request into an `UpstreamError` with a one-line message and a hint (a rejected key, an unknown
 * model or deployment, rate limits, server faults, an unreachable endpoint, a timeout). Anything
 * else, aborts included, comes back unchanged.
 */
export function openAIErrors(wording: OpenAIErrorWording): ModelErrorMapper {
  return (error, endpoint) => classify(error, endpoint, wording);
}

function classify(error: unknown, endpoint: ModelEndpoint, wording: OpenAIErrorWording): unknown {
  if (!(error instanceof Error) || error instanceof SwitchboardError || error.name === 'AbortError') return error;
  const who = wording.who(endpoint.url);
  const fail = (message: string, hint?: string, status?: number) =>
    new UpstreamError(wording.service, message, { cause: error, ...(hint ? { hint } : {}), ...(status === undefined ? {} : { status }) });

  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') {
    const detail = serverMessage(error);
    if (status === 401) return fail(`${who} rejected the API key with 401`, `check ${wording.keyVariable}`, status);
    if (status === 403)
      return fail(`${who} refused the request with 403: ${detail}`, `check that ${wording.keyVariable} may use ${endpoint.model}`, status);
    if (status === 404) {
      const { noun, hint } = wording.notFound;
      return fail(`${who} has no ${noun} "${endpoint.model}" (404: ${detail})`, hint, status);
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
    return fail(`cannot reach ${endpoint.url}${code ? ` (${code})` : ''}: is the server running?`, wording.unreachableHint);
  }
  return error;
}

/** The error body's own message (`{ error: { message } }`), else the SDK's, on one short line. */
function serverMessage(error: Error): string {
  const body = (error as { error?: unknown }).error;
  const fromBody = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  const text = typeof fromBody === 'string' && fromBody ? fromBody : error.message.replace(/^\d{3}\s+/, '');
  return oneLine(text, MAX_DETAIL);
}

/** The first non-empty line (LangChain appends a troubleshooting URL after a blank line), optionally cut to `max`. */
export function oneLine(text: string, max = Number.POSITIVE_INFINITY): string {
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
