import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ToolError, UpstreamError } from '../../../src/errors.ts';
import type { SearchQuery } from '../../../servers/search/backend.ts';
import { createSearchAgent, createTavilyBackend } from '../../../servers/search/index.ts';
import { WebSearchInputSchema, WebSearchOutputSchema } from '../../../servers/search/schemas.ts';
import { startFakeTavily, tavilyError, type FakeTavily } from '../../helpers/fakeTavily.ts';
import { recordingContext } from '../../helpers/toolContext.ts';

const query = (overrides: Partial<SearchQuery> = {}): SearchQuery => ({
  query: 'sso login loop',
  maxResults: 5,
  topic: 'general',
  includeDomains: [],
  excludeDomains: [],
  ...overrides,
});

describe('Tavily backend against a local fake of the Tavily API', () => {
  let fake: FakeTavily;
  before(async () => {
    fake = await startFakeTavily();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });
  const backend = (options: { apiKey?: string; timeoutMs?: number } = {}) =>
    createTavilyBackend({ apiKey: options.apiKey ?? fake.apiKey, baseUrl: fake.url, timeoutMs: options.timeoutMs, rateLimitRetryMs: 5 });

  test("sends Tavily's request shape with Bearer auth and maps the results", async () => {
    const hits = await backend().search(
      query({
        topic: 'news',
        maxResults: 3,
        timeRange: 'month',
        includeDomains: ['example.com', 'okta.example'],
        excludeDomains: ['vpn.example'],
      }),
    );
    const [request] = fake.requests;
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/search');
    assert.equal(request.headers.authorization, `Bearer ${fake.apiKey}`);
    assert.match(String(request.headers['content-type']), /application\/json/);
    assert.deepEqual(Object.fromEntries(Object.entries(request.body as object).filter(([, value]) => value !== undefined)), {
      query: 'sso login loop',
      search_depth: 'basic',
      topic: 'news',
      max_results: 3,
      time_range: 'month',
      include_domains: ['example.com', 'okta.example'],
      exclude_domains: ['vpn.example'],
      include_answer: false,
      include_raw_content: false,
    });
    assert.equal(hits.length, 2);
    assert.deepEqual(
      hits.find((hit) => hit.url.includes('learn.example.com')),
      {
        title: 'Fix SSO redirect loops in Microsoft Entra ID',
        url: 'https://learn.example.com/entra/sso-redirect-loop',
        content: 'A sign-in redirect loop usually comes from stale cookies or blocked third-party cookies.',
        score: 0.653,
        publishedDate: '2026-11-04T09:30:00.000Z',
      },
    );
    for (const hit of hits) assert.ok(hit.score >= 0 && hit.score <= 1);
  });

  test('leaves empty domain lists out of the request', async () => {
    await backend().search(query());
    const body = fake.requests[0]?.body as Record<string, unknown>;
    assert.equal('include_domains' in body, false);
    assert.equal('exclude_domains' in body, false);
  });

  test('a bad key (401) becomes an UpstreamError naming TAVILY_API_KEY', async () => {
    const error = await backend({ apiKey: 'tvly-wrong' })
      .search(query())
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    assert.ok(error instanceof UpstreamError, String(error));
    assert.equal(error.service, 'tavily');
    assert.equal(error.status, 401);
    assert.match(error.message, /API key/);
    assert.match(error.hint ?? '', /TAVILY_API_KEY/);
    assert.equal(fake.requests.length, 1, 'auth failures are not retried');
  });

  test("a 400 becomes a ToolError carrying Tavily's message so the caller can fix the call", async () => {
    fake.enqueue(tavilyError(400, { message: 'Query is too long. Max query length is 400 characters.' }));
    await assert.rejects(backend().search(query()), (error: unknown) => {
      assert.ok(error instanceof ToolError, String(error));
      assert.match(error.message, /Query is too long/);
      return true;
    });
  });

  test('a 429 is retried once after a short wait, and the retry is reported', async () => {
    fake.enqueue(tavilyError(429, { retryAfter: 1 }));
    const progress: string[] = [];
    const hits = await backend().search(query(), { onProgress: (message) => void progress.push(message) });
    assert.equal(fake.requests.length, 2);
    assert.ok(hits.length > 0);
    assert.match(progress.join('\n'), /rate limit.*retrying once/i);
  });

  test('a second 429 surfaces an actionable rate-limit error without further retries', async () => {
    fake.enqueue(tavilyError(429, { retryAfter: 30 }), tavilyError(429, { retryAfter: 30 }));
    await assert.rejects(backend().search(query()), (error: unknown) => {
      assert.ok(error instanceof UpstreamError, String(error));
      assert.equal(error.status, 429);
      assert.match(error.message, /rate limit.*retry/i);
      assert.match(error.hint ?? '', /wait/);
      return true;
    });
    assert.equal(fake.requests.length, 2);
  });

  test('plan and pay-as-you-go limits (432/433) are not retried and say where to raise them', async () => {
    for (const status of [432, 433]) {
      fake.requests.length = 0;
      fake.enqueue(tavilyError(status));
      await assert.rejects(backend().search(query()), (error: unknown) => {
        assert.ok(error instanceof UpstreamError, String(error));
        assert.match(error.message, /usage limit|limit/);
        assert.match(error.hint ?? '', /dashboard/);
        return true;
      });
      assert.equal(fake.requests.length, 1);
    }
  });

  test("a 500 becomes an UpstreamError that says the fault is Tavily's", async () => {
    fake.enqueue(tavilyError(500));
    await assert.rejects(backend().search(query()), (error: unknown) => {
      assert.ok(error instanceof UpstreamError, String(error));
      assert.match(error.message, /Tavily failed to search: Internal Server Error/);
      assert.match(error.hint ?? '', /try again/);
      return true;
    });
  });

  test('a slow answer hits the timeout and becomes an UpstreamError', async () => {
    fake.enqueue({ status: 200, body: {}, delayMs: 10_000 });
    await assert.rejects(backend({ timeoutMs: 200 }).search(query()), (error: unknown) => {
      assert.ok(error instanceof UpstreamError, String(error));
      assert.match(error.message, /did not answer the search within 0\.2 s/);
      return true;
    });
  });

  test('an unreachable endpoint names TAVILY_BASE_URL', async () => {
    const closed = await startFakeTavily();
    await closed.close();
    const unreachable = createTavilyBackend({ apiKey: 'k', baseUrl: closed.url, timeoutMs: 2_000 });
    await assert.rejects(unreachable.search(query()), (error: unknown) => {
      assert.ok(error instanceof UpstreamError, String(error));
      assert.match(error.message, /cannot reach Tavily/);
      assert.match(error.hint ?? '', /TAVILY_BASE_URL/);
      return true;
    });
  });

  test('stops waiting as soon as the caller aborts', async () => {
    fake.enqueue({ status: 200, body: {}, delayMs: 10_000 });
    const controller = new AbortController();
    const pending = backend().search(query(), { signal: controller.signal });
    await fake.received(1);
    controller.abort(new Error('caller gave up'));
    await assert.rejects(pending, /caller gave up/);
  });

  test('fetches an article through POST /extract', async () => {
    const article = await backend().fetchArticle('https://learn.example.com/entra/sso-redirect-loop');
    const [request] = fake.requests;
    assert.equal(request?.path, '/extract');
    assert.equal(request?.headers.authorization, `Bearer ${fake.apiKey}`);
    assert.deepEqual((request?.body as { urls: unknown }).urls, ['https://learn.example.com/entra/sso-redirect-loop']);
    assert.equal(article.title, 'Fix SSO redirect loops in Microsoft Entra ID');
    assert.match(article.content, /Clear cookies/);
  });

  test('an url Tavily cannot extract becomes a ToolError', async () => {
    await assert.rejects(backend().fetchArticle('https://nowhere.example/page'), (error: unknown) => {
      assert.ok(error instanceof ToolError, String(error));
      assert.match(error.message, /could not extract https:\/\/nowhere\.example\/page: Failed to fetch url/);
      return true;
    });
  });

  test('the agent built with a key uses Tavily and says so in results and readiness', async () => {
    const agent = await createSearchAgent({ tavilyApiKey: fake.apiKey, tavilyBaseUrl: fake.url });
    const webSearch = agent.tools.find((tool) => tool.name === 'web_search');
    assert.ok(webSearch);
    assert.equal(webSearch.annotations.openWorldHint, true);
    const context = recordingContext();
    const output = await webSearch.handler(WebSearchInputSchema.parse({ query: 'vpn public wifi' }), context);
    const structured = WebSearchOutputSchema.parse(output.structured);
    assert.equal(structured.backend, 'tavily');
    assert.equal(structured.results[0]?.url, 'https://blog.vpn.example/public-wifi');
    assert.match(output.text, /VPN troubleshooting on public Wi-Fi/);
    assert.ok(context.progressEvents.length >= 2);
    assert.deepEqual(await agent.readiness?.(), { ready: true, backend: 'tavily', baseUrl: fake.url });
    await agent.close?.();
  });
});
