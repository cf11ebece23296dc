// The only module that imports the Tavily SDK.
import type { TavilyClient } from '@tavily/core';
import { setTimeout as delay } from 'node:timers/promises';
import { ToolError } from '../../../src/errors.ts';
import type { Article, BackendReadiness, CallOptions, SearchBackend, SearchHit, SearchQuery } from '../backend.ts';
import { classifyTavilyError, toTavilyError } from './errors.ts';

/** Tavily's public endpoint, used when no base url is given. */
export const DEFAULT_TAVILY_BASE_URL = 'https://api.tavily.com';
/** Per-request timeout; the SDK's own default is 60 s, too long for an agent's tool call. */
export const DEFAULT_TAVILY_TIMEOUT_MS = 20_000;
/** Wait before the single retry after a 429 (the SDK hides `Retry-After`). */
export const DEFAULT_RATE_LIMIT_RETRY_MS = 1_000;

export interface TavilyBackendOptions {
  readonly apiKey: string;
  /** `TAVILY_BASE_URL`; default {@link DEFAULT_TAVILY_BASE_URL}. */
  readonly baseUrl?: string | undefined;
  /** Default {@link DEFAULT_TAVILY_TIMEOUT_MS}. */
  readonly timeoutMs?: number | undefined;
  /** Default {@link DEFAULT_RATE_LIMIT_RETRY_MS}. */
  readonly rateLimitRetryMs?: number | undefined;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

const nonEmpty = (list: readonly string[]) => (list.length > 0 ? [...list] : undefined);

/** Web search through Tavily (`POST /search`, `POST /extract`). */
export function createTavilyBackend(options: TavilyBackendOptions): SearchBackend {
  const baseUrl = (options.baseUrl ?? DEFAULT_TAVILY_BASE_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TAVILY_TIMEOUT_MS;
  const retryMs = options.rateLimitRetryMs ?? DEFAULT_RATE_LIMIT_RETRY_MS;
  // The SDK (axios, a tokenizer) loads at the first call: an agent without a Tavily key never pays for it.
  let loaded: Promise<TavilyClient> | undefined;
  const client = () =>
    (loaded ??= import('@tavily/core').then(({ tavily }) =>
      tavily({ apiKey: options.apiKey, apiBaseURL: baseUrl, clientSource: 'switchboard' }),
    ));

  // A burst of parallel tool calls is the usual cause of a 429, so one short wait often
  // clears it; a second 429 means a sustained limit, which only the caller can fix.
  async function withRetry<T>(operation: 'search' | 'extract', call: () => Promise<T>, callOptions: CallOptions): Promise<T> {
    const context = { operation, baseUrl, timeoutMs };
    try {
      return await abortable(call(), callOptions.signal);
    } catch (error) {
      if (callOptions.signal?.aborted || classifyTavilyError(error) !== 'rate-limit') throw toTavilyError(error, context);
      await callOptions.onProgress?.(`Tavily rate limit hit; retrying once in ${retryMs} ms`);
    }
    await delay(retryMs, undefined, callOptions.signal ? { signal: callOptions.signal } : {});
    try {
      return await abortable(call(), callOptions.signal);
    } catch (error) {
      if (callOptions.signal?.aborted) throw error;
      throw toTavilyError(error, { ...context, retried: true });
    }
  }

  return {
    name: 'tavily',

    async search(query: SearchQuery, callOptions: CallOptions = {}): Promise<SearchHit[]> {
      const response = await withRetry(
        'search',
        async () =>
          (await client()).search(query.query, {
            searchDepth: 'basic',
            topic: query.topic,
            maxResults: query.maxResults,
            timeRange: query.timeRange,
            includeDomains: nonEmpty(query.includeDomains),
            excludeDomains: nonEmpty(query.excludeDomains),
            includeAnswer: false,
            includeRawContent: false,
            timeout: timeoutMs / 1000,
          }),
        callOptions,
      );
      return response.results.map((result) => ({
        title: result.title || result.url,
        url: result.url,
        content: result.content ?? '',
        score: Math.min(1, Math.max(0, Number(result.score) || 0)),
        publishedDate: isoDate(result.publishedDate),
      }));
    },

    async fetchArticle(url: string, callOptions: CallOptions = {}): Promise<Article> {
      const response = await withRetry(
        'extract',
        async () => (await client()).extract([url], { format: 'markdown', extractDepth: 'basic', timeout: timeoutMs / 1000 }),
        callOptions,
      );
      const page = response.results[0];
      if (page) return { url: page.url, title: page.title || page.url, content: page.rawContent ?? '' };
      const failure = response.failedResults[0]?.error ?? 'no content returned';
      throw new ToolError(`Tavily could not extract ${url}: ${failure}`, {
        hint: 'check the url is public and reachable, or use the snippet from web_search instead',
      });
    },

    async readiness(): Promise<BackendReadiness> {
      // Checking the key would spend a credit; a bad key surfaces on the first search.
      return { ready: true, backend: 'tavily', baseUrl };
    },

    async close() {},
  };
}
