import type { AnalysisEngine, ParsedText } from './engine.ts';
import { round } from './math.ts';

/** Silent reading speed of adults for non-fiction, words per minute (Brysbaert, 2019). */
export const READING_WORDS_PER_MINUTE = 238;

export interface ReadingStats {
  readonly sentences: number;
  readonly words: number;
  readonly syllables: number;
  readonly complex_words: number;
  readonly words_per_sentence: number;
  readonly syllables_per_word: number;
  readonly flesch_reading_ease: number;
  readonly flesch_kincaid_grade: number;
  readonly reading_time_seconds: number;
}

/**
 * Counts over wink's word tokens and sentences, syllables by the model's own counter, then
 * Flesch reading ease (206.835 - 1.015 w/s - 84.6 syl/w) and Flesch-Kincaid grade
 * (0.39 w/s + 11.8 syl/w - 15.59). Complex words have three or more syllables.
 */
export function readingStats(engine: AnalysisEngine, parsed: ParsedText): ReadingStats {
  let words = 0;
  let syllables = 0;
  let complex = 0;
  parsed.types.forEach((type, index) => {
    if (type !== 'word') return;
    const count = engine.syllables(parsed.normals[index] ?? '');
    words += 1;
    syllables += count;
    if (count >= 3) complex += 1;
  });
  const sentences = parsed.sentences.filter(([first, last]) => parsed.types.slice(first, last + 1).includes('word')).length;
  const perSentence = sentences === 0 ? 0 : words / sentences;
  const perWord = words === 0 ? 0 : syllables / words;
  return {
    sentences,
    words,
    syllables,
    complex_words: complex,
    words_per_sentence: round(perSentence, 2),
    syllables_per_word: round(perWord, 2),
    flesch_reading_ease: words === 0 ? 0 : round(206.835 - 1.015 * perSentence - 84.6 * perWord, 1),
    flesch_kincaid_grade: words === 0 ? 0 : round(0.39 * perSentence + 11.8 * perWord - 15.59, 1),
    reading_time_seconds: Math.round((words / READING_WORDS_PER_MINUTE) * 60),
  };
}
