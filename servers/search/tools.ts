import { performance } from 'node:perf_hooks';
import { defineTool, type ToolDefinition } from '../../src/mcp/index.ts';
import type { SearchBackend } from './backend.ts';
import {
  FetchArticleInputSchema,
  FetchArticleOutputSchema,
  WebSearchInputSchema,
  WebSearchOutputSchema,
  type WebSearchOutput,
} from './schemas.ts';

const SNIPPET_PREVIEW_CHARS = 160;

function renderResults(output: WebSearchOutput): string {
  if (output.results.length === 0) return `No results for "${output.query}" (${output.backend}).`;
  const lines = output.results.map((result, i) => {
    const date = result.published_date ? `, ${result.published_date.slice(0, 10)}` : '';
    const preview = result.content.length > SNIPPET_PREVIEW_CHARS ? `${result.content.slice(0, SNIPPET_PREVIEW_CHARS)}…` : result.content;
    return `${i + 1}. ${result.title} (score ${result.score.toFixed(2)}${date})\n   ${result.url}\n   ${preview}`;
  });
  return `${output.results.length} result(s) for "${output.query}" (${output.backend}):\n${lines.join('\n')}`;
}

/** `web_search`: searches through the backend, reporting progress. */
export function createWebSearchTool(backend: SearchBackend): ToolDefinition {
  const where =
    backend.name === 'tavily'
      ? 'the web (Tavily)'
      : 'the IT help-desk knowledge base (KB articles, how-to guides, notices) and local documents';
  return defineTool({
    name: 'web_search',
    title: 'Web search',
    description:
      `Searches ${where} and returns the most relevant pages with title, url, a snippet of the matching text, ` +
      'a 0-1 relevance score and the publication date when known. Use it to find known fixes, solutions and workarounds, how-to ' +
      'steps, procedures and notices; filter with topic, time_range and include/exclude_domains. Follow up with fetch_article ' +
      'for a full page.',
    input: WebSearchInputSchema,
    output: WebSearchOutputSchema,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: backend.name === 'tavily' },
    async handler(args, context) {
      const started = performance.now();
      await context.progress(0, 2, `searching ${backend.name === 'tavily' ? 'Tavily' : 'the local index'} for "${args.query}"`);
      const hits = await backend.search(
        {
          query: args.query,
          maxResults: args.max_results,
          topic: args.topic,
          timeRange: args.time_range,
          includeDomains: args.include_domains ?? [],
          excludeDomains: args.exclude_domains ?? [],
        },
        { signal: context.signal, onProgress: (message) => context.progress(1, 2, message) },
      );
      const structured: WebSearchOutput = {
        query: args.query,
        backend: backend.name,
        results: hits.map((hit) => ({
          title: hit.title,
          url: hit.url,
          content: hit.content,
          score: hit.score,
          ...(hit.publishedDate ? { published_date: hit.publishedDate } : {}),
        })),
        response_time_ms: Math.round(performance.now() - started),
      };
      await context.progress(2, 2, `found ${hits.length} result(s)`);
      return { structured, text: renderResults(structured) };
    },
  });
}

/** `fetch_article`: the full text behind a search result's url. */
export function createFetchArticleTool(backend: SearchBackend): ToolDefinition {
  return defineTool({
    name: 'fetch_article',
    title: 'Fetch article',
    description:
      'Returns (opens, reads) the full text of an article or page found by web_search, given its url: every troubleshooting step, not just the snippet. ' +
      (backend.name === 'tavily' ? 'Uses Tavily extract for any public url.' : 'Only urls returned by web_search are known.'),
    input: FetchArticleInputSchema,
    output: FetchArticleOutputSchema,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: backend.name === 'tavily' },
    async handler(args, context) {
      await context.progress(0, 1, `fetching ${args.url}`);
      const article = await backend.fetchArticle(args.url, { signal: context.signal });
      await context.progress(1, 1, 'fetched');
      return {
        structured: {
          url: article.url,
          title: article.title,
          content: article.content,
          ...(article.publishedDate ? { published_date: article.publishedDate } : {}),
          backend: backend.name,
        },
        text: `# ${article.title}\n${article.url}\n\n${article.content}`,
      };
    },
  });
}
