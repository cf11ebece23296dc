import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { SERVER_INFO_META_KEY, classifyInboundRequest, createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { AgentDefinition, Identity } from './agent.ts';
import { LOG_LEVEL_META_KEY, authInfoFor, type BuildServerHooks } from './buildServer.ts';
import { JSONRPC_INVALID_PARAMS, type RequestId } from './jsonrpc.ts';
import { buildModernServer } from './modernServer.ts';
import type { MuxTransport, ResponseSink } from './muxTransport.ts';
import { PostSink } from './postSink.ts';
import { invalidParams } from './requestParams.ts';
import { newStreamId } from './session.ts';
import { SseStream } from './sseStream.ts';

const SDK_URL = 'http://localhost/mcp';

/** The revision the kit answers itself; anything else the SDK answers (or refuses, as the spec says). */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

export interface ModernEraOptions {
  readonly agent: AgentDefinition;
  readonly hooks: BuildServerHooks;
  readonly maxBodyBytes: number;
  /**
   * The kit's own server for the hot methods (`tools/call`, `tools/list`): a shared SDK v1 server
   * on a {@link MuxTransport}, whose answers get the 2026-07-28 result fields. Undefined: every
   * modern request goes through the SDK v2 handler (slower; kept to compare them).
   */
  readonly fastPath: MuxTransport | undefined;
  /** Requests the SDK refused or failed on, for the log (never changes an answer). */
  readonly onError?: (error: Error) => void;
}

/** The 2026-07-28 era of an agent's `/mcp`: requests that carry its per-request envelope. */
export interface ModernEra {
  /**
   * Serves `body` when the spec's dual-era rules make it a 2026-07-28 request (or one the modern
   * era must refuse: an unsupported version, headers that disagree with the body); false when it
   * is 2025-era traffic, left untouched for the session transport.
   */
  serve(req: IncomingMessage, res: ServerResponse, identity: Identity, body: unknown): false | Promise<boolean>;
  /** Tells every open `subscriptions/listen` stream that the tool list changed. */
  toolsChanged(): void;
  /** Ends open listen streams and in-flight modern exchanges. */
  close(): Promise<void>;
}

type Request = JSONRPCMessage & { id: RequestId; method: string; params?: Record<string, unknown> };

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim();
}

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

/** Writes a fetch `Response` (a JSON body or an SSE stream) to a Node response. */
function writeResponse(response: Response, res: ServerResponse): void {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  res.once('close', () => body.destroy());
  body.on('error', () => res.destroy());
  body.pipe(res);
}

const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
const CLIENT_INFO_KEY = 'io.modelcontextprotocol/clientInfo';
const CLIENT_CAPABILITIES_KEY = 'io.modelcontextprotocol/clientCapabilities';
/** The envelope keys the SDK validates (besides `progressToken`); other `_meta` keys pass through. */
const ENVELOPE_KEYS = [PROTOCOL_VERSION_KEY, CLIENT_INFO_KEY, CLIENT_CAPABILITIES_KEY, LOG_LEVEL_META_KEY];
/** Distinct envelopes remembered as valid (a client sends the same one every time); past it the memory starts over. */
const MAX_REMEMBERED_ENVELOPES = 1024;

function metaOf(params: unknown): Record<string, unknown> | undefined {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return undefined;
  const meta = (params as Record<string, unknown>)['_meta'];
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : undefined;
}

/**
 * Whether the spec's dual-era rules could make this a 2026-07-28 request: its `_meta` claims the
 * envelope, or its protocol-version header names a modern revision. Neither: 2025 traffic, and the
 * SDK's classifier (which costs as much as the rest of a call) is not asked.
 */
function mayBeModern(req: IncomingMessage, params: unknown): boolean {
  const meta = metaOf(params);
  if (meta !== undefined && PROTOCOL_VERSION_KEY in meta) return true;
  const version = header(req, 'mcp-protocol-version');
  return version !== undefined && version >= MODERN_PROTOCOL_VERSION;
}

/**
 * Whether the kit may answer this request itself: a 2026-07-28 `tools/call` of a tool the agent has,
 * or a first-page `tools/list`, with the standard headers present and equal to the body and an
 * envelope the SDK's classifier has accepted before. Everything else (errors to refuse, other
 * methods, encoded header values, envelopes not seen yet) goes to the SDK, which owns the spec's
 * validation ladder: the fast path never answers what the SDK would refuse.
 */
function fastPathable(req: IncomingMessage, message: Request, tools: ReadonlySet<string>, envelopes: EnvelopeMemory): boolean {
  const { method, params } = message;
  if (header(req, 'mcp-protocol-version') !== MODERN_PROTOCOL_VERSION || header(req, 'mcp-method') !== method) return false;
  if (method === 'tools/call') {
    const name = params?.['name'];
    if (typeof name !== 'string' || !tools.has(name) || header(req, 'mcp-name') !== name) return false;
  } else if (method !== 'tools/list' || params?.['cursor'] !== undefined || req.headers['mcp-name'] !== undefined) return false;
  const meta = metaOf(params);
  if (meta?.[PROTOCOL_VERSION_KEY] !== MODERN_PROTOCOL_VERSION) return false;
  const token = meta['progressToken'];
  if (token !== undefined && typeof token !== 'string' && !Number.isSafeInteger(token)) return false;
  return envelopes.valid(meta);
}

/** Remembers which envelopes the SDK's classifier accepts, so a client's every call need not be re-validated. */
class EnvelopeMemory {
  private readonly known = new Map<string, boolean>();

  valid(meta: Record<string, unknown>): boolean {
    const envelope: Record<string, unknown> = {};
    for (const key of ENVELOPE_KEYS) if (key in meta) envelope[key] = meta[key];
    const key = JSON.stringify(envelope);
    let valid = this.known.get(key);
    if (valid === undefined) {
      const outcome = classifyInboundRequest({
        httpMethod: 'POST',
        protocolVersionHeader: MODERN_PROTOCOL_VERSION,
        mcpMethodHeader: 'tools/list',
        body: { jsonrpc: '2.0', id: 0, method: 'tools/list', params: { _meta: envelope } },
      });
      valid = outcome.kind === 'modern';
      if (this.known.size >= MAX_REMEMBERED_ENVELOPES) this.known.clear();
      this.known.set(key, valid);
    }
    return valid;
  }
}

/**
 * The request as the handlers see it: the envelope's protocol version, client info and capabilities
 * lifted out of `_meta` (as the SDK v2 does; they are the transport's business), `progressToken`,
 * the log level and any foreign keys left in. Also spares the v1 server parsing them.
 */
function liftEnvelope(message: Request): Request {
  const {
    [PROTOCOL_VERSION_KEY]: _version,
    [CLIENT_INFO_KEY]: _info,
    [CLIENT_CAPABILITIES_KEY]: _capabilities,
    ...rest
  } = metaOf(message.params)!;
  return { ...message, params: { ...message.params, _meta: rest } };
}

/** The 2026-07-28 fields on a result the SDK v1 server produced: `resultType` and the server's identity. */
function modernAnswer(message: JSONRPCMessage, serverInfo: { name: string; version: string }): JSONRPCMessage {
  if (!('result' in message)) return message;
  const result = message.result as Record<string, unknown>;
  const meta = result['_meta'] as Record<string, unknown> | undefined;
  return {
    result: { ...result, resultType: 'complete', _meta: { ...meta, [SERVER_INFO_META_KEY]: serverInfo } },
    jsonrpc: '2.0',
    id: message.id,
  } as JSONRPCMessage;
}

/**
 * The modern era: the kit answers the hot methods itself (see {@link fastPathable}) and mounts the
 * official SDK v2 `createMcpHandler`, strict mode, for the rest — `server/discover`,
 * `subscriptions/listen`, and every refusal the spec defines. 2025 traffic never reaches either:
 * the kit's session transport serves it. Both get the body the kit already read under its caps,
 * behind its Origin/Host and bearer checks.
 */
export function createModernEra(options: ModernEraOptions): ModernEra {
  const { agent, fastPath } = options;
  const serverInfo = { name: agent.name, version: agent.version };
  const tools = new Set(agent.tools.map((tool) => tool.name));
  const handler: McpHttpHandler = createMcpHandler(() => buildModernServer(agent, options.hooks), {
    legacy: 'reject',
    maxRequestBodySize: options.maxBodyBytes,
    onerror: options.onError,
  });
  /** The `tools/list` result as the SDK renders it (cache hints included), asked once per change. */
  let toolList: Promise<string> | undefined;
  const envelopes = new EnvelopeMemory();

  const viaSdk = async (req: IncomingMessage, res: ServerResponse, identity: Identity, body: unknown) => {
    const aborted = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    // The SDK reads no part of the URL; a fixed one keeps a Host header the policy let through from mattering here.
    const request = new globalThis.Request(SDK_URL, {
      method: 'POST',
      headers: webHeaders(req),
      signal: aborted.signal,
    });
    writeResponse(await handler.fetch(request, { parsedBody: body, authInfo: authInfoFor(identity) }), res);
  };

  const renderToolList = async (): Promise<string> => {
    const meta = { [PROTOCOL_VERSION_KEY]: MODERN_PROTOCOL_VERSION, [CLIENT_CAPABILITIES_KEY]: {} };
    const response = await handler.fetch(
      new globalThis.Request(SDK_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'mcp-protocol-version': MODERN_PROTOCOL_VERSION, 'mcp-method': 'tools/list' },
      }),
      { parsedBody: { jsonrpc: '2.0', id: 0, method: 'tools/list', params: { _meta: meta } } },
    );
    const answer = (await response.json()) as { result?: unknown };
    if (!answer.result) throw new Error(`the SDK would not list the tools of ${agent.name}: ${JSON.stringify(answer)}`);
    return JSON.stringify(answer.result);
  };

  const listTools = async (res: ServerResponse, id: RequestId) => {
    toolList ??= renderToolList().catch((error: unknown) => {
      toolList = undefined;
      throw error;
    });
    const body = `{"result":${await toolList},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  };

  const callTool = (transport: MuxTransport, res: ServerResponse, message: Request, identity: Identity) => {
    // Past every edge check of the ladder, malformed params are its in-band -32602, in the words the 2025 era uses.
    const problem = invalidParams(message.method, message.params);
    if (problem !== undefined) {
      const body = JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: JSONRPC_INVALID_PARAMS, message: problem } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      return;
    }
    const pending: { id?: number } = {};
    const post = new PostSink({
      res,
      headers: {},
      // 2026-07-28 has no resumption: a stream that breaks loses the request, and the client re-issues it.
      resumable: false,
      prime: false,
      slowWatch: undefined,
      openStream: () => new SseStream(newStreamId(), { store: undefined }),
      onAbandoned: () => {
        if (pending.id !== undefined) transport.cancel(pending.id, 'the HTTP client disconnected');
      },
    });
    const sink: ResponseSink = {
      event: (event) => post.event(event),
      final: (answer) => post.final(modernAnswer(answer, serverInfo)),
    };
    // Filled once the transport took the request; if that throws, a close of the response must not throw too.
    pending.id = transport.request(liftEnvelope(message), sink, { authInfo: authInfoFor(identity) });
  };

  const serveModern = async (req: IncomingMessage, res: ServerResponse, identity: Identity, body: unknown): Promise<boolean> => {
    const message = body as Request;
    if (fastPath && 'id' in message && fastPathable(req, message, tools, envelopes)) {
      if (message.method === 'tools/list') await listTools(res, message.id);
      else callTool(fastPath, res, message, identity);
      return true;
    }
    const outcome = classifyInboundRequest({
      httpMethod: 'POST',
      protocolVersionHeader: header(req, 'mcp-protocol-version'),
      mcpMethodHeader: header(req, 'mcp-method'),
      mcpNameHeader: header(req, 'mcp-name'),
      body,
    });
    if (outcome.kind === 'legacy') return false;
    await viaSdk(req, res, identity, body);
    return true;
  };

  return {
    // 2025 traffic is told so at once (false, not a promise): it is most requests, and an await is not free.
    serve(req, res, identity, body) {
      if (!mayBeModern(req, (body as Request).params)) return false;
      return serveModern(req, res, identity, body);
    },
    toolsChanged: () => {
      toolList = undefined;
      handler.notify.toolsChanged();
    },
    close: () => handler.close(),
  };
}
