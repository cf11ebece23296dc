import { processTerm, tokenize } from './analyzer.ts';

/** Default snippet length in characters, ellipses excluded. */
export const DEFAULT_SNIPPET_CHARS = 240;

interface Hit {
  readonly start: number;
  readonly end: number;
  readonly term: string;
}

const MAX_MEMO_ENTRIES = 50_000;
const memo = new Map<string, readonly string[]>();

// The same analysis as indexing, so "Wi-Fi" matches the term "wifi"; memoised because
// every search re-reads the words of every hit.
function termsOf(word: string): readonly string[] {
  let terms = memo.get(word);
  if (!terms) {
    terms = tokenize(word).flatMap((token) => processTerm(token) ?? []);
    if (memo.size >= MAX_MEMO_ENTRIES) memo.clear();
    memo.set(word, terms);
  }
  return terms;
}

function findHits(text: string, terms: ReadonlySet<string>): Hit[] {
  const hits: Hit[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu)) {
    const term = termsOf(match[0]).find((candidate) => terms.has(candidate));
    if (term) hits.push({ start: match.index, end: match.index + match[0].length, term });
  }
  return hits;
}

/** The run of hits fitting in `width` characters with the most distinct terms, then the most hits. */
function densestRun(hits: readonly Hit[], width: number): { start: number; end: number } | undefined {
  let best: { start: number; end: number; rank: number } | undefined;
  let last = 0;
  for (let first = 0; first < hits.length; first++) {
    const head = hits[first] as Hit;
    last = Math.max(last, first);
    while (last + 1 < hits.length && (hits[last + 1] as Hit).end - head.start <= width) last++;
    const run = hits.slice(first, last + 1);
    const rank = new Set(run.map((hit) => hit.term)).size * 1000 + run.length;
    if (!best || rank > best.rank) best = { start: head.start, end: (hits[last] as Hit).end, rank };
  }
  return best;
}

/**
 * A window of about `width` characters of `text`, centred on the densest cluster of
 * words whose index terms are in `terms`, cut at word boundaries, with ellipses where
 * text was cut. Falls back to the opening of the text when nothing matches.
 */
export function makeSnippet(text: string, terms: ReadonlySet<string>, width = DEFAULT_SNIPPET_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= width) return flat;
  const run = densestRun(findHits(flat, terms), width);
  let start = 0;
  if (run) {
    const centre = (run.start + run.end) / 2;
    start = Math.round(Math.min(Math.max(0, centre - width / 2), flat.length - width));
  }
  let end = Math.min(flat.length, start + width);
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    if (space !== -1 && space < (run?.start ?? end)) start = space + 1;
  }
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end);
    if (space > Math.max(start, run?.end ?? start)) end = space;
  }
  const body = flat.slice(start, end).replace(/[\s,;:]+$/, '');
  return `${start > 0 ? '…' : ''}${body}${end < flat.length ? '…' : ''}`;
}
