import nlp from 'compromise';
import type { AnalysisEngine, ParsedText } from './engine.ts';
import { round } from './math.ts';
import { vaderScores } from './vader.ts';

export type SentimentLabel = 'positive' | 'negative' | 'neutral' | 'mixed';
export type Tone = 'angry' | 'dissatisfied' | 'neutral' | 'mixed' | 'satisfied' | 'delighted';

/**
 * Scores below this magnitude are neutral: one mild word (VADER rates "please" 0.32, wink
 * 0.2, so a polite request averages 0.26) is no opinion.
 */
export const NEUTRAL_BAND = 0.3;
// Negative scores weigh 1.5 times positive ones, as in SO-CAL (Taboada et al., 2011): people
// hedge praise and state complaints, so a negative word says more about the writer's stance.
const NEGATIVE_WEIGHT = 1.5;
// A clause whose verb or adjective is negated ("cannot access", "is still not fixed") and
// that carries no opinion reports a problem; neither lexicon scores that.
const PROBLEM_POLARITY = -0.4;
// In a customer message an exclamation (or capitals) without a clear opinion reads as
// frustration; VADER only amplifies opinions already there. Known cost: a friendly
// "See you on Monday!" comes out negative.
const EXCLAMATION_POLARITY = -0.35;
// How much emphasis raises the intensity of a negative or delighted verdict.
const EXCLAMATION_BOOST = 1.5;
// Intensity from which a feeling is strong (angry, delighted) without any emphasis.
const STRONG_INTENSITY = 0.8;
// Both polarities present, the weaker at least half the stronger: the text is mixed.
const MIXED_RATIO = 0.5;

/** One sentence's score; `positive`/`negative` are the masses of its clauses beyond the band. */
export interface SentenceScore {
  readonly first: number;
  readonly last: number;
  readonly score: number;
  readonly positive: number;
  readonly negative: number;
  readonly exclaimed: boolean;
  readonly shouted: boolean;
  readonly problems: number;
}

/**
 * Scores sentences `from..to-1` of a parsed text. A sentence's score is the mean of two
 * lexicon models, each with its own negation and emphasis rules: VADER's compound score and
 * wink's sentence sentiment. Its clauses are scored the same way (wink by the mean of its word
 * polarities inside its negation scopes) to find sentences that say both.
 */
export function scoreSentences(engine: AnalysisEngine, parsed: ParsedText, from: number, to: number): SentenceScore[] {
  const scores: SentenceScore[] = [];
  for (let index = from; index < to; index += 1) {
    const sentence = parsed.sentences[index];
    if (sentence) scores.push(scoreSentence(engine, parsed, index, sentence[0], sentence[1]));
  }
  return scores;
}

function scoreSentence(engine: AnalysisEngine, parsed: ParsedText, index: number, first: number, last: number): SentenceScore {
  const vader = vaderScores(textOf(parsed, first, last));
  let score = weigh((vader.compound + (parsed.sentenceSentiments[index] ?? 0)) / 2);
  let positive = 0;
  let negative = 0;
  let problems = 0;
  const parts = clauses(parsed, first, last);
  // VADER is the slow part: a one-clause sentence has its score already, and where VADER found
  // no opinion word in the whole sentence it finds none in a clause either.
  const vaderByClause = parts.length > 1 && vader.pos + vader.neg > 0;
  for (const [start, end] of parts) {
    const clauseVader = vaderByClause ? vaderScores(textOf(parsed, start, end)).compound : parts.length === 1 ? vader.compound : 0;
    let clause = weigh((clauseVader + meanOf(polarities(engine, parsed, start, end))) / 2);
    if (Math.abs(clause) < NEUTRAL_BAND && isProblem(parsed, start, end)) {
      clause += PROBLEM_POLARITY;
      problems += 1;
    }
    if (clause >= NEUTRAL_BAND) positive += clause;
    if (clause <= -NEUTRAL_BAND) negative -= clause;
  }
  if (problems > 0 && Math.abs(score) < NEUTRAL_BAND) score += PROBLEM_POLARITY;
  const exclaimed = parsed.values.slice(first, last + 1).includes('!');
  const shouted = isShouted(parsed, first, last);
  if ((exclaimed || shouted) && Math.abs(score) < NEUTRAL_BAND) score = EXCLAMATION_POLARITY;
  score = Math.max(-1, Math.min(1, score));
  return { first, last, score, positive, negative, exclaimed, shouted, problems };
}

function textOf(parsed: ParsedText, first: number, last: number): string {
  return parsed.text.slice(parsed.starts[first] ?? 0, parsed.ends[last] ?? 0);
}

function weigh(score: number): number {
  return score < 0 ? score * NEGATIVE_WEIGHT : score;
}

// Clauses of a sentence: token ranges split at punctuation and conjunctions ("but", "although").
function clauses(parsed: ParsedText, first: number, last: number): [number, number][] {
  const ranges: [number, number][] = [];
  let start = first;
  for (let index = first; index <= last; index += 1) {
    const pos = parsed.pos[index];
    if (pos === 'PUNCT' || pos === 'CCONJ' || pos === 'SCONJ' || parsed.types[index] === 'punctuation') {
      if (index > start) ranges.push([start, index - 1]);
      start = index + 1;
    }
  }
  if (start <= last) ranges.push([start, last]);
  return ranges;
}

// Word polarities from wink's sentiment model, flipped inside wink's negation scope.
function polarities(engine: AnalysisEngine, parsed: ParsedText, first: number, last: number): number[] {
  const hits: number[] = [];
  for (let index = first; index <= last; index += 1) {
    const type = parsed.types[index];
    if (type !== 'word' && type !== 'emoji' && type !== 'emoticon') continue;
    let value = engine.wordPolarity(parsed.normals[index] ?? '');
    if (value === 0) continue;
    if (inScope(parsed, first, index)) value = -value;
    hits.push(value);
  }
  return hits;
}

// Whether wink's negation covers a token, with the scope ending at the clause boundary (as in
// NegEx): a clause that starts inside a scope opened before it ("not fixed and I am losing
// sales") is not negated.
function inScope(parsed: ParsedText, clauseStart: number, index: number): boolean {
  if (!parsed.negated[index]) return false;
  for (let at = index; at >= clauseStart; at -= 1) if (!parsed.negated[at]) return true;
  return false;
}

function meanOf(hits: readonly number[]): number {
  return hits.length === 0 ? 0 : hits.reduce((sum, value) => sum + value, 0) / hits.length;
}

// compromise reads the clause around its first negation, at most this many tokens either side:
// its time grows faster than linearly with the text, and one unpunctuated 200,000-character
// clause took minutes.
const PROBLEM_CONTEXT_TOKENS = 20;

// wink marks a negation scope; compromise confirms it negates a verb or adjective and is no imperative ("don't worry").
function isProblem(parsed: ParsedText, first: number, last: number): boolean {
  let scope = first;
  while (scope <= last && !inScope(parsed, first, scope)) scope += 1;
  if (scope > last) return false;
  const from = Math.max(first, scope - PROBLEM_CONTEXT_TOKENS);
  const to = Math.min(last, scope + PROBLEM_CONTEXT_TOKENS);
  const clause = nlp(parsed.text.slice(parsed.starts[from], parsed.ends[to]));
  return clause.has('#Negative #Adverb? (#Verb|#Adjective)') && !clause.has('#Negative #Adverb? #Imperative');
}

// Three or more words in capitals making up at least half the sentence's words.
function isShouted(parsed: ParsedText, first: number, last: number): boolean {
  let words = 0;
  let upper = 0;
  for (let index = first; index <= last; index += 1) {
    if (parsed.types[index] !== 'word') continue;
    words += 1;
    if (parsed.upperCase[index] && (parsed.values[index]?.length ?? 0) > 1) upper += 1;
  }
  return upper >= 3 && upper * 2 >= words;
}

/** The verdict over all sentences. */
export interface SentimentVerdict {
  readonly label: SentimentLabel;
  readonly score: number;
  readonly intensity: number;
  readonly tone: Tone;
}

/**
 * Label and score of a whole text from its sentence scores: the score is the mean of the
 * sentences beyond the neutral band; the text is mixed when both polarities are present
 * and the weaker carries at least half the weight of the stronger.
 */
export function judge(scores: readonly SentenceScore[]): SentimentVerdict {
  let positive = 0;
  let negative = 0;
  let polar = 0;
  let emphatic = false;
  let delighted = false;
  for (const sentence of scores) {
    if (sentence.positive > 0 && sentence.negative > 0) {
      positive += sentence.positive;
      negative += sentence.negative;
    } else if (sentence.score >= NEUTRAL_BAND) positive += sentence.score;
    else if (sentence.score <= -NEUTRAL_BAND) negative -= sentence.score;
    if (Math.abs(sentence.score) >= NEUTRAL_BAND || sentence.positive + sentence.negative > 0) polar += 1;
    if (sentence.score < 0 && (sentence.exclaimed || sentence.shouted)) emphatic = true;
    if (sentence.score > 0 && sentence.exclaimed) delighted = true;
  }
  const score = polar === 0 ? 0 : round((positive - negative) / polar);
  const mixed = positive > 0 && negative > 0 && Math.min(positive, negative) / Math.max(positive, negative) >= MIXED_RATIO;
  const label: SentimentLabel = mixed ? 'mixed' : score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral';
  const stressed = (label === 'negative' && emphatic) || (label === 'positive' && delighted);
  const intensity = round(Math.min(1, Math.abs(score) * (stressed ? EXCLAMATION_BOOST : 1)));
  return { label, score, intensity, tone: toneOf(label, intensity, emphatic) };
}

// Angry: negative and said with exclamations or capitals, or very intense; delighted likewise.
function toneOf(label: SentimentLabel, intensity: number, emphatic: boolean): Tone {
  if (label === 'negative') return emphatic || intensity >= STRONG_INTENSITY ? 'angry' : 'dissatisfied';
  if (label === 'positive') return intensity >= STRONG_INTENSITY ? 'delighted' : 'satisfied';
  return label;
}

/** Label of one sentence score, by the same band. */
export function labelOf(score: SentenceScore): SentimentLabel {
  if (
    score.positive > 0 &&
    score.negative > 0 &&
    Math.min(score.positive, score.negative) / Math.max(score.positive, score.negative) >= MIXED_RATIO
  ) {
    return 'mixed';
  }
  return score.score >= NEUTRAL_BAND ? 'positive' : score.score <= -NEUTRAL_BAND ? 'negative' : 'neutral';
}
