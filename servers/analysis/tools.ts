import { z } from 'zod';
import { SystemError } from '../../src/errors.ts';
import { defineTool, type ToolAnnotations, type ToolDefinition } from '../../src/mcp/index.ts';
import type { AnalysisEngine } from './engine.ts';
import type * as Pipeline from './pipeline.ts';
import { renderEntities, renderReport, renderSentiment, renderSummary } from './render.ts';
import {
  ANALYSES,
  EntitiesSchema,
  KeyPhraseSchema,
  LanguageSchema,
  MAX_KEYWORDS,
  MAX_TEXT_CHARS,
  MaxSentencesSchema,
  ReadabilitySchema,
  SentimentSchema,
  SummarySchema,
  TextSchema,
} from './schemas.ts';

const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const LIMIT = `Text of at most ${MAX_TEXT_CHARS} characters; long texts report progress.`;

let pipeline: Promise<typeof Pipeline> | undefined;

/**
 * The analyses themselves (compromise, VADER, franc-min and their data): loaded by the first
 * call, or before it by {@link loadAnalyses}, not when the agent starts, so that it listens
 * (and lists its tools) without waiting for them.
 */
export const loadAnalyses = (): Promise<typeof Pipeline> =>
  (pipeline ??= import('./pipeline.ts').catch((error: unknown) => {
    pipeline = undefined; // the next call tries again
    throw error;
  }));

/** The engine, or what loads it (a call waits for it). */
export type EngineSource = AnalysisEngine | (() => Promise<AnalysisEngine>);

async function runAnalyses(
  source: EngineSource,
  ...rest: Parameters<typeof Pipeline.runAnalyses> extends [unknown, ...infer R] ? R : never
) {
  const [{ runAnalyses: run }, engine] = await Promise.all([loadAnalyses(), typeof source === 'function' ? source() : source]);
  return run(engine, ...rest);
}

function missing(part: string): never {
  throw new SystemError(`the ${part} analysis produced no result`);
}

/** The analysis agent's four tools over one shared engine (or what loads it, with the first call). */
export function createAnalysisTools(engine: EngineSource): ToolDefinition[] {
  const defaults = { maxSentences: 3, maxKeywords: 10 };
  return [
    defineTool({
      name: 'analyze_sentiment',
      title: 'Analyse sentiment',
      description:
        'Sentiment: how the writer feels (mood, tone, how angry, upset or happy): label (positive, negative, neutral, mixed), score -1..1, intensity and tone ' +
        '(angry, dissatisfied, neutral, mixed, satisfied, delighted), plus a score per sentence with its offsets. ' +
        `Use it to judge how upset a customer is or how a message will land. ${LIMIT}`,
      input: z.object({ text: TextSchema }),
      output: SentimentSchema,
      annotations: READ_ONLY,
      async handler({ text }, context) {
        const { sentiment } = await runAnalyses(engine, text, ['sentiment'], defaults, context);
        if (!sentiment) missing('sentiment');
        return { structured: sentiment, text: renderSentiment(sentiment) };
      },
    }),
    defineTool({
      name: 'extract_entities',
      title: 'Extract entities',
      description:
        'Finds people, organisations, places, dates/times/durations, email addresses, URLs and amounts of money, ' +
        'each occurrence with start/end character offsets (text.slice(start, end) is the entity). ' +
        `Use it to pull names, contacts and figures out of tickets, emails and reports. ${LIMIT}`,
      input: z.object({ text: TextSchema }),
      output: EntitiesSchema,
      annotations: READ_ONLY,
      async handler({ text }, context) {
        const { entities } = await runAnalyses(engine, text, ['entities'], defaults, context);
        if (!entities) missing('entities');
        return { structured: entities, text: renderEntities(entities) };
      },
    }),
    defineTool({
      name: 'summarize',
      title: 'Summarise',
      description:
        'Summarise (sum up, recap, condense, tl;dr): picks the most central sentences (TextRank) and returns them in their original order, ' +
        `never more than max_sentences. Use it to shorten long tickets, threads or articles. ${LIMIT}`,
      input: z.object({ text: TextSchema, max_sentences: MaxSentencesSchema }),
      output: SummarySchema,
      annotations: READ_ONLY,
      async handler({ text, max_sentences }, context) {
        const { summary } = await runAnalyses(engine, text, ['summary'], { ...defaults, maxSentences: max_sentences }, context);
        if (!summary) missing('summary');
        return { structured: summary, text: renderSummary(summary) };
      },
    }),
    defineTool({
      name: 'analyze_text',
      title: 'Analyse text',
      description:
        'Analyses a message, email, complaint or review: runs any subset of: sentiment, entities, keywords (key phrases, main topics), summary, language (a guess with confidence) and ' +
        'readability (sentences, words, syllables, Flesch reading ease, Flesch-Kincaid grade, reading time), parsing ' +
        `the text once. Prefer it over several single tools when you need more than one analysis. ${LIMIT}`,
      input: z.object({
        text: TextSchema,
        analyses: z
          .array(z.enum(ANALYSES))
          .min(1)
          .default([...ANALYSES])
          .describe(
            `Which analyses to run (default all): ${ANALYSES.map((name) => (name === 'keywords' ? 'keywords (key phrases)' : name)).join(', ')}.`,
          ),
        max_sentences: MaxSentencesSchema,
        max_keywords: z.number().int().min(1).max(MAX_KEYWORDS).default(10).describe(`Most key phrases (1-${MAX_KEYWORDS}, default 10).`),
      }),
      output: z.object({
        analyses: z.array(z.enum(ANALYSES)).describe('The analyses that ran, in order.'),
        characters: z.number().int().describe('Length of the text in characters.'),
        sentiment: SentimentSchema.optional().describe('Present when sentiment was asked for.'),
        entities: EntitiesSchema.optional().describe('Present when entities were asked for.'),
        keywords: z.array(KeyPhraseSchema).optional().describe('Key phrases, best first; present when asked for.'),
        summary: SummarySchema.optional().describe('Present when summary was asked for.'),
        language: LanguageSchema.optional().describe('Present when language was asked for.'),
        readability: ReadabilitySchema.optional().describe('Present when readability was asked for.'),
      }),
      annotations: READ_ONLY,
      async handler({ text, analyses, max_sentences, max_keywords }, context) {
        const wanted = ANALYSES.filter((analysis) => analyses.includes(analysis));
        const report = await runAnalyses(engine, text, wanted, { maxSentences: max_sentences, maxKeywords: max_keywords }, context);
        return { structured: { analyses: wanted, characters: text.length, ...report }, text: renderReport(report) };
      },
    }),
  ];
}
