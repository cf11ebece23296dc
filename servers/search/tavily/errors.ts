import { ToolError, UpstreamError, type SwitchboardError } from '../../../src/errors.ts';

/**
 * What went wrong with a Tavily call. `@tavily/core` 0.7 throws plain `Error`s whose
 * message is Tavily's `detail.error` text (or `"<status> Error: <body>"` when there is
 * none): the status code, the `Retry-After` header and the original error are dropped.
 * So failures are classified by the messages Tavily documents.
 */
export type TavilyFailure = 'auth' | 'rate-limit' | 'quota' | 'timeout' | 'unreachable' | 'server' | 'request';

const PATTERNS: ReadonlyArray<readonly [TavilyFailure, RegExp]> = [
  ['timeout', /^Request timed out after/i],
  ['unreachable', /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|socket hang up|Network Error/i],
  ['auth', /^401\b|unauthori[sz]ed|invalid api key|missing or invalid/i],
  ['rate-limit', /^429\b|excessive requests|rate limit|too many requests/i],
  ['quota', /^43[23]\b|usage limit|pay-as-you-go limit|exceeds your plan/i],
  ['server', /^5\d\d\b|internal server error|bad gateway|service unavailable|gateway timeout/i],
];

/** Tavily's own words: `detail.error`, or the SDK's wrapper text without its prefix. */
function messageOf(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  return raw.replace(/^An unexpected error occurred while making the request\. Error: /, '').trim();
}

/** Classifies an error thrown by `@tavily/core`. */
export function classifyTavilyError(error: unknown): TavilyFailure {
  const message = messageOf(error);
  return PATTERNS.find(([, pattern]) => pattern.test(message))?.[0] ?? 'request';
}

export interface TavilyErrorContext {
  readonly operation: 'search' | 'extract';
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** True when the call was already retried once after a rate limit. */
  readonly retried?: boolean;
}

/** Turns an error thrown by `@tavily/core` into an actionable `UpstreamError` or `ToolError`, keeping the cause. */
export function toTavilyError(error: unknown, context: TavilyErrorContext): SwitchboardError {
  const message = messageOf(error);
  const status = /^(\d{3})\b/.exec(message)?.[1];
  const cause = error;
  switch (classifyTavilyError(error)) {
    case 'auth':
      return new UpstreamError('tavily', 'Tavily rejected the API key (401 Unauthorized)', {
        cause,
        status: 401,
        hint: 'set TAVILY_API_KEY to a valid key from app.tavily.com, or unset it to search the local knowledge base',
      });
    case 'rate-limit':
      return new UpstreamError('tavily', `Tavily rate limit exceeded (429)${context.retried ? ', also on the one retry' : ''}`, {
        cause,
        status: 429,
        hint: 'wait a minute before searching again and avoid many searches at once (development keys allow 100 requests per minute)',
      });
    case 'quota':
      return new UpstreamError('tavily', `Tavily usage limit reached: ${message}`, {
        cause,
        status: status ? Number(status) : 432,
        hint: 'raise the plan or pay-as-you-go limit on the Tavily dashboard, or unset TAVILY_API_KEY to search the local knowledge base',
      });
    case 'timeout':
      return new UpstreamError('tavily', `Tavily did not answer the ${context.operation} within ${context.timeoutMs / 1000} s`, {
        cause,
        hint: 'try again in a moment, with a shorter query or fewer results',
      });
    case 'unreachable':
      return new UpstreamError('tavily', `cannot reach Tavily at ${context.baseUrl}: ${message}`, {
        cause,
        hint: 'check TAVILY_BASE_URL, the network and any proxy (TAVILY_HTTPS_PROXY)',
      });
    case 'server':
      return new UpstreamError('tavily', `Tavily failed to ${context.operation}: ${message}`, {
        cause,
        ...(status ? { status: Number(status) } : {}),
        hint: "this is on Tavily's side; try again in a few minutes",
      });
    case 'request':
      return new ToolError(`Tavily refused the ${context.operation}: ${message}`, {
        cause,
        hint: 'fix the argument the message names (query length, domains, time_range) and call again',
      });
  }
}
