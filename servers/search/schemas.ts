import { z } from 'zod';
import { TIME_RANGES, TOPICS } from './backend.ts';

/** Most results one search returns (Tavily's own ceiling). */
export const MAX_RESULTS_LIMIT = 20;
/** Tavily refuses longer queries; the local index gains nothing from them. */
export const MAX_QUERY_CHARS = 400;

const domainList = (what: string) =>
  z
    .array(z.string().trim().min(1).max(253).describe('A domain such as "kb.switchboard.local" or "microsoft.com"; subdomains match too.'))
    .max(50)
    .optional()
    .describe(what);

export const WebSearchInputSchema = z.object({
  query: z
    .string()
    .trim()
    .min(1)
    .max(MAX_QUERY_CHARS)
    .describe('What to look for, in plain words: symptoms, error messages, product names. Up to 400 characters.'),
  max_results: z.number().int().min(1).max(MAX_RESULTS_LIMIT).default(5).describe('How many results to return, 1-20; default 5.'),
  topic: z
    .enum(TOPICS)
    .default('general')
    .describe('"general" for how-to and troubleshooting (default); "news" to prefer recent announcements and notices.'),
  time_range: z.enum(TIME_RANGES).optional().describe('Only results published or updated within the last day, week, month or year.'),
  include_domains: domainList('Only return results from these domains.'),
  exclude_domains: domainList('Never return results from these domains.'),
});
export type WebSearchInput = z.infer<typeof WebSearchInputSchema>;

export const SearchResultSchema = z.object({
  title: z.string().describe('Title of the page or article.'),
  url: z.string().describe('Address of the page; pass it to fetch_article for the full text.'),
  content: z.string().describe('A snippet of the page around the words that matched.'),
  score: z.number().min(0).max(1).describe('Relevance from 0 to 1, higher is better; comparable within one result set.'),
  published_date: z.string().optional().describe('When the page was published or last updated (ISO 8601), when known.'),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;

export const WebSearchOutputSchema = z.object({
  query: z.string().describe('The query as searched.'),
  backend: z.enum(['tavily', 'local']).describe('"tavily" for the web, "local" for the help-desk knowledge base and local corpus.'),
  results: z.array(SearchResultSchema).describe('Results, most relevant first; empty when nothing matched.'),
  response_time_ms: z.number().describe('How long the search took, in milliseconds.'),
});
export type WebSearchOutput = z.infer<typeof WebSearchOutputSchema>;

export const FetchArticleInputSchema = z.object({
  url: z.string().trim().min(1).max(2048).describe('The url of a result returned by web_search.'),
});
export type FetchArticleInput = z.infer<typeof FetchArticleInputSchema>;

export const FetchArticleOutputSchema = z.object({
  url: z.string().describe('Address of the article.'),
  title: z.string().describe('Title of the article.'),
  content: z.string().describe('The full text of the article (Markdown where the source has it).'),
  published_date: z.string().optional().describe('When the article was published or last updated (ISO 8601), when known.'),
  backend: z.enum(['tavily', 'local']).describe('Which backend fetched it.'),
});
export type FetchArticleOutput = z.infer<typeof FetchArticleOutputSchema>;
