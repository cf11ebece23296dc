import { createRequire } from 'node:module';

/** VADER's scores: shares of negative, neutral and positive words, and the compound -1..1. */
export interface PolarityScores {
  readonly neg: number;
  readonly neu: number;
  readonly pos: number;
  readonly compound: number;
}

// vader-sentiment is a CommonJS bundle without typings: it is loaded through require and
// typed with the one method used.
interface VaderModule {
  readonly SentimentIntensityAnalyzer: { polarity_scores(text: string): PolarityScores };
}

const require = createRequire(import.meta.url);
const { SentimentIntensityAnalyzer } = require('vader-sentiment') as VaderModule;

// The JavaScript port compares negations ("not"), "but" and its idioms case-sensitively where
// the reference (Python) VADER lowercases them, so "Not impressed." scored positive. Words with
// a lowercase letter are lowercased; words in capitals keep them, as VADER reads those as emphasis.
const WORD = /\S+/g;
const LOWERCASE_LETTER = /\p{Ll}/u;

/**
 * VADER's scores of a sentence or clause (Hutto and Gilbert, 2014): its lexicon with
 * negation, "but", degree words, capitals and exclamation marks applied.
 */
export function vaderScores(text: string): PolarityScores {
  const normalised = text.replace(WORD, (word) => (LOWERCASE_LETTER.test(word) ? word.toLowerCase() : word));
  return SentimentIntensityAnalyzer.polarity_scores(normalised);
}
