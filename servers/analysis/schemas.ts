import { z } from 'zod';

/** Longest text any tool accepts, in characters (UTF-16 code units). */
export const MAX_TEXT_CHARS = 200_000;
/** Most sentences a summary may ask for. */
export const MAX_SUMMARY_SENTENCES = 20;
/** Most key phrases `analyze_text` may ask for. */
export const MAX_KEYWORDS = 50;

/** The analyses `analyze_text` can run, in the order it runs them. */
export const ANALYSES = ['sentiment', 'entities', 'keywords', 'summary', 'language', 'readability'] as const;
export type Analysis = (typeof ANALYSES)[number];

export const TextSchema = z
  .string()
  .min(1, 'text is empty: pass the text to analyse')
  .max(MAX_TEXT_CHARS, `text is longer than ${MAX_TEXT_CHARS} characters: split it and analyse the parts`)
  .refine((text) => text.trim().length > 0, 'text is only whitespace: pass the text to analyse')
  .describe(`The text to analyse, in English for best results; 1 to ${MAX_TEXT_CHARS} characters.`);

export const MaxSentencesSchema = z
  .number()
  .int()
  .min(1)
  .max(MAX_SUMMARY_SENTENCES)
  .default(3)
  .describe(`Most sentences in the summary (1-${MAX_SUMMARY_SENTENCES}, default 3).`);

const offsets = {
  start: z.number().int().min(0).describe('Offset of the first character in the text (UTF-16 code units).'),
  end: z.number().int().min(0).describe('Offset just past the last character: text.slice(start, end).'),
};

export const EntitySchema = z
  .object({ text: z.string().describe('The entity exactly as written in the text.'), ...offsets })
  .describe('One occurrence of an entity.');

export const DateEntitySchema = EntitySchema.extend({
  kind: z.enum(['date', 'time', 'duration']).describe('date ("March 3rd, 2024"), time ("8am") or duration ("two hours").'),
});

export const EntitiesSchema = z.object({
  people: z.array(EntitySchema).describe('Person names.'),
  organizations: z.array(EntitySchema).describe('Companies, institutions and other organisations.'),
  places: z.array(EntitySchema).describe('Cities, regions and countries.'),
  dates: z.array(DateEntitySchema).describe('Dates, times and durations.'),
  emails: z.array(EntitySchema).describe('Email addresses.'),
  urls: z.array(EntitySchema).describe('Web addresses.'),
  money: z.array(EntitySchema).describe('Amounts of money with their currency.'),
  truncated: z.boolean().describe('True when a type had more occurrences than are listed.'),
});

export const SentenceSentimentSchema = z.object({
  text: z.string().describe('The sentence as written.'),
  ...offsets,
  score: z.number().describe('Sentence polarity, -1 (most negative) to 1 (most positive).'),
  label: z.enum(['positive', 'negative', 'neutral', 'mixed']).describe('Sentence label.'),
});

export const SentimentSchema = z.object({
  label: z.enum(['positive', 'negative', 'neutral', 'mixed']).describe('Overall sentiment of the text.'),
  score: z.number().describe('Overall polarity, -1 to 1: the mean of the sentences that carry an opinion.'),
  intensity: z.number().describe('How strongly it is felt, 0 to 1; exclamations and capitals raise it for negative text.'),
  tone: z
    .enum(['angry', 'dissatisfied', 'neutral', 'mixed', 'satisfied', 'delighted'])
    .describe("The writer's mood: angry is negative and emphatic (exclamations, capitals) or intense."),
  signals: z
    .object({
      exclamations: z.number().int().describe('Sentences with an exclamation mark.'),
      shouted_sentences: z.number().int().describe('Sentences written mostly in capitals.'),
      negated_problems: z.number().int().describe('Clauses reporting something that does not work ("cannot log in").'),
    })
    .describe('What besides sentiment words shaped the verdict.'),
  sentence_count: z.number().int().describe('Sentences in the text.'),
  sentences: z.array(SentenceSentimentSchema).describe('Per-sentence scores, in text order (the first 500 at most).'),
});

export const KeyPhraseSchema = z.object({
  phrase: z.string().describe('The phrase as first written in the text.'),
  score: z.number().describe('Relevance relative to the best phrase (1).'),
  count: z.number().int().describe('Occurrences in the text.'),
  ...offsets,
});

export const SummarySchema = z.object({
  summary: z.string().describe('The picked sentences joined, in their original order.'),
  sentences: z
    .array(
      z.object({
        index: z.number().int().describe('Position of the sentence in the text, from 0.'),
        text: z.string().describe('The sentence as written.'),
        ...offsets,
        score: z.number().describe('Centrality relative to the most central sentence (1).'),
      }),
    )
    .describe('The picked sentences, in their original order.'),
  sentence_count: z.number().int().describe('Sentences in the whole text.'),
});

export const LanguageSchema = z.object({
  code: z
    .string()
    .describe(
      'ISO 639-1 code (ISO 639-3 where there is none), or "und" when undetermined (under 10 characters, or no script franc-min knows).',
    ),
  name: z.string().describe('Language name in English.'),
  script: z.string().describe('Dominant writing system (Latin, Cyrillic, Han, ...), "none" when franc-min knows none of them.'),
  confidence: z
    .number()
    .describe('0 to 1; low for short text and for close languages (Russian, Bulgarian and Serbian in a sentence or two).'),
  method: z.enum(['trigrams', 'script', 'none']).describe('What decided: trigram profiles (franc), the script alone, or nothing.'),
});

export const ReadabilitySchema = z.object({
  sentences: z.number().int().describe('Sentences containing words.'),
  words: z.number().int().describe('Words.'),
  syllables: z.number().int().describe('Syllables in all words.'),
  complex_words: z.number().int().describe('Words of three or more syllables.'),
  words_per_sentence: z.number().describe('Average sentence length in words.'),
  syllables_per_word: z.number().describe('Average syllables per word.'),
  flesch_reading_ease: z.number().describe('Flesch reading ease: 60-70 plain English, below 30 very hard.'),
  flesch_kincaid_grade: z.number().describe('Flesch-Kincaid US school grade level.'),
  reading_time_seconds: z.number().int().describe('Reading time at 238 words per minute.'),
});
