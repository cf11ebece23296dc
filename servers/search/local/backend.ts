import { EventEmitter, once } from 'node:events';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigError, ToolError } from '../../../src/errors.ts';
import type { Article, BackendReadiness, SearchBackend, SearchHit, SearchQuery } from '../backend.ts';
import { scanCorpus, type CorpusSnapshot } from './corpus.ts';
import type { LocalDocument } from './documents.ts';
import { domainFilter, newsWeight, normaliseDomain, withinTimeRange } from './filters.ts';
import { defaultKnowledgeBaseDir, loadKnowledgeBase } from './knowledgeBase.ts';
import { buildSearchIndex, type SearchIndex } from './searchIndex.ts';
import { makeSnippet } from './snippet.ts';
import { watchDirectory, type StopWatching } from './watch.ts';

export interface LocalBackendOptions {
  /** Folder of Markdown articles; default: the knowledge base shipped in `servers/search/kb`. */
  readonly knowledgeBaseDir?: string | undefined;
  /** Folder of extra Markdown, text and HTML files (`SEARCH_CORPUS_DIR`, relative to the working directory), indexed at start and watched. */
  readonly corpusDir?: string | undefined;
  /** Watch `corpusDir` for changes; default true. */
  readonly watch?: boolean | undefined;
  /** Quiet period after file events before a rescan; default 150 ms. */
  readonly debounceMs?: number | undefined;
  /** Rescan interval if file events are unavailable; default 5 s. */
  readonly pollMs?: number | undefined;
  /** Clock for `time_range` and news recency; default `new Date()`. */
  readonly now?: (() => Date) | undefined;
}

/** Emitted after the index was rebuilt because the corpus directory changed. */
export interface RefreshEvent {
  readonly documents: number;
  readonly corpusFiles: number;
  readonly indexMs: number;
}

/** The local full-text backend, plus hooks to follow corpus refreshes. */
export interface LocalBackend extends SearchBackend {
  readonly name: 'local';
  /** Rescans the corpus directory now; resolves true when the index changed. */
  refresh(): Promise<boolean>;
  /** Resolves at the next rebuild caused by a corpus change (call it before making the change). */
  nextRefresh(signal?: AbortSignal): Promise<RefreshEvent>;
}

async function assertDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ConfigError(`SEARCH_CORPUS_DIR ${dir} is not a readable directory`, {
      hint: 'point SEARCH_CORPUS_DIR at a folder of .md, .txt or .html files, or unset it',
    });
  }
}

/** Loads the knowledge base and the corpus directory, builds the index, and starts watching. */
export async function createLocalBackend(options: LocalBackendOptions = {}): Promise<LocalBackend> {
  const now = options.now ?? (() => new Date());
  // Absolute, so file urls stay stable whatever the working directory later becomes.
  const corpusDir = options.corpusDir ? resolve(options.corpusDir) : undefined;
  if (corpusDir) await assertDirectory(corpusDir);
  const [articles, initialScan] = await Promise.all([
    loadKnowledgeBase(options.knowledgeBaseDir ?? defaultKnowledgeBaseDir()),
    corpusDir ? scanCorpus(corpusDir) : Promise.resolve({ snapshot: new Map() as CorpusSnapshot, changed: false }),
  ]);

  const events = new EventEmitter<{ refresh: [RefreshEvent] }>();
  let snapshot = initialScan.snapshot;
  let index: SearchIndex;
  let indexMs = 0;
  let corpusError: string | undefined;
  const rebuild = () => {
    const started = performance.now();
    const corpusDocuments: LocalDocument[] = [...snapshot.values()].map((entry) => entry.document);
    index = buildSearchIndex([...articles, ...corpusDocuments]);
    indexMs = Math.round((performance.now() - started) * 10) / 10;
  };
  rebuild();

  let scanning: Promise<boolean> | undefined;
  let rescanRequested = false;
  const rescanOnce = async (): Promise<boolean> => {
    if (!corpusDir) return false;
    try {
      const scan = await scanCorpus(corpusDir, snapshot);
      corpusError = undefined;
      if (!scan.changed) return false;
      snapshot = scan.snapshot;
      rebuild();
      events.emit('refresh', { documents: index.size, corpusFiles: snapshot.size, indexMs });
      return true;
    } catch (error) {
      // Keep serving the last good index; readiness reports the problem.
      corpusError = error instanceof Error ? error.message : String(error);
      return false;
    }
  };
  // One scan at a time; changes arriving during a scan trigger exactly one more.
  const refresh = (): Promise<boolean> => {
    if (scanning) {
      rescanRequested = true;
      return scanning;
    }
    scanning = (async () => {
      let changed = false;
      do {
        rescanRequested = false;
        changed = (await rescanOnce()) || changed;
      } while (rescanRequested);
      return changed;
    })().finally(() => {
      scanning = undefined;
    });
    return scanning;
  };

  let stopWatching: StopWatching | undefined;
  if (corpusDir && options.watch !== false) {
    stopWatching = watchDirectory(corpusDir, () => void refresh(), { debounceMs: options.debounceMs, pollMs: options.pollMs });
  }

  return {
    name: 'local',
    refresh,
    async nextRefresh(signal) {
      const [event] = await once(events, 'refresh', signal ? { signal } : {});
      return event;
    },

    async search(query: SearchQuery): Promise<SearchHit[]> {
      const clock = now();
      const allowedUrl = domainFilter(
        query.includeDomains.map(normaliseDomain).filter(Boolean),
        query.excludeDomains.map(normaliseDomain).filter(Boolean),
      );
      const range = query.timeRange;
      const ranked = index.rank(query.query, {
        limit: query.maxResults,
        accept: (document) => allowedUrl(document.url) && (!range || withinTimeRange(document.updated, range, clock)),
        weigh: query.topic === 'news' ? (document) => newsWeight(document.updated, document.tags, clock) : undefined,
      });
      return ranked.map(({ document, score, terms }) => ({
        title: document.title,
        url: document.url,
        content: makeSnippet(document.text, terms),
        score,
        publishedDate: document.updated,
      }));
    },

    async fetchArticle(url: string): Promise<Article> {
      const wanted = url.trim();
      const document = index.get(wanted) ?? index.get(wanted.replace(/[#?].*$/, '').replace(/\/+$/, ''));
      if (!document) {
        throw new ToolError(`no article at ${wanted} in the local knowledge base`, {
          hint: 'pass a url exactly as a web_search result returned it',
        });
      }
      return { url: document.url, title: document.title, content: document.content, publishedDate: document.updated };
    },

    async readiness(): Promise<BackendReadiness> {
      return {
        ready: true,
        backend: 'local',
        documents: index.size,
        articles: articles.length,
        corpusFiles: snapshot.size,
        indexMs,
        ...(corpusDir ? { corpusDir } : {}),
        ...(corpusError ? { corpusError } : {}),
      };
    },

    async close() {
      stopWatching?.();
      stopWatching = undefined;
      await scanning;
    },
  };
}
