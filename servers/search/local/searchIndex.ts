import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch, { type Options } from 'minisearch';
import { analyze, processTerm, tokenize } from './analyzer.ts';
import type { LocalDocument } from './documents.ts';

/** Field boosts: a word in the title says more than one in the tags, which says more than one in the body. */
export const FIELD_BOOSTS: Readonly<Record<'title' | 'tags' | 'text', number>> = { title: 3, tags: 2, text: 1 };

/** One ranked document; `score` is normalised to 0..1. */
export interface RankedDocument {
  readonly document: LocalDocument;
  readonly score: number;
  /** Index terms that matched, for building snippets. */
  readonly terms: ReadonlySet<string>;
}

export interface RankOptions {
  readonly limit: number;
  /** Documents failing this are skipped. */
  readonly accept?: ((document: LocalDocument) => boolean) | undefined;
  /** A factor per document (recency for news). */
  readonly weigh?: ((document: LocalDocument) => number) | undefined;
}

/** An immutable full-text index over a fixed set of documents. */
export interface SearchIndex {
  readonly size: number;
  get(url: string): LocalDocument | undefined;
  rank(query: string, options: RankOptions): RankedDocument[];
}

// Typos get an edit distance of 1 from 5 letters and 2 from 9; short terms must match exactly
// or as a prefix, or "vpn" would also find "vpc" and "dns" "dn".
function fuzziness(term: string): number {
  if (term.length < 5) return 0;
  return term.length < 9 ? 1 : 2;
}

let cacheDir: string | undefined;

/**
 * Builds every index of this process from a cache in `dir` when one was built before for the
 * same documents, and keeps a new one there otherwise: a process that starts often (the agents
 * `orchestrate` starts) skips tokenising and stemming the whole corpus (~100-200 ms) each time.
 * The cache is keyed on every document's indexed fields and on this code (its files' sizes and
 * times), so an edited, added or removed document, or a changed analyzer, builds afresh.
 */
export function keepIndexesIn(dir: string): void {
  cacheDir = dir;
}

const CACHE_VERSION = 1;
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const cacheFile = (dir: string) => join(dir, `search-index-${createHash('sha256').update(here('.')).digest('hex').slice(0, 12)}.json`);

/** What the index of `documents` depends on: their indexed fields, in order, and the code that tokenises them. */
function cacheKey(documents: readonly LocalDocument[]): string {
  const hash = createHash('sha256').update(String(CACHE_VERSION));
  for (const file of ['./searchIndex.ts', './analyzer.ts', './stemmer.ts', '../../../node_modules/minisearch/package.json']) {
    try {
      const stat = statSync(here(file));
      hash.update(`\0${file}:${stat.size}:${stat.mtimeMs}`);
    } catch {
      hash.update(`\0${file}:-`);
    }
  }
  for (const document of documents) hash.update(`\0${document.url}\0${document.title}\0${document.tags.join(' ')}\0${document.text}`);
  return hash.digest('hex');
}

/** The index from the cache, if it holds one for `key`; else `undefined`, and one is written for `key` at exit. */
function cachedIndex(key: string, options: Options<LocalDocument>, build: () => MiniSearch<LocalDocument>): MiniSearch<LocalDocument> {
  if (!cacheDir) return build();
  const file = cacheFile(cacheDir);
  try {
    const text = readFileSync(file, 'utf8');
    // The key first, so a stale file is known without parsing the index.
    const newline = text.indexOf('\n');
    if (newline > 0 && text.slice(0, newline) === key) return MiniSearch.loadJSON(text.slice(newline + 1), options);
  } catch {
    // none yet, or unreadable: built and written anew
  }
  const index = build();
  const dir = cacheDir;
  process.once('exit', () => {
    try {
      mkdirSync(dir, { recursive: true });
      // Written aside and renamed: a process reading it meanwhile sees the old file or the new one, whole.
      const temp = `${file}.${process.pid}`;
      writeFileSync(temp, `${key}\n${JSON.stringify(index)}`);
      renameSync(temp, file);
    } catch {
      // a read-only cache folder: the next process builds its index again
    }
  });
  return index;
}

/** Builds the index; cost is linear in the corpus (60-130 ms for the ~160 shipped articles on one core). */
export function buildSearchIndex(documents: readonly LocalDocument[]): SearchIndex {
  const byUrl = new Map(documents.map((document) => [document.url, document]));
  const options: Options<LocalDocument> = {
    idField: 'url',
    fields: ['title', 'tags', 'text'],
    extractField: (document, field) => {
      const value = document[field as keyof LocalDocument];
      return Array.isArray(value) ? value.join(' ') : (value as string);
    },
    tokenize,
    processTerm: (term) => processTerm(term),
  };
  const unique = [...byUrl.values()];
  const index = cachedIndex(cacheDir ? cacheKey(unique) : '', options, () => {
    const built = new MiniSearch<LocalDocument>(options);
    built.addAll(unique);
    return built;
  });

  return {
    size: byUrl.size,
    get: (url) => byUrl.get(url),
    rank(query, options) {
      const queryTerms = [...new Set(analyze(query))];
      if (queryTerms.length === 0) return [];
      const results = index.search(queryTerms.join(' '), {
        tokenize: (text) => text.split(' '),
        processTerm: (term) => term,
        boost: FIELD_BOOSTS,
        prefix: (term) => term.length >= 3,
        fuzzy: (term) => fuzziness(term),
        weights: { fuzzy: 0.5, prefix: 0.4 },
        combineWith: 'OR',
        filter: options.accept ? (result) => options.accept?.(byUrl.get(result.id as string) as LocalDocument) ?? true : undefined,
      });
      const scored = results.map((result) => {
        const document = byUrl.get(result.id as string) as LocalDocument;
        // Coverage: the share of the query's words this document matched (fuzzy or not).
        const coverage = result.queryTerms.length / queryTerms.length;
        const raw = result.score * coverage * (options.weigh?.(document) ?? 1);
        return { document, raw, coverage, terms: new Set(result.terms) };
      });
      scored.sort((a, b) => b.raw - a.raw);
      // Scores are relative to the best match, scaled by how much of the query that match covers,
      // so a lone partial match does not claim 1.0.
      const best = scored[0];
      const scale = best && best.raw > 0 ? best.coverage / best.raw : 0;
      return scored.slice(0, options.limit).map(({ document, raw, terms }) => ({
        document,
        score: round3(raw * scale),
        terms,
      }));
    },
  };
}

function round3(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}
