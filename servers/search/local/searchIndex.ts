import MiniSearch from 'minisearch';
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

/** Builds the index; cost is linear in the corpus (60-130 ms for the ~160 shipped articles on one core). */
export function buildSearchIndex(documents: readonly LocalDocument[]): SearchIndex {
  const byUrl = new Map(documents.map((document) => [document.url, document]));
  const index = new MiniSearch<LocalDocument>({
    idField: 'url',
    fields: ['title', 'tags', 'text'],
    extractField: (document, field) => {
      const value = document[field as keyof LocalDocument];
      return Array.isArray(value) ? value.join(' ') : (value as string);
    },
    tokenize,
    processTerm: (term) => processTerm(term),
  });
  index.addAll([...byUrl.values()]);

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
