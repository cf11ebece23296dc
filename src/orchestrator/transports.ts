import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport as SdkTransport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { ServerEntry } from '../config/file.ts';
import { describeCause, STREAM_LOST, type FailureCause } from './connectionErrors.ts';
import { LazyJsonSchemaValidator } from './lazyValidator.ts';
import { createHttpFetch } from './httpFetch.ts';
import { withOwnSignal } from './ownSignal.ts';
import { createWatchedFetch } from './streamWatch.ts';
import { createOAuthFetch, oauthClientFor, type HeadlessOAuthProvider } from './oauthClient.ts';
import { fetchFor } from './tlsFetch.ts';

/**
 * The entry's fetch: undici with its TLS settings and a signal per request, or for `plainHttp`
 * node:http for http:// (see createHttpFetch); then its OAuth client (`provider`, else the one of its `auth`).
 */
function baseFetch(url: string, entry: ServerEntry, provider: HeadlessOAuthProvider | undefined, plainHttp: boolean) {
  const undici = withOwnSignal(fetchFor(entry));
  const fetch = plainHttp ? createHttpFetch(undici) : undici;
  const oauth = provider ?? (entry.auth ? oauthClientFor(entry.auth) : undefined);
  return oauth ? createOAuthFetch(oauth, url, fetch) : fetch;
}

/** The transport a connection speaks: Streamable HTTP, or the legacy HTTP+SSE one. */
export type WireTransport = 'http' | 'sse';

/** Statuses an old server answers a Streamable HTTP initialize with, per the spec's backwards-compatibility rule. */
const LEGACY_STATUSES = new Set([400, 404, 405]);

export interface OpenedClient {
  readonly client: Client;
  readonly transport: WireTransport;
  /** The endpoint that answered (for SSE, the stream's URL). */
  readonly url: string;
}

export interface OpenOptions {
  readonly entry: ServerEntry;
  readonly clientInfo: { name: string; version: string };
  readonly timeoutMs: number;
  /** Skip detection: what answered last time. */
  readonly known?: { transport: WireTransport; url: string };
  /** Authenticates with this OAuth client instead of the entry's `auth`. */
  readonly oauthProvider?: HeadlessOAuthProvider;
}

/** Every attempt to connect failed; the message lists each (transport, URL) with its cause. */
export class ConnectAttemptsError extends Error {
  readonly attempts: readonly { transport: WireTransport; url: string; cause: FailureCause }[];
  constructor(attempts: ConnectAttemptsError['attempts'], options?: { cause?: unknown }) {
    const describe = (a: ConnectAttemptsError['attempts'][number]) => {
      const label = a.transport === 'sse' ? 'legacy SSE' : 'Streamable HTTP';
      return `${label}${a.cause.text.includes(a.url) ? '' : ` at ${a.url}`}: ${a.cause.text}`;
    };
    super(attempts.length === 1 ? attempts[0]!.cause.text : attempts.map(describe).join('; '), options);
    this.attempts = attempts;
  }
}

function streamableTransport(url: string, entry: ServerEntry, provider?: HeadlessOAuthProvider): StreamableHTTPClientTransport {
  let transport: StreamableHTTPClientTransport | undefined = undefined;
  // A made-up error answer fails a request whose stream can no longer deliver the real one.
  const watch = createWatchedFetch(
    (id, why, cause) => {
      const detail = cause === undefined ? why : `${why}: ${describeCause(cause, url).text}`;
      transport?.onmessage?.({
        jsonrpc: '2.0',
        id,
        error: { code: ErrorCode.ConnectionClosed, message: detail, data: { [STREAM_LOST]: detail } },
      });
    },
    baseFetch(url, entry, provider, true),
  );
  transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: entry.headers }, fetch: watch.fetch });
  // Every message the SDK parsed passes the watch on its way to the client (set by Client.connect), so it knows which answers came.
  let onmessage: SdkTransport['onmessage'];
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    enumerable: true,
    get: () => onmessage,
    set: (handler: SdkTransport['onmessage']) => {
      onmessage =
        handler &&
        ((message, extra) => {
          watch.delivered(message);
          handler(message, extra);
        });
    },
  });
  return transport;
}

function sseTransport(url: string, entry: ServerEntry, provider?: HeadlessOAuthProvider): SSEClientTransport {
  // Headers go on the POSTs and (through the transport's common headers) on the GET that opens the stream.
  return new SSEClientTransport(new URL(url), {
    requestInit: { headers: entry.headers },
    // The legacy transport keeps undici: its stream's failures read as undici words them.
    fetch: baseFetch(url, entry, provider, false),
  });
}

/** `…/mcp` → `…/sse`, the legacy endpoint a server offering both usually has next to it; undefined otherwise. */
function legacySibling(url: string): string | undefined {
  const parsed = new URL(url);
  if (!/\/mcp\/?$/.test(parsed.pathname)) return undefined;
  parsed.pathname = parsed.pathname.replace(/mcp\/?$/, 'sse');
  return parsed.href;
}

/** Connects `client` over `transport` within `timeoutMs` (the SDK's own timeout covers initialize only, not an SSE stream that never opens). */
async function attempt(client: Client, transport: SdkTransport, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([client.connect(transport, { timeout: timeoutMs }), timedOut]);
  } catch (error) {
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens an MCP session with the server of `entry` over the transport it asks for. `auto` follows
 * the spec's backwards-compatibility rule: POST initialize (Streamable HTTP); when that answers
 * 400, 404 or 405, GET the same URL expecting an `endpoint` event (legacy HTTP+SSE), then, for a
 * URL ending in `/mcp`, the `/sse` next to it (as @langchain/mcp-adapters does). Throws a
 * {@link ConnectAttemptsError} listing every attempt and its cause.
 */
export async function openClient(options: OpenOptions): Promise<OpenedClient> {
  const { entry } = options;
  const plan: { transport: WireTransport; url: string }[] = options.known
    ? [options.known]
    : entry.transport === 'sse'
      ? [{ transport: 'sse', url: entry.url }]
      : [{ transport: 'http', url: entry.url }];
  const attempts: ConnectAttemptsError['attempts'][number][] = [];
  let last: unknown;
  for (let i = 0; i < plan.length; i++) {
    const step = plan[i]!;
    const client = new Client(options.clientInfo, { jsonSchemaValidator: new LazyJsonSchemaValidator() });
    const transport =
      step.transport === 'http'
        ? streamableTransport(step.url, entry, options.oauthProvider)
        : sseTransport(step.url, entry, options.oauthProvider);
    try {
      await attempt(client, transport, options.timeoutMs);
      return { client, transport: step.transport, url: step.url };
    } catch (error) {
      last = error;
      const cause = describeCause(error, step.url);
      attempts.push({ ...step, cause });
      const legacy = cause.status !== undefined && LEGACY_STATUSES.has(cause.status);
      if (!options.known && entry.transport === 'auto' && legacy) {
        if (step.transport === 'http') plan.push({ transport: 'sse', url: step.url });
        else if (step.url === entry.url) {
          const sibling = legacySibling(entry.url);
          if (sibling) plan.push({ transport: 'sse', url: sibling });
        }
      }
    }
  }
  throw new ConnectAttemptsError(attempts, { cause: last });
}
