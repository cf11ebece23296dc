import type { IncomingMessage, ServerResponse } from 'node:http';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Identity } from './agent.ts';
import { authInfoFor } from './buildServer.ts';
import { readMessage } from './httpBody.ts';
import { JSONRPC_INVALID_PARAMS, MCP_SERVER_ERROR, MCP_SESSION_NOT_FOUND, sendJsonRpcError } from './jsonrpc.ts';
import { invalidParams } from './requestParams.ts';
import { refuseAdmission } from './admission.ts';
import type { ManagedSession, SessionManager } from './sessionManager.ts';
import { sendRefusal } from './requestAuth.ts';
import type { RefuseCall } from './streamableHttp.ts';

/** A session of the deprecated HTTP+SSE transport (2024-11-05): a GET stream plus POSTed messages. */
export class LegacySession implements ManagedSession {
  readonly identity: Identity;
  readonly client: string;
  readonly transport: SSEServerTransport;
  readonly server: McpServer;
  readonly createdAt = Date.now();
  lastActivity = this.createdAt;
  private connected = true;

  constructor(identity: Identity, client: string, transport: SSEServerTransport, server: McpServer) {
    this.identity = identity;
    this.client = client;
    this.transport = transport;
    this.server = server;
  }

  get id(): string {
    return this.transport.sessionId;
  }

  /** The stream is the session: while it is open the client is there. */
  get busy(): boolean {
    return this.connected;
  }

  disconnected(): void {
    this.connected = false;
  }

  async close(): Promise<void> {
    this.connected = false;
    await this.server.close();
  }
}

export interface LegacySseOptions {
  readonly sessions: SessionManager;
  readonly createServer: () => McpServer;
  readonly maxBodyBytes: number;
  /** Who a new session counts against for the per-client cap. */
  readonly clientOf: (req: IncomingMessage, identity: Identity) => string;
  /** Path the client must POST messages to (sent in the `endpoint` event). */
  readonly messagesPath: string;
  /** A refusal (403 insufficient_scope) for a request the caller may not make; undefined: go on. */
  readonly refuseCall?: RefuseCall;
}

/** `GET /sse` and `POST /messages?sessionId=`, for clients that predate Streamable HTTP. */
export function createLegacySseHandlers(options: LegacySseOptions) {
  const { sessions } = options;

  async function open(req: IncomingMessage, res: ServerResponse, identity: Identity): Promise<void> {
    const client = options.clientOf(req, identity);
    if (refuseAdmission(res, await sessions.admit(client), sessions)) return;
    const transport = new SSEServerTransport(options.messagesPath, res);
    const server = options.createServer();
    const session = new LegacySession(identity, client, transport, server);
    sessions.add(session);
    res.once('close', () => {
      session.disconnected();
      void sessions.remove(session.id);
    });
    await server.connect(transport);
  }

  async function message(req: IncomingMessage, res: ServerResponse, identity: Identity, sessionId: string | undefined): Promise<void> {
    if (!sessionId) {
      sendJsonRpcError(res, 400, MCP_SERVER_ERROR, 'Bad Request: the sessionId query parameter is required (open GET /sse first)');
      return;
    }
    const lookup = sessions.get(sessionId, identity, LegacySession);
    if ('missing' in lookup) {
      sendJsonRpcError(res, 404, MCP_SESSION_NOT_FOUND, 'Session not found: open a new GET /sse stream');
      return;
    }
    const classified = await readMessage(req, res, options.maxBodyBytes);
    if (!classified) return;
    const session = lookup.found;
    session.lastActivity = Date.now();
    const { kind, message } = classified;
    const request = message as JSONRPCRequest;
    const refused = kind === 'request' ? options.refuseCall?.(req, request.method, request.params, identity) : undefined;
    if (refused) {
      sendRefusal(res, refused);
      return;
    }
    const problem = kind === 'request' ? invalidParams((message as JSONRPCRequest).method, (message as JSONRPCRequest).params) : undefined;
    if (problem !== undefined) {
      // The answer travels on the session's stream, like every answer of this transport.
      const id = (message as JSONRPCRequest).id;
      await session.transport.send({ jsonrpc: '2.0', id, error: { code: JSONRPC_INVALID_PARAMS, message: problem } });
      res.writeHead(202).end();
      return;
    }
    await session.transport.handleMessage(classified.message, { authInfo: authInfoFor(identity) });
    res.writeHead(202).end();
  }

  return { open, message };
}
