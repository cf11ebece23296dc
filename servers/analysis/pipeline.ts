import type { z } from 'zod';
import type { ToolContext } from '../../src/mcp/index.ts';
import { ToolError } from '../../src/errors.ts';
import type { AnalysisEngine, ParsedText } from './engine.ts';
import { emptyGroups, ENTITY_TYPES, namedEntities, winkEntities, type EntityGroups } from './entities.ts';
import { keyPhrases } from './keywords.ts';
import { guessLanguage } from './language.ts';
import { round } from './math.ts';
import { readingStats } from './readability.ts';
import {
  MAX_TEXT_CHARS,
  type Analysis,
  type EntitiesSchema,
  type KeyPhraseSchema,
  type LanguageSchema,
  type ReadabilitySchema,
  type SentimentSchema,
  type SummarySchema,
} from './schemas.ts';
import { judge, labelOf, scoreSentences, type SentenceScore } from './sentiment.ts';
import { summarize } from './summary.ts';

/** What `runAnalyses` produces: one part per analysis asked for. */
export interface AnalysisReport {
  sentiment?: z.infer<typeof SentimentSchema>;
  entities?: z.infer<typeof EntitiesSchema>;
  keywords?: z.infer<typeof KeyPhraseSchema>[];
  summary?: z.infer<typeof SummarySchema>;
  language?: z.infer<typeof LanguageSchema>;
  readability?: z.infer<typeof ReadabilitySchema>;
}

/** Limits of the analyses that take one: summary sentences and key phrases. */
export interface AnalysisOptions {
  readonly maxSentences: number;
  readonly maxKeywords: number;
}

// compromise (the slow part, about 1 s per 100k characters) reads whole sentences in chunks
// of about this size; between chunks progress is sent and the event loop breathes.
const ENTITY_CHUNK_CHARS = 10_000;
const SENTIMENT_CHUNK_SENTENCES = 250;
const MAX_REPORTED_SENTENCES = 500;
const MAX_ENTITIES_PER_TYPE = 500;

/** Rejects what the input schema would, for callers that skip it: empty, blank or oversized text. */
export function assertText(text: string): void {
  if (text.trim().length === 0) throw new ToolError('text is empty: pass the text to analyse');
  if (text.length > MAX_TEXT_CHARS) {
    throw new ToolError(`text has ${text.length} characters, more than the ${MAX_TEXT_CHARS} allowed`, {
      hint: 'split it into parts and analyse each',
    });
  }
}

/**
 * Parses the text once and runs the analyses asked for, sending progress after parsing and
 * after each stage or chunk, and stopping when the caller cancels.
 */
export async function runAnalyses(
  engine: AnalysisEngine,
  text: string,
  wanted: readonly Analysis[],
  options: AnalysisOptions,
  context: ToolContext,
): Promise<AnalysisReport> {
  assertText(text);
  const parsed = engine.parse(text);
  const sentimentChunks = wanted.includes('sentiment') ? Math.ceil(parsed.sentences.length / SENTIMENT_CHUNK_SENTENCES) : 0;
  const entityChunks = wanted.includes('entities') ? chunksOf(parsed) : [];
  const total = 1 + sentimentChunks + entityChunks.length + wanted.filter((name) => name !== 'sentiment').length;
  let done = 0;
  const step = async (message: string): Promise<void> => {
    done += 1;
    await context.progress(done, total, message);
    // Let notifications go out and a cancellation arrive before the next chunk.
    await new Promise<void>((resolve) => setImmediate(resolve));
    context.signal.throwIfAborted();
  };
  await step(`parsed ${parsed.sentences.length} sentences`);

  const report: AnalysisReport = {};
  for (const analysis of wanted) {
    if (analysis === 'sentiment') {
      const scores: SentenceScore[] = [];
      for (let from = 0; from < parsed.sentences.length; from += SENTIMENT_CHUNK_SENTENCES) {
        const to = Math.min(parsed.sentences.length, from + SENTIMENT_CHUNK_SENTENCES);
        scores.push(...scoreSentences(engine, parsed, from, to));
        await step(`sentiment: ${to} of ${parsed.sentences.length} sentences`);
      }
      report.sentiment = sentimentReport(parsed, scores);
    } else if (analysis === 'entities') {
      const groups = emptyGroups();
      winkEntities(engine, parsed, groups);
      await step('entities: dates, emails, urls, money');
      for (const [index, [from, to]] of entityChunks.entries()) {
        namedEntities(text, from, to, groups);
        await step(`entities: people, organisations, places ${index + 1} of ${entityChunks.length}`);
      }
      report.entities = entitiesReport(groups);
    } else {
      runQuick(analysis, engine, parsed, options, report);
      await step(analysis);
    }
  }
  return report;
}

// The analyses that take one pass over the parsed text.
function runQuick(analysis: Analysis, engine: AnalysisEngine, parsed: ParsedText, options: AnalysisOptions, report: AnalysisReport): void {
  if (analysis === 'keywords') report.keywords = keyPhrases(parsed, options.maxKeywords);
  if (analysis === 'language') report.language = guessLanguage(parsed.text);
  if (analysis === 'readability') report.readability = readingStats(engine, parsed);
  if (analysis === 'summary') {
    const sentences = summarize(parsed, options.maxSentences);
    report.summary = { summary: sentences.map((sentence) => sentence.text).join(' '), sentences, sentence_count: parsed.sentences.length };
  }
}

// Character ranges of whole sentences, each about `ENTITY_CHUNK_CHARS` long. A sentence longer
// than that (a text without full stops) is cut between tokens: compromise's time grows faster than
// linearly with a sentence's length, and one 200,000-character sentence took minutes.
function chunksOf(parsed: ParsedText): [number, number][] {
  const chunks: [number, number][] = [];
  let chunkStart: number | undefined;
  let chunkEnd = 0;
  const add = (start: number, end: number) => {
    if (chunkStart !== undefined && end - chunkStart > ENTITY_CHUNK_CHARS) {
      chunks.push([chunkStart, chunkEnd]);
      chunkStart = undefined;
    }
    chunkStart ??= start;
    chunkEnd = end;
  };
  for (const [first, last] of parsed.sentences) {
    const start = parsed.starts[first] ?? 0;
    const end = parsed.ends[last] ?? start;
    if (end - start <= ENTITY_CHUNK_CHARS) add(start, end);
    else for (let token = first; token <= last; token += 1) add(parsed.starts[token] ?? start, parsed.ends[token] ?? end);
  }
  if (chunkStart !== undefined) chunks.push([chunkStart, chunkEnd]);
  return chunks;
}

function sentimentReport(parsed: ParsedText, scores: readonly SentenceScore[]): z.infer<typeof SentimentSchema> {
  const verdict = judge(scores);
  return {
    ...verdict,
    signals: {
      exclamations: scores.filter((score) => score.exclaimed).length,
      shouted_sentences: scores.filter((score) => score.shouted).length,
      negated_problems: scores.reduce((sum, score) => sum + score.problems, 0),
    },
    sentence_count: scores.length,
    sentences: scores.slice(0, MAX_REPORTED_SENTENCES).map((score) => {
      const start = parsed.starts[score.first] ?? 0;
      const end = parsed.ends[score.last] ?? start;
      return { text: parsed.text.slice(start, end), start, end, score: round(score.score), label: labelOf(score) };
    }),
  };
}

function entitiesReport(groups: EntityGroups): z.infer<typeof EntitiesSchema> {
  const truncated = ENTITY_TYPES.some((type) => groups[type].length > MAX_ENTITIES_PER_TYPE);
  const cap = <T>(list: T[]): T[] => list.slice(0, MAX_ENTITIES_PER_TYPE);
  return {
    people: cap(groups.people),
    organizations: cap(groups.organizations),
    places: cap(groups.places),
    dates: cap(groups.dates).map((entity) => ({ ...entity, kind: toKind(entity.kind) })),
    emails: cap(groups.emails),
    urls: cap(groups.urls),
    money: cap(groups.money),
    truncated,
  };
}

function toKind(kind: string | undefined): 'date' | 'time' | 'duration' {
  return kind === 'time' || kind === 'duration' ? kind : 'date';
}
