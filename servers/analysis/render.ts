import type { AnalysisReport } from './pipeline.ts';

type Part<K extends keyof AnalysisReport> = NonNullable<AnalysisReport[K]>;

const MAX_LISTED = 8;

export function renderSentiment(sentiment: Part<'sentiment'>): string {
  const sentences = sentiment.sentence_count === 1 ? '1 sentence' : `${sentiment.sentence_count} sentences`;
  return `Sentiment: ${sentiment.label}, tone ${sentiment.tone} (score ${sentiment.score}, intensity ${sentiment.intensity}; ${sentences}).`;
}

export function renderEntities(entities: Part<'entities'>): string {
  const parts: string[] = [];
  for (const [type, list] of Object.entries(entities)) {
    if (!Array.isArray(list) || list.length === 0) continue;
    const unique = [...new Set(list.map((entity) => entity.text))];
    const more = unique.length > MAX_LISTED ? ` and ${unique.length - MAX_LISTED} more` : '';
    parts.push(`${type}: ${unique.slice(0, MAX_LISTED).join(', ')}${more}`);
  }
  return parts.length === 0 ? 'Entities: none found.' : `Entities: ${parts.join('; ')}.`;
}

export function renderKeywords(keywords: Part<'keywords'>): string {
  return keywords.length === 0 ? 'Key phrases: none found.' : `Key phrases: ${keywords.map((keyword) => keyword.phrase).join(', ')}.`;
}

export function renderSummary(summary: Part<'summary'>): string {
  return `Summary (${summary.sentences.length} of ${summary.sentence_count} sentences): ${summary.summary}`;
}

export function renderLanguage(language: Part<'language'>): string {
  return `Language: ${language.name} (${language.code}, confidence ${language.confidence}).`;
}

export function renderReadability(stats: Part<'readability'>): string {
  return (
    `Reading: ${stats.words} words in ${stats.sentences} sentences, Flesch reading ease ${stats.flesch_reading_ease}, ` +
    `grade ${stats.flesch_kincaid_grade}, about ${stats.reading_time_seconds} s to read.`
  );
}

/** One line per analysis, in the order they ran. */
export function renderReport(report: AnalysisReport): string {
  const lines: string[] = [];
  if (report.sentiment) lines.push(renderSentiment(report.sentiment));
  if (report.entities) lines.push(renderEntities(report.entities));
  if (report.keywords) lines.push(renderKeywords(report.keywords));
  if (report.summary) lines.push(renderSummary(report.summary));
  if (report.language) lines.push(renderLanguage(report.language));
  if (report.readability) lines.push(renderReadability(report.readability));
  return lines.join('\n');
}
