import http from 'node:http';
import { Readable } from 'node:stream';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * Idle connections are dropped after 4 s, before a server's own keep-alive timeout (Node's
 * default is 5 s) can close one under a request just sent on it (undici's default too).
 */
const FREE_SOCKET_TIMEOUT_MS = 4_000;

const agent = new http.Agent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS });

/** Statuses whose response has no body (a Response refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

function responseHeaders(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/**
 * One plain-HTTP request over a keep-alive `node:http` agent, as a fetch `Response`: an event
 * stream streams, any other body is read whole first. Fails as fetch does: `TypeError('fetch
 * failed')` with the socket's error as its cause, or the signal's reason once aborted.
 */
function request(url: URL, init: RequestInit & { body?: string }): Promise<Response> {
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  const signal = init.signal ?? undefined;
  const send = (resolve: (response: Response) => void, reject: (error: unknown) => void) => {
    const failed = (error: unknown) => reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    const req = http.request(url, { method: init.method ?? 'GET', headers, agent, signal }, (res) => {
      const status = res.statusCode ?? 0;
      const meta = { status, statusText: res.statusMessage ?? '', headers: responseHeaders(res.rawHeaders) };
      if (NULL_BODY.has(status)) {
        res.resume();
        resolve(new Response(null, meta));
      } else if (res.headers['content-type']?.includes('text/event-stream')) {
        resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, meta));
      } else {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(new Response(Buffer.concat(chunks), meta)));
        res.on('error', failed);
      }
    });
    req.on('error', failed);
    req.end(init.body);
  };
  // As undici does before reusing an idle connection, the event loop reads what is pending first,
  // so a connection the server has closed (a restart) is dropped, not written to and failed as if
  // the server died mid-call. Two turns: a close the peer made at the end of this one arrives in the next.
  return new Promise((resolve, reject) => setImmediate(() => setImmediate(send, resolve, reject)));
}

/**
 * A fetch for the MCP client's plain `http://` requests that costs about a third less CPU than
 * the global one (undici's fetch builds a spec Request, a fetch controller and a body stream per
 * request; the SDK client's call spends much of its CPU there). It sends the same method,
 * headers and body and follows the same signal. A redirect is handed back as it came under
 * `redirect: 'manual'` (the SDK's transports follow redirects themselves, within the origin) and
 * otherwise repeated through `fallback`, which follows it; `https://` and other schemes, bodies
 * that are not strings and `redirect: 'error'` go to `fallback` straight away.
 */
export function createHttpFetch(fallback: FetchLike): FetchLike {
  return async (url, init) => {
    const target = typeof url === 'string' ? new URL(url) : url;
    const body = init?.body;
    const covered =
      target.protocol === 'http:' && (body === undefined || body === null || typeof body === 'string') && init?.redirect !== 'error';
    if (!covered) return fallback(url, init);
    const response = await request(target, { ...init, body: body ?? undefined });
    const redirected = response.status >= 300 && response.status < 400 && response.headers.has('location');
    if (!redirected || init?.redirect === 'manual') return response;
    await response.body?.cancel();
    return fallback(url, init);
  };
}
