/** Which engine answers searches: Tavily's web search API or the local full-text index. */
export type BackendName = 'tavily' | 'local';

/** Time windows both backends understand, counted back from now. */
export const TIME_RANGES = ['day', 'week', 'month', 'year'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

export const TOPICS = ['general', 'news'] as const;
export type Topic = (typeof TOPICS)[number];

/** One search, already validated by the tool's input schema. */
export interface SearchQuery {
  readonly query: string;
  readonly maxResults: number;
  readonly topic: Topic;
  readonly timeRange?: TimeRange | undefined;
  readonly includeDomains: readonly string[];
  readonly excludeDomains: readonly string[];
}

/** One result; `score` is in 0..1, higher is more relevant. */
export interface SearchHit {
  readonly title: string;
  readonly url: string;
  /** A snippet of the page around what matched. */
  readonly content: string;
  readonly score: number;
  /** ISO 8601 date, when the backend knows one. */
  readonly publishedDate?: string | undefined;
}

/** The full text of one page or article. */
export interface Article {
  readonly url: string;
  readonly title: string;
  readonly content: string;
  readonly publishedDate?: string | undefined;
}

/** What a backend may use while working on one call. */
export interface CallOptions {
  /** Aborted when the caller gives up; backends stop waiting when it fires. */
  readonly signal?: AbortSignal | undefined;
  /** Reports a step of slow work (a retry, a long wait). */
  readonly onProgress?: ((message: string) => Promise<void> | void) | undefined;
}

/** Shown on `/readyz`. */
export interface BackendReadiness {
  readonly ready: boolean;
  readonly backend: BackendName;
  readonly [key: string]: unknown;
}

/**
 * A search engine behind `web_search` and `fetch_article`. Errors thrown are
 * `ToolError` (the caller can fix the call) or `UpstreamError` (the engine failed).
 */
export interface SearchBackend {
  readonly name: BackendName;
  search(query: SearchQuery, options?: CallOptions): Promise<SearchHit[]>;
  fetchArticle(url: string, options?: CallOptions): Promise<Article>;
  readiness(): Promise<BackendReadiness>;
  /** Stops watchers and timers; idempotent. */
  close(): Promise<void>;
}
