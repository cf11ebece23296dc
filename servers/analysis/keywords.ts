import type { PartOfSpeech } from 'wink-nlp';
import type { ParsedText } from './engine.ts';
import { round } from './math.ts';

/** A key phrase: its first occurrence's text and span, how often it occurs, and a 0..1 score. */
export interface KeyPhrase {
  readonly phrase: string;
  readonly score: number;
  readonly count: number;
  readonly start: number;
  readonly end: number;
}

// Candidate phrases are runs of these; anything else (stop words, verbs, punctuation) ends one.
const PHRASE_POS: ReadonlySet<PartOfSpeech> = new Set(['NOUN', 'PROPN', 'ADJ', 'NUM']);
const HEAD_POS: ReadonlySet<PartOfSpeech> = new Set(['NOUN', 'PROPN']);
const MAX_PHRASE_WORDS = 4;

interface Candidate {
  readonly key: string;
  readonly words: readonly string[];
  readonly first: number;
  readonly last: number;
}

/**
 * RAKE (Rose et al., 2010) over wink's tokens: candidates are runs of non-stop-word nouns,
 * adjectives and numbers ending in a noun (wink's stop words and part-of-speech tags); words
 * are keyed by lemma and scored by RAKE's degree metric (the summed length of the candidates
 * they occur in, which favours words the text keeps returning to), a phrase by the sum of its
 * words times 1 + ln(occurrences).
 */
export function keyPhrases(parsed: ParsedText, limit: number): KeyPhrase[] {
  const candidates = candidatesOf(parsed);
  const degree = new Map<string, number>();
  for (const { words } of candidates) {
    for (const word of words) degree.set(word, (degree.get(word) ?? 0) + words.length);
  }
  const phrases = new Map<string, { candidate: Candidate; count: number; score: number }>();
  for (const candidate of candidates) {
    const entry = phrases.get(candidate.key);
    if (entry) {
      entry.count += 1;
      continue;
    }
    const score = candidate.words.reduce((sum, word) => sum + (degree.get(word) ?? 0), 0);
    phrases.set(candidate.key, { candidate, count: 1, score });
  }
  const ranked = [...phrases.values()]
    .map((entry) => ({ ...entry, rank: entry.score * (1 + Math.log(entry.count)) }))
    .sort((a, b) => b.rank - a.rank || a.candidate.first - b.candidate.first)
    .slice(0, limit);
  const top = ranked[0]?.rank ?? 1;
  return ranked.map(({ candidate, count, rank }) => {
    const start = parsed.starts[candidate.first] ?? 0;
    const end = parsed.ends[candidate.last] ?? start;
    return { phrase: parsed.text.slice(start, end), score: round(rank / top), count, start, end };
  });
}

function candidatesOf(parsed: ParsedText): Candidate[] {
  const candidates: Candidate[] = [];
  let run: number[] = [];
  const flush = (): void => {
    // A phrase ends in its head noun: drop trailing adjectives and numbers.
    while (run.length > 0 && !HEAD_POS.has(parsed.pos[run.at(-1) ?? 0] ?? 'X')) run.pop();
    for (let from = 0; from < run.length; from += MAX_PHRASE_WORDS) {
      const slice = run.slice(from, from + MAX_PHRASE_WORDS);
      const words = slice.map((index) => (parsed.lemmas[index] ?? '').toLowerCase());
      const first = slice[0];
      const last = slice.at(-1);
      if (first !== undefined && last !== undefined && words.some((word) => word.length > 1)) {
        candidates.push({ key: words.join(' '), words, first, last });
      }
    }
    run = [];
  };
  for (let index = 0; index < parsed.values.length; index += 1) {
    const keep = parsed.types[index] === 'word' && !parsed.stopWords[index] && PHRASE_POS.has(parsed.pos[index] ?? 'X');
    if (keep) run.push(index);
    else flush();
  }
  flush();
  return candidates;
}
