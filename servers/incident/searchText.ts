import { createRequire } from 'node:module';
import { FILLER_WORDS, SPACED_COMPOUNDS, STOP_WORDS } from './wordLists.ts';

// Both stores index the tokens made here (SQLite's FTS5 and PostgreSQL's tsvector take them as
// they are), so the two match and rank alike by construction, whatever their own tokenizers do.
// The stemmer is the Porter2 (Snowball English) one that wink's English model ships; it has no
// typings, so it is loaded through require with the one signature it has.
const require = createRequire(import.meta.url);
const porter2 = require('wink-eng-lite-web-model/dist/porter-stemmer.js') as (word: string) => string;

/** The searchable fields, in the order of their weight. */
export const SEARCH_FIELDS = ['short_description', 'description', 'notes'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/**
 * Tokens indexed per field, at most. Together they stay under PostgreSQL's last tsvector
 * position (16,383); work notes past the limit are not searchable.
 */
export const FIELD_TOKEN_LIMITS: Readonly<Record<SearchField, number>> = { short_description: 1000, description: 4000, notes: 10_000 };

/** Longer words (base64 blobs, long hashes) are not indexed. */
const MAX_WORD_CHARS = 100;
/** A query uses its first 32 terms and 32 exclusions. */
export const MAX_QUERY_TERMS = 32;

// Letters and digits, with hyphens, underscores or apostrophes inside: "wi-fi", "user_id", "don't".
const WORD = /[\p{L}\p{N}]+(?:[-\u2010\u2011_'\u2019][\p{L}\p{N}]+)*/gu;
const JOINER = /[-\u2010\u2011_'\u2019]/u;
const LETTERS = /^\p{L}+$/u;
const BLANKS = /^[ \t]+$/;

/** One word of normalised text. */
interface Word {
  /** Lower case, without accents, compound parts joined: "Wi-Fi" -> "wifi". */
  readonly plain: string;
  /** `plain` stemmed: what is indexed and matched. */
  readonly token: string;
  /** The stemmed parts of a compound ("wi", "fi"); empty for a simple word. */
  readonly parts: readonly string[];
  /** Only blanks stand between it and the next word, so the two may be one spaced compound. */
  joinsNext: boolean;
}

/** A run of tokens to find in a row: one token, or a phrase. */
export type Form = readonly string[];

/** One thing a query looks for: it is found when any of its forms is. */
export interface SearchTerm {
  readonly forms: readonly Form[];
  /** A "quoted phrase": only incidents that contain it match. Other terms are optional. */
  readonly required: boolean;
  /** How much it counts beside the others: 1, or {@link PART_WEIGHT} for a word of a spaced compound alone. */
  readonly weight: number;
}

/** What a query asks the stores for. */
export interface SearchPlan {
  /** Scored terms; empty when the query only excludes. */
  readonly terms: readonly SearchTerm[];
  /** Incidents containing any of these are left out. */
  readonly excluded: readonly Form[];
}

function stem(word: string): string {
  return /^[a-z]+$/.test(word) ? porter2(word) : word;
}

function words(text: string): Word[] {
  const normal = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/gu, '')
    .toLowerCase();
  const found: Word[] = [];
  let end = 0;
  let skipped = false;
  for (const match of normal.matchAll(WORD)) {
    const gap = normal.slice(end, match.index);
    end = match.index + match[0].length;
    const pieces = match[0].split(JOINER);
    const plain = pieces.join('');
    if (plain.length > MAX_WORD_CHARS) {
      skipped = true;
      continue;
    }
    const previous = found[found.length - 1];
    if (previous !== undefined) previous.joinsNext = !skipped && BLANKS.test(gap);
    skipped = false;
    found.push({ plain, token: stem(plain), parts: pieces.length > 1 ? pieces.map(stem) : [], joinsNext: false });
  }
  return found;
}

/**
 * Whether two words side by side are also written as one: a known compound ("log in", "set up",
 * "web site") or a short first part ("wi fi", "e mail", "x ray"). Both sides of the index apply it.
 */
function spacedCompound(first: Word, second: Word): boolean {
  if (first.parts.length > 0 || second.parts.length > 0 || !LETTERS.test(first.plain) || !LETTERS.test(second.plain)) return false;
  if (SPACED_COMPOUNDS.has(first.plain + second.plain)) return true;
  return first.plain.length <= 2 && !STOP_WORDS.has(first.plain) && !STOP_WORDS.has(second.plain);
}

/**
 * The tokens one field is indexed as: its words in order (compounds joined: "Wi-Fi" -> "wifi"),
 * then the parts of its compounds and the joined form of its spaced compounds ("wi fi" -> "wifi"),
 * so that "wifi", "wi-fi" and "wi fi" find each other; at most `limit` tokens.
 */
export function indexTokens(text: string | null | undefined, limit: number): string[] {
  if (text === null || text === undefined) return [];
  const list = words(text);
  const extra: string[] = [];
  list.forEach((word, index) => {
    extra.push(...word.parts);
    const next = list[index + 1];
    if (next !== undefined && word.joinsNext && spacedCompound(word, next)) extra.push(stem(word.plain + next.plain));
  });
  return [...list.map((word) => word.token), ...extra].slice(0, limit);
}

interface Candidate extends SearchTerm {
  /** A lone function or filler word, dropped when the query has anything else to look for. */
  readonly filler: boolean;
}

/**
 * The words of a spaced compound also count alone, at half weight: "ip address" is a compound by
 * the rule, yet "ip" alone should find "IP conflict"; "email quota" still ranks above "mail server"
 * for "e mail".
 */
export const PART_WEIGHT = 0.5;

const single = (word: Word, weight = 1): Candidate => ({
  forms: [[word.token]],
  required: false,
  weight,
  // A lone letter says nothing ("e" of "e mail"); a lone digit may ("floor 3").
  filler: STOP_WORDS.has(word.plain) || FILLER_WORDS.has(word.plain) || /^\p{L}$/u.test(word.plain),
});

/** Loose words of a query as terms: a spaced compound is one more term ("wi fi": wifi or "wi fi"). */
function looseTerms(run: readonly Word[]): Candidate[] {
  const terms: Candidate[] = [];
  for (let index = 0; index < run.length; index += 1) {
    const word = run[index]!;
    const next = run[index + 1];
    if (next !== undefined && spacedCompound(word, next)) {
      const forms = [[stem(word.plain + next.plain)], [word.token, next.token]];
      terms.push({ forms, required: false, weight: 1, filler: false }, single(word, PART_WEIGHT), single(next, PART_WEIGHT));
      index += 1;
    } else {
      terms.push(single(word));
    }
  }
  return terms;
}

/**
 * Reads web-search syntax: loose words (any may match, none is required), "quoted phrases" (must
 * match, in that order), -word and -"phrase" (leave out incidents containing them); OR is
 * accepted and changes nothing. Function and filler words ("related", "incidents", "any") are
 * dropped unless the query has nothing else. Undefined when there is nothing to search for.
 */
export function planSearch(text: string): SearchPlan | undefined {
  const candidates: Candidate[] = [];
  const excluded: Form[] = [];
  let run: Word[] = [];
  const flush = () => {
    candidates.push(...looseTerms(run));
    run = [];
  };
  for (const match of text.matchAll(/(-?)"([^"]*)"?|(\S+)/gu)) {
    const [, minus, phrase, bare] = match;
    if (bare === 'OR') {
      flush();
      continue;
    }
    const found = words(phrase ?? bare ?? '');
    if (found.length === 0) continue;
    if (phrase === undefined && found.length === 1 && !bare?.startsWith('-')) {
      run.push(found[0]!);
      continue;
    }
    flush();
    const tokens = found.map((word) => word.token);
    if (minus === '-' || bare?.startsWith('-')) excluded.push(tokens);
    // A phrase must match; the pieces of one loose word ("10.0.0.1", "node.js") go together.
    else candidates.push({ forms: [tokens], required: phrase !== undefined, weight: 1, filler: false });
  }
  flush();
  const meaningful = candidates.filter((term) => !term.filler);
  const terms = dedupe(meaningful.length > 0 ? meaningful : candidates).slice(0, MAX_QUERY_TERMS);
  const exclusions = dedupeForms(excluded).slice(0, MAX_QUERY_TERMS);
  return terms.length === 0 && exclusions.length === 0 ? undefined : { terms, excluded: exclusions };
}

function dedupe(terms: readonly Candidate[]): SearchTerm[] {
  const byKey = new Map<string, SearchTerm>();
  for (const { forms, required, weight } of terms) {
    const key = JSON.stringify(forms);
    const seen = byKey.get(key);
    byKey.set(key, { forms, required: required || (seen?.required ?? false), weight: Math.max(weight, seen?.weight ?? 0) });
  }
  return [...byKey.values()];
}

function dedupeForms(forms: readonly Form[]): Form[] {
  return [...new Map(forms.map((form) => [JSON.stringify(form), form])).values()];
}
