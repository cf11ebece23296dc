import { isInterjection } from './lexicon/index.ts';
import { BoundedMap, WORD_MEMO_SIZE } from './memo.ts';
import { ACTION_TERMS, FILLER_VERBS, FILLER_WORDS, PHRASES, STOPWORDS, SYNONYM_GROUPS } from './vocabulary.ts';

/** A word of a text with its offsets, lower-case form, stem and canonical term. */
export interface Token {
  readonly text: string;
  readonly lower: string;
  readonly stem: string;
  /** The stem mapped through the synonym groups. */
  readonly term: string;
  readonly start: number;
  readonly end: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const VOWEL = /[aeiouy]/;
const UNCHANGED = new Set(['news', 'series', 'species', 'always', 'perhaps', 'lens', 'yes', 'this', 'thus', 'does']);

// Memos keyed by what people type, so bounded. A decision reads the same words and part texts at
// each step of a turn (choice, each argument filler), and the stemmer's regexes were most of its time.
const stems = new BoundedMap<string, string>(WORD_MEMO_SIZE);
const stopwords = new BoundedMap<string, boolean>(WORD_MEMO_SIZE);
/** Texts, not words: enough for the parts of a few turns; a cached list is copied out, its tokens are immutable. */
const TEXT_MEMO_SIZE = 512;
const tokenLists = new BoundedMap<string, readonly Token[]>(TEXT_MEMO_SIZE);
const normalizedLists = new BoundedMap<string, readonly Token[]>(TEXT_MEMO_SIZE);

/** A light English stemmer: plurals, -ing, -ed, -ly, final e, and -ise/-ize/-yse/-yze alike. */
export function stem(word: string): string {
  return stems.remember(word, stemOf);
}

function stemOf(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, '');
  if (w.length <= 3 || /\d/.test(w) || UNCHANGED.has(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(?:ches|shes|xes|zes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  w = w
    .replace(/(?:is|iz|ys|yz)(?:e|ed|es|ing|ation|ations|er|ers)$/, 'iz')
    .replace(/([ai])bilit(?:y|ie)$/, '$1bl')
    .replace(/([ai])ble$/, '$1bl');
  const strip = (suffix: string, minimum: number): boolean => {
    if (!w.endsWith(suffix) || w.length - suffix.length < minimum) return false;
    const rest = w.slice(0, -suffix.length);
    if (!VOWEL.test(rest)) return false;
    w = /([bdfgkmnprt])\1$/.test(rest) ? rest.slice(0, -1) : rest;
    return true;
  };
  if (!strip('ing', 3) && !strip('ed', 3)) strip('ly', 4);
  if (w.length >= 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

const SYNONYMS: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const [canonicalWord, ...members] of SYNONYM_GROUPS) {
    if (canonicalWord === undefined) continue;
    const target = stem(canonicalWord);
    for (const member of [canonicalWord, ...members]) map.set(stem(member), target);
  }
  return map;
})();

/** The canonical term of a word: its stem through the synonym groups. */
export function canonical(word: string): string {
  const stemmed = stem(word);
  return SYNONYMS.get(stemmed) ?? stemmed;
}

/** Canonical terms of the action words (vocabulary words are written plain; terms are stemmed). */
export const ACTIONS: ReadonlySet<string> = new Set([...ACTION_TERMS].map(canonical));

/** Canonical terms of create, update, get, search and delete: verbs that exclude each other. */
export const CRUD: ReadonlySet<string> = new Set(['create', 'update', 'get', 'search', 'delete'].map(canonical));

/** Words of a text with offsets (digits and letters; apostrophes inside words kept). */
export function tokenize(text: string): Token[] {
  return tokenLists.remember(text, tokenized).slice();
}

function tokenized(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
    const lower = raw.toLowerCase().replace(/’/g, "'");
    const stemmed = stem(lower);
    tokens.push({
      text: raw,
      lower,
      stem: stemmed,
      term: SYNONYMS.get(stemmed) ?? stemmed,
      start: match.index,
      end: match.index + raw.length,
    });
  }
  return tokens;
}

/** Whether a lower-case word carries no content for matching. */
export function isStopword(lower: string): boolean {
  return stopwords.remember(lower, isStopwordOf);
}

function isStopwordOf(lower: string): boolean {
  const bare = lower.replace(/'s$/, '');
  return STOPWORDS.has(lower) || STOPWORDS.has(bare) || FILLER_WORDS.has(bare) || isInterjection(bare);
}

/** Lower-case text with multi-word phrases joined ("look up" -> "lookup"). */
export function phrased(text: string): string {
  let lower = text.toLowerCase();
  for (const [pattern, replacement] of PHRASES) lower = lower.replace(pattern, replacement);
  return lower;
}

function normalized(text: string): readonly Token[] {
  return normalizedLists.remember(text, () => tokenize(phrased(text)).filter((token) => !isStopword(token.lower)));
}

/** Content terms of a text for matching: phrases joined, stop words dropped, canonical terms. */
export function terms(text: string): string[] {
  return normalized(text).map((token) => token.term);
}

/**
 * Terms of a request for matching: like {@link terms}, but only the first action word maps to its
 * synonym group; later ones keep their stem ("find ... setting up MFA on a new phone" is no update or create).
 */
export function requestTerms(text: string): string[] {
  let verbSeen = false;
  return normalized(text).map((token) => {
    if (!ACTIONS.has(token.term) || FILLER_VERBS.has(token.lower)) return token.term;
    if (verbSeen) return token.stem;
    verbSeen = true;
    return token.term;
  });
}

/** Words of an identifier: snake_case, kebab-case, camelCase, dotted; `a__b` gives prefix `a`. */
export function splitName(name: string): { readonly prefix: readonly string[]; readonly base: string; readonly words: readonly string[] } {
  const segments = name.split('__').filter(Boolean);
  const base = segments.pop() ?? name;
  const words = (value: string) =>
    value
      .replace(/([a-z\d])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .split(/[^A-Za-z\d]+/)
      .filter(Boolean)
      .map((word) => word.toLowerCase());
  return { prefix: segments.flatMap(words), base, words: words(base) };
}

/** A tool or property name as words a person reads: `create_incident` -> "create incident". */
export function humanize(name: string): string {
  return splitName(name).words.join(' ');
}
