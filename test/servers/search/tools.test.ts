import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadEnv } from '../../../src/config/env.ts';
import { ToolError } from '../../../src/errors.ts';
import type { AgentDefinition, ToolDefinition } from '../../../src/mcp/index.ts';
import createAgent, {
  FetchArticleInputSchema,
  FetchArticleOutputSchema,
  KNOWLEDGE_BASE_URL,
  WebSearchInputSchema,
  WebSearchOutputSchema,
  createLocalBackend,
  createSearchAgent,
  type WebSearchOutput,
} from '../../../servers/search/index.ts';
import { startFakeTavily } from '../../helpers/fakeTavily.ts';
import { recordingContext } from '../../helpers/toolContext.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY_MS = 86_400_000;

describe('search agent tools over the local knowledge base', () => {
  let agent: AgentDefinition;
  let webSearch: ToolDefinition;
  let fetchArticle: ToolDefinition;

  const search = async (args: Record<string, unknown>): Promise<WebSearchOutput> => {
    const output = await webSearch.handler(WebSearchInputSchema.parse(args), recordingContext());
    return WebSearchOutputSchema.parse(output.structured);
  };

  before(async () => {
    agent = await createSearchAgent({ backend: await createLocalBackend({ now: () => NOW }) });
    const byName = new Map(agent.tools.map((tool) => [tool.name, tool]));
    webSearch = byName.get('web_search') as ToolDefinition;
    fetchArticle = byName.get('fetch_article') as ToolDefinition;
  });
  after(async () => {
    await agent.close?.();
  });

  test('declares both tools with honest annotations and described schemas', () => {
    assert.equal(agent.name, 'search');
    assert.match(agent.instructions, /web_search/);
    assert.match(agent.instructions, /fetch_article/);
    for (const tool of [webSearch, fetchArticle]) {
      assert.deepEqual(tool.annotations, { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
      for (const schema of [tool.input, tool.output]) {
        for (const [field, shape] of Object.entries(schema.shape)) {
          assert.ok((shape as { description?: string }).description, `${tool.name}.${field} has no description`);
        }
      }
    }
  });

  test('web_search reports progress and returns results with the backend named', async () => {
    const context = recordingContext();
    const output = await webSearch.handler(WebSearchInputSchema.parse({ query: 'outlook keeps asking for password' }), context);
    const structured = WebSearchOutputSchema.parse(output.structured);
    assert.equal(structured.backend, 'local');
    assert.equal(structured.results.length, 5);
    assert.equal(structured.results[0]?.url, `${KNOWLEDGE_BASE_URL}outlook-password-prompts`);
    assert.match(structured.results[0]?.published_date ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.match(output.text, /Outlook keeps asking for my password/);
    assert.ok(context.progressEvents.length >= 2);
    assert.equal(context.progressEvents[0]?.done, 0);
    const last = context.progressEvents.at(-1);
    assert.equal(last?.done, last?.total);
    assert.match(last?.message ?? '', /5 result/);
  });

  test('input schemas reject wrongly typed or out-of-range arguments', () => {
    const bad: Record<string, unknown>[] = [
      {},
      { query: 42 },
      { query: '   ' },
      { query: 'x'.repeat(401) },
      { query: 'vpn', max_results: 0 },
      { query: 'vpn', max_results: 21 },
      { query: 'vpn', max_results: '5' },
      { query: 'vpn', max_results: 2.5 },
      { query: 'vpn', topic: 'sports' },
      { query: 'vpn', time_range: 'decade' },
      { query: 'vpn', include_domains: 'kb.switchboard.local' },
      { query: 'vpn', exclude_domains: [1] },
    ];
    for (const args of bad) assert.equal(WebSearchInputSchema.safeParse(args).success, false, JSON.stringify(args));
    assert.deepEqual(WebSearchInputSchema.parse({ query: ' vpn ' }), { query: 'vpn', max_results: 5, topic: 'general' });
    for (const args of [{}, { url: 7 }, { url: '' }]) assert.equal(FetchArticleInputSchema.safeParse(args).success, false);
  });

  test('include_domains and exclude_domains filter by host, normalising what a model may pass', async () => {
    assert.equal((await search({ query: 'vpn', include_domains: ['example.com'] })).results.length, 0);
    assert.equal((await search({ query: 'vpn', exclude_domains: ['switchboard.local'] })).results.length, 0);
    const included = await search({ query: 'vpn', include_domains: ['https://www.KB.switchboard.local/articles'] });
    assert.ok(included.results.length > 0);
  });

  test('time_range keeps only documents updated inside the window', async () => {
    const all = await search({ query: 'outlook', max_results: 20 });
    const recent = await search({ query: 'outlook', max_results: 20, time_range: 'month' });
    assert.ok(recent.results.length > 0 && recent.results.length < all.results.length);
    for (const result of recent.results) {
      assert.ok(NOW.getTime() - Date.parse(result.published_date ?? '') <= 31 * DAY_MS, result.published_date);
    }
  });

  test('topic news prefers recent notices', async () => {
    const general = await search({ query: 'vpn' });
    const news = await search({ query: 'vpn', topic: 'news' });
    assert.notEqual(general.results[0]?.url, `${KNOWLEDGE_BASE_URL}notice-vpn-gateway-migration`);
    assert.equal(news.results[0]?.url, `${KNOWLEDGE_BASE_URL}notice-vpn-gateway-migration`);
  });

  test('fetch_article returns the whole article for a result url', async () => {
    const context = recordingContext();
    const output = await fetchArticle.handler(
      FetchArticleInputSchema.parse({ url: `${KNOWLEDGE_BASE_URL}bitlocker-recovery-key/` }),
      context,
    );
    const article = FetchArticleOutputSchema.parse(output.structured);
    assert.equal(article.url, `${KNOWLEDGE_BASE_URL}bitlocker-recovery-key`);
    assert.equal(article.title, 'BitLocker recovery key requested at start-up');
    assert.match(article.content, /## Get your key/);
    assert.ok(article.content.split(/\s+/).length > 150);
    assert.equal(article.backend, 'local');
    assert.ok(context.progressEvents.length >= 1);
  });

  test('fetch_article with an unknown url is a ToolError that says what to pass instead', async () => {
    await assert.rejects(
      fetchArticle.handler(FetchArticleInputSchema.parse({ url: `${KNOWLEDGE_BASE_URL}no-such-article` }), recordingContext()),
      (error: unknown) => {
        assert.ok(error instanceof ToolError);
        assert.match(error.message, /no article at/);
        assert.match(error.hint ?? '', /web_search/);
        return true;
      },
    );
  });

  test('readiness names the backend and counts documents', async () => {
    const readiness = await agent.readiness?.();
    assert.equal(readiness?.ready, true);
    assert.equal(readiness?.backend, 'local');
    assert.ok((readiness?.documents as number) >= 150);
  });
});

describe('the default AgentFactory', () => {
  test('without TAVILY_API_KEY it searches the local knowledge base', async () => {
    const agent = await createAgent(loadEnv({}));
    try {
      assert.equal((await agent.readiness?.())?.backend, 'local');
    } finally {
      await agent.close?.();
    }
  });

  test('with TAVILY_API_KEY it uses Tavily at TAVILY_BASE_URL', async () => {
    const fake = await startFakeTavily();
    const agent = await createAgent(loadEnv({ TAVILY_API_KEY: fake.apiKey, TAVILY_BASE_URL: fake.url }));
    try {
      assert.equal((await agent.readiness?.())?.backend, 'tavily');
      const webSearch = agent.tools.find((tool) => tool.name === 'web_search');
      const output = await webSearch?.handler(WebSearchInputSchema.parse({ query: 'captive portal vpn' }), recordingContext());
      assert.equal((output?.structured as WebSearchOutput).backend, 'tavily');
      assert.equal(fake.requests[0]?.headers.authorization, `Bearer ${fake.apiKey}`);
    } finally {
      await agent.close?.();
      await fake.close();
    }
  });
});
