import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A page the fake search engine knows. */
export interface FakeTavilyDocument {
  readonly title: string;
  readonly url: string;
  readonly content: string;
  readonly rawContent?: string;
  readonly publishedDate?: string;
}

/** A canned answer for the next request, replacing the normal behaviour. */
export interface ScriptedResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long before answering (the client's timeout is what is being tested). */
  readonly delayMs?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface FakeTavily {
  /** Base url to pass as `TAVILY_BASE_URL` / `apiBaseURL`. */
  readonly url: string;
  readonly apiKey: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Answer the next requests with these, in order, after recording them. */
  enqueue(...responses: ScriptedResponse[]): void;
  /** Resolves once `count` requests in total have been received. */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Error bodies as Tavily documents them: `{ "detail": { "error": "..." } }`. */
export const TAVILY_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  400: "Invalid topic. Must be 'general', 'news' or 'finance'.",
  401: 'Unauthorized: missing or invalid API key.',
  429: 'Your request has been blocked due to excessive requests. Please reduce rate of requests.',
  432: "This request exceeds your plan's set usage limit. Please upgrade your plan or contact support@tavily.com",
  433: 'This request exceeds the pay-as-you-go limit. You can increase your limit on the Tavily dashboard.',
  500: 'Internal Server Error',
};

/** A scripted Tavily error with its documented body; `retryAfter` adds a `Retry-After` header. */
export function tavilyError(status: number, options: { retryAfter?: number; message?: string; delayMs?: number } = {}): ScriptedResponse {
  return {
    status,
    body: { detail: { error: options.message ?? TAVILY_ERROR_MESSAGES[status] ?? `Error ${status}` } },
    ...(options.retryAfter === undefined ? {} : { headers: { 'retry-after': String(options.retryAfter) } }),
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
  };
}

const DEFAULT_DOCUMENTS: readonly FakeTavilyDocument[] = [
  {
    title: 'Fix SSO redirect loops in Microsoft Entra ID',
    url: 'https://learn.example.com/entra/sso-redirect-loop',
    content: 'A sign-in redirect loop usually comes from stale cookies or blocked third-party cookies.',
    rawContent: '# Fix SSO redirect loops\n\nClear cookies for login.microsoftonline.com, allow third-party cookies, and check the clock.',
    publishedDate: 'Tue, 04 Nov 2026 09:30:00 GMT',
  },
  {
    title: 'Troubleshoot SSO login loops with Okta',
    url: 'https://support.okta.example/sso-login-loop',
    content: 'Users stuck in an SSO login loop should clear the session and retry in a private window.',
    publishedDate: 'Mon, 13 Oct 2026 12:00:00 GMT',
  },
  {
    title: 'VPN troubleshooting on public Wi-Fi',
    url: 'https://blog.vpn.example/public-wifi',
    content: 'Captive portals block VPN tunnels until you accept the terms in a browser.',
  },
];

const SEARCH_DEPTHS = ['basic', 'advanced', 'fast', 'ultra-fast'];
const TOPICS = ['general', 'news', 'finance'];
const TIME_RANGES = ['day', 'week', 'month', 'year', 'd', 'w', 'm', 'y'];

function hostMatches(url: string, domains: unknown): boolean {
  const host = new URL(url).hostname;
  return Array.isArray(domains) && domains.some((domain) => host === domain || host.endsWith(`.${String(domain)}`));
}

/** Validates a /search body the way Tavily does; returns an error message or undefined. */
function invalidSearch(body: Record<string, unknown>): string | undefined {
  if (typeof body.query !== 'string' || body.query.trim() === '') return 'Query is missing.';
  if (body.query.length > 400) return 'Query is too long. Max query length is 400 characters.';
  const max = body.max_results;
  if (max !== undefined && (!Number.isInteger(max) || (max as number) < 0 || (max as number) > 20))
    return 'max_results must be between 0 and 20.';
  if (body.topic !== undefined && !TOPICS.includes(body.topic as string)) return TAVILY_ERROR_MESSAGES[400];
  if (body.time_range !== undefined && !TIME_RANGES.includes(body.time_range as string)) return 'Invalid time_range.';
  if (body.search_depth !== undefined && !SEARCH_DEPTHS.includes(body.search_depth as string)) return 'Invalid search_depth.';
  for (const key of ['include_domains', 'exclude_domains']) {
    if (body[key] !== undefined && !(Array.isArray(body[key]) && (body[key] as unknown[]).every((d) => typeof d === 'string')))
      return `${key} must be a list of strings.`;
  }
  return undefined;
}

function search(body: Record<string, unknown>, documents: readonly FakeTavilyDocument[]): unknown {
  const words = String(body.query)
    .toLowerCase()
    .split(/\W+/)
    .filter((word) => word.length > 2);
  const results = documents
    .filter((doc) => body.include_domains === undefined || hostMatches(doc.url, body.include_domains))
    .filter((doc) => body.exclude_domains === undefined || !hostMatches(doc.url, body.exclude_domains))
    .map((doc) => {
      const text = `${doc.title} ${doc.content}`.toLowerCase();
      const score = words.length ? words.filter((word) => text.includes(word)).length / words.length : 0;
      return { doc, score };
    })
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, (body.max_results as number | undefined) ?? 5)
    .map(({ doc, score }) => ({
      title: doc.title,
      url: doc.url,
      content: doc.content,
      score: Math.round(score * 0.98 * 1000) / 1000,
      raw_content: null,
      ...(body.topic === 'news' && doc.publishedDate ? { published_date: doc.publishedDate } : {}),
    }));
  return { query: body.query, follow_up_questions: null, answer: null, images: [], results, response_time: 0.42, request_id: randomUUID() };
}

function extract(body: Record<string, unknown>, documents: readonly FakeTavilyDocument[]): unknown {
  const urls = Array.isArray(body.urls) ? (body.urls as string[]) : [String(body.urls)];
  const known = urls.map((url) => [url, documents.find((doc) => doc.url === url)] as const);
  return {
    results: known
      .filter(([, doc]) => doc)
      .map(([url, doc]) => ({ url, title: doc?.title, raw_content: doc?.rawContent ?? doc?.content, images: [] })),
    failed_results: known.filter(([, doc]) => !doc).map(([url]) => ({ url, error: 'Failed to fetch url' })),
    response_time: 0.31,
    request_id: randomUUID(),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Starts a local HTTP server on 127.0.0.1, port 0, that speaks Tavily's search API:
 * `POST /search` and `POST /extract` with `Authorization: Bearer <apiKey>`, Tavily's JSON
 * shapes and its documented error bodies. Scripted responses inject failures and delays.
 */
export async function startFakeTavily(options: { apiKey?: string; documents?: readonly FakeTavilyDocument[] } = {}): Promise<FakeTavily> {
  const apiKey = options.apiKey ?? 'tvly-test-key';
  const documents = options.documents ?? DEFAULT_DOCUMENTS;
  const requests: RecordedRequest[] = [];
  const scripted: ScriptedResponse[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const record = (request: RecordedRequest) => {
    requests.push(request);
    for (const waiter of waiters.filter((candidate) => requests.length >= candidate.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        body = undefined;
      }
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      record({ method: req.method ?? '', path, headers: req.headers, body });

      const next = scripted.shift();
      if (next) {
        const answer = () => send(res, next.status, next.body ?? {}, next.headers);
        if (!next.delayMs) return answer();
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answer();
        }, next.delayMs);
        timers.add(timer);
        return undefined;
      }
      if (req.method !== 'POST' || (path !== '/search' && path !== '/extract')) return send(res, 404, { detail: 'Not Found' });
      if (req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, { detail: { error: TAVILY_ERROR_MESSAGES[401] } });
      if (typeof body !== 'object' || body === null) return send(res, 400, { detail: { error: 'Request body must be JSON.' } });
      const fields = body as Record<string, unknown>;
      if (path === '/extract') return send(res, 200, extract(fields, documents));
      const problem = invalidSearch(fields);
      return problem ? send(res, 400, { detail: { error: problem } }) : send(res, 200, search(fields, documents));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    enqueue: (...responses) => void scripted.push(...responses),
    received: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => void waiters.push({ count, resolve })),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
