import type { IncomingMessage, ServerResponse } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage, type MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { UpstreamError } from '../errors.ts';
import type { Identity } from './agent.ts';
import { authInfoFor } from './buildServer.ts';
import type { EventStore } from './eventStore.ts';
import { parseEventId } from './eventStore.ts';
import { readMessage } from './httpBody.ts';
import {
  JSONRPC_INVALID_PARAMS,
  JSONRPC_INVALID_REQUEST,
  MCP_SERVER_ERROR,
  MCP_SESSION_NOT_FOUND,
  sendJsonRpcError,
  type RequestId,
} from './jsonrpc.ts';
import type { MuxTransport } from './muxTransport.ts';
import { PostSink, type SlowAnswerWatch } from './postSink.ts';
import { invalidParams } from './requestParams.ts';
import { McpSession, newStreamId } from './session.ts';
import { refuseAdmission } from './admission.ts';
import type { ModernEra } from './modernEra.ts';
import type { Lookup, SessionManager } from './sessionManager.ts';
import type { SharedSessions } from './sharedSessions.ts';
import { SseStream } from './sseStream.ts';
import { sendRefusal, type AuthRefusal } from './requestAuth.ts';

/** Whether the caller may make a request (scopes per tool): a refusal to answer with, or undefined. */
export type RefuseCall = (
  req: IncomingMessage,
  method: string,
  params: Record<string, unknown> | undefined,
  identity: Identity,
) => AuthRefusal | undefined;

export interface StreamableHttpOptions {
  /** Stateless: one shared server and transport, no session ids, no GET stream. */
  readonly stateless: { readonly transport: MuxTransport } | undefined;
  readonly sessions: SessionManager;
  readonly createSession: (identity: Identity, client: string) => Promise<McpSession>;
  /** Who a new session counts against for the per-client cap. */
  readonly clientOf: (req: IncomingMessage, identity: Identity) => string;
  readonly store: EventStore | undefined;
  readonly maxBodyBytes: number;
  readonly slowWatch: SlowAnswerWatch | undefined;
  readonly isDraining: () => boolean;
  /** Sessions shared with other replicas through Redis; undefined: this process's own. */
  readonly shared?: SharedSessions;
  /** A refusal (403 insufficient_scope) for a request the caller may not make; undefined: go on. */
  readonly refuseCall?: RefuseCall;
  /** The 2026-07-28 era, asked about every POST the scope check lets through (the spec decides per request). Default: 2025 only. */
  readonly modern?: ModernEra;
}

const supported = new Set<string>(SUPPORTED_PROTOCOL_VERSIONS);
const STREAM_UNKNOWN = 'Bad Request: Last-Event-ID names no stream of this session (it ended long ago, or belongs elsewhere)';
const FIRST_RESUMABLE_VERSION = '2025-11-25';

function acceptsBoth(accept: string | undefined): boolean {
  if (!accept) return false;
  return (
    (accept.includes('application/json') || accept.includes('*/*')) && (accept.includes('text/event-stream') || accept.includes('*/*'))
  );
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The `/mcp` endpoint: POST, GET and DELETE of MCP Streamable HTTP (2025-11-25). */
export function createStreamableHttpHandler(options: StreamableHttpOptions) {
  const { sessions, store, shared } = options;

  function badProtocolVersion(req: IncomingMessage, res: ServerResponse): boolean {
    const version = headerOf(req, 'mcp-protocol-version');
    if (version === undefined || supported.has(version)) return false;
    sendJsonRpcError(
      res,
      400,
      MCP_SERVER_ERROR,
      `Bad Request: unsupported MCP-Protocol-Version "${version}" (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
    );
    return true;
  }

  /** The request's session, or undefined once answered; a promise only when sessions are shared (an await is not free). */
  function findSession(
    req: IncomingMessage,
    res: ServerResponse,
    identity: Identity,
  ): McpSession | undefined | Promise<McpSession | undefined> {
    const id = headerOf(req, 'mcp-session-id');
    if (!id) {
      sendJsonRpcError(res, 400, MCP_SERVER_ERROR, 'Bad Request: Mcp-Session-Id header is required (initialize first)');
      return undefined;
    }
    if (shared) return shared.resolve(id, identity).then((lookup) => found(res, lookup));
    return found(res, sessions.get(id, identity, McpSession));
  }

  function found(res: ServerResponse, lookup: Lookup<McpSession>): McpSession | undefined {
    if ('missing' in lookup) {
      // A session of another identity is answered like an unknown one: ids are not to be probed.
      sendJsonRpcError(res, 404, MCP_SESSION_NOT_FOUND, 'Session not found: it expired or was closed; initialize a new session');
      return undefined;
    }
    lookup.found.touch();
    return lookup.found;
  }

  /** Hands a request to the session's server (or the stateless one); the answer goes to `res`. */
  function deliver(
    session: McpSession | undefined,
    res: ServerResponse,
    message: JSONRPCMessage & { id: RequestId; method: string; params?: Record<string, unknown> },
    identity: Identity,
    protocolVersion: string,
  ): void {
    const headers: Record<string, string> = session ? { 'mcp-session-id': session.id } : {};
    const problem = invalidParams(message.method, message.params);
    if (problem !== undefined) {
      answer(res, headers, { jsonrpc: '2.0', id: message.id, error: { code: JSONRPC_INVALID_PARAMS, message: problem } });
      return;
    }
    const transport = session?.transport ?? options.stateless!.transport;
    const resumable = session !== undefined && store !== undefined;
    // Set once the transport took the request: if `request` throws, a later disconnect has nothing to cancel.
    const taken: { id?: number } = {};
    const sink = new PostSink({
      res,
      headers,
      resumable,
      prime: resumable && protocolVersion >= FIRST_RESUMABLE_VERSION,
      slowWatch: resumable ? options.slowWatch : undefined,
      openStream: () => session?.openPostStream(message.id) ?? new SseStream(newStreamId(), { store: undefined }),
      onAbandoned: () => {
        if (taken.id !== undefined) transport.cancel(taken.id, 'the HTTP client disconnected');
      },
    });
    taken.id = transport.request(message, sink, { authInfo: authInfoFor(identity) });
  }

  async function post(req: IncomingMessage, res: ServerResponse, identity: Identity): Promise<void> {
    if (!acceptsBoth(headerOf(req, 'accept'))) {
      sendJsonRpcError(
        res,
        406,
        MCP_SERVER_ERROR,
        'Not Acceptable: the Accept header must list both application/json and text/event-stream',
      );
      return;
    }
    const classified = await readMessage(req, res, options.maxBodyBytes);
    if (!classified) return;
    const { kind } = classified;
    const message = classified.message as JSONRPCMessage & { id: RequestId; method: string; params?: Record<string, unknown> };
    // Before the era is decided: a token without the tool's scope is refused alike in both.
    const refused = kind === 'request' ? options.refuseCall?.(req, message.method, message.params, identity) : undefined;
    if (refused) {
      sendRefusal(res, refused);
      return;
    }
    const modern = options.modern?.serve(req, res, identity, classified.message);
    if (modern && (await modern)) return;
    const isInitialize = kind === 'request' && message.method === 'initialize';
    if (!isInitialize && badProtocolVersion(req, res)) return;
    const protocolVersion = isInitialize
      ? String(message.params?.['protocolVersion'] ?? '')
      : (headerOf(req, 'mcp-protocol-version') ?? '2025-03-26');
    const extra: MessageExtraInfo = { authInfo: authInfoFor(identity) };

    if (options.stateless) {
      const { transport } = options.stateless;
      if (kind === 'request') deliver(undefined, res, message, identity, protocolVersion);
      else accept(res, () => (kind === 'notification' ? undefined : transport.respond(message, extra)));
      return;
    }

    if (isInitialize) {
      const existing = headerOf(req, 'mcp-session-id');
      if (existing && 'found' in sessions.get(existing, identity, McpSession)) {
        sendJsonRpcError(
          res,
          400,
          JSONRPC_INVALID_REQUEST,
          'Invalid Request: this session is already initialized; omit Mcp-Session-Id to start a new one',
        );
        return;
      }
      if (options.isDraining()) {
        sendJsonRpcError(res, 503, MCP_SERVER_ERROR, 'Service Unavailable: the server is shutting down', { 'retry-after': '1' });
        return;
      }
      const problem = invalidParams(message.method, message.params);
      if (problem !== undefined) {
        // No session for an initialize that could not succeed: it would only take a place in the table.
        answer(res, {}, { jsonrpc: '2.0', id: message.id, error: { code: JSONRPC_INVALID_PARAMS, message: problem } });
        return;
      }
      const client = options.clientOf(req, identity);
      if (refuseAdmission(res, await (shared ?? sessions).admit(client), sessions)) return;
      const session = await options.createSession(identity, client);
      sessions.add(session);
      // Known to every replica before the client learns its id.
      await shared?.opened(session, message.params).catch(async (error: unknown) => {
        await sessions.remove(session.id);
        throw error;
      });
      deliver(session, res, message, identity, protocolVersion);
      return;
    }

    const lookup = findSession(req, res, identity);
    const session = lookup instanceof Promise ? await lookup : lookup;
    if (!session) return;
    if (kind === 'request') {
      deliver(session, res, message, identity, protocolVersion);
    } else if (kind === 'notification') {
      accept(res, () => session.transport.notify(message, extra));
    } else {
      accept(res, () => session.transport.respond(message, extra));
    }
  }

  async function get(req: IncomingMessage, res: ServerResponse, identity: Identity): Promise<void> {
    if (options.stateless) {
      sendJsonRpcError(res, 405, MCP_SERVER_ERROR, 'Method Not Allowed: this server is stateless and has no GET stream', { allow: 'POST' });
      return;
    }
    if (!headerOf(req, 'accept')?.includes('text/event-stream')) {
      sendJsonRpcError(res, 406, MCP_SERVER_ERROR, 'Not Acceptable: the Accept header must list text/event-stream');
      return;
    }
    const session = await findSession(req, res, identity);
    if (!session || badProtocolVersion(req, res)) return;
    const headers = { 'mcp-session-id': session.id };
    const lastEventId = headerOf(req, 'last-event-id');
    if (lastEventId && store) {
      const stream = session.stream(parseEventId(lastEventId)?.streamId ?? '');
      if (!stream && shared) {
        // A stream another replica wrote: resumed here from Redis.
        const outcome = await shared.resume(session, lastEventId, res, headers);
        if (outcome === 'conflict') sendJsonRpcError(res, 409, MCP_SERVER_ERROR, 'Conflict: only one GET stream is allowed per session');
        else if (outcome === 'unknown') sendJsonRpcError(res, 400, MCP_SERVER_ERROR, STREAM_UNKNOWN);
        return;
      }
      if (!stream) {
        sendJsonRpcError(res, 400, MCP_SERVER_ERROR, STREAM_UNKNOWN);
        return;
      }
      const resumed = await stream.resume(res, headers, async () => (await store.eventsAfter(lastEventId))?.events);
      if (!resumed) sendJsonRpcError(res, 400, MCP_SERVER_ERROR, 'Bad Request: Last-Event-ID is unknown or too old to resume from');
      return;
    }
    const stream = session.claimGetStream();
    if (!stream) {
      sendJsonRpcError(res, 409, MCP_SERVER_ERROR, 'Conflict: only one GET stream is allowed per session');
      return;
    }
    stream.open(res, headers);
    if ((headerOf(req, 'mcp-protocol-version') ?? '') >= FIRST_RESUMABLE_VERSION) stream.prime();
  }

  async function remove(req: IncomingMessage, res: ServerResponse, identity: Identity): Promise<void> {
    if (options.stateless) {
      sendJsonRpcError(res, 405, MCP_SERVER_ERROR, 'Method Not Allowed: this server is stateless and has no sessions', { allow: 'POST' });
      return;
    }
    const session = await findSession(req, res, identity);
    if (!session || badProtocolVersion(req, res)) return;
    await (shared ?? sessions).remove(session.id);
    res.writeHead(200).end();
  }

  return async function handle(req: IncomingMessage, res: ServerResponse, identity: Identity): Promise<void> {
    if (!shared) return serve(req, res, identity);
    try {
      return await serve(req, res, identity);
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.service !== 'redis' || res.headersSent) throw error;
      sendJsonRpcError(res, 503, MCP_SERVER_ERROR, `Service Unavailable: ${error.message} (${error.hint})`, { 'retry-after': '1' });
    }
  };

  function serve(req: IncomingMessage, res: ServerResponse, identity: Identity): Promise<void> {
    switch (req.method) {
      case 'POST':
        return post(req, res, identity);
      case 'GET':
        return get(req, res, identity);
      case 'DELETE':
        return remove(req, res, identity);
      default:
        sendJsonRpcError(res, 405, MCP_SERVER_ERROR, `Method Not Allowed: ${req.method}`, {
          allow: options.stateless ? 'POST' : 'GET, POST, DELETE',
        });
        return Promise.resolve();
    }
  }
}

/** A JSON-RPC answer the kit gives itself, as the plain JSON response a POST may get. */
function answer(res: ServerResponse, headers: Record<string, string>, message: JSONRPCMessage): void {
  const body = JSON.stringify(message);
  res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

function accept(res: ServerResponse, work: () => void): void {
  work();
  res.writeHead(202).end();
}
