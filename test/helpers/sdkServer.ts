import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface SdkServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The endpoint a client is configured with: `/mcp` (Streamable HTTP) or `/sse` (legacy). */
  readonly url: string;
  /** Requests seen, as `METHOD /path` (query left out). */
  readonly requests: string[];
  readonly server: Server;
  /** Forgets every session, its streams left open: the next request of a client on one gets 404, as from a replica that never knew it. */
  forget(): void;
  close(): Promise<void>;
}

export interface SdkServerOptions {
  /** `http`: Streamable HTTP on /mcp. `sse`: only the legacy transport, GET /sse + POST /messages; /mcp answers `mcpStatus`. */
  readonly transport: 'http' | 'sse';
  /** What /mcp answers on an SSE-only server: 404 (no such route, the default) or 405. */
  readonly mcpStatus?: 404 | 405;
  /** Headers every request must carry, else 401. */
  readonly requireHeaders?: Record<string, string>;
  /** Default 0 (any free port). */
  readonly port?: number;
}

/**
 * A plain MCP SDK server (not our kit) on 127.0.0.1:0, built by `build` once per session: the
 * kind of third-party server the orchestrator must work with, over Streamable HTTP or only the
 * deprecated HTTP+SSE transport (as a FastMCP server started with `transport="sse"`).
 */
export async function startSdkServer(build: () => McpServer, options: SdkServerOptions): Promise<SdkServer> {
  const app = createMcpExpressApp();
  const requests: string[] = [];
  app.use((req, res, next) => {
    requests.push(`${req.method} ${req.path}`);
    for (const [name, value] of Object.entries(options.requireHeaders ?? {})) {
      if (req.headers[name.toLowerCase()] !== value) return void res.status(401).json({ error: `missing ${name}` });
    }
    next();
  });
  const sessions = new Map<string, StreamableHTTPServerTransport | SSEServerTransport>();
  if (options.transport === 'http') {
    app.all('/mcp', async (req, res) => {
      const id = req.headers['mcp-session-id'] as string | undefined;
      let transport = id ? (sessions.get(id) as StreamableHTTPServerTransport | undefined) : undefined;
      if (id && !transport)
        return void res.status(404).json({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } });
      if (!transport) {
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: randomUUID,
          onsessioninitialized: (sid) => void sessions.set(sid, created),
        });
        transport = created;
        await build().connect(transport);
      }
      await transport.handleRequest(req, res, req.body);
    });
  } else {
    app.get('/sse', async (_req, res) => {
      const transport = new SSEServerTransport('/messages', res);
      sessions.set(transport.sessionId, transport);
      res.on('close', () => sessions.delete(transport.sessionId));
      await build().connect(transport);
    });
    app.post('/messages', async (req, res) => {
      const transport = sessions.get(String(req.query['sessionId'])) as SSEServerTransport | undefined;
      if (!transport) return void res.status(404).send('Session not found');
      await transport.handlePostMessage(req, res, req.body);
    });
    if (options.mcpStatus === 405) app.all('/mcp', (_req, res) => void res.status(405).set('allow', 'GET').send('Method Not Allowed'));
  }
  const server = app.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}${options.transport === 'http' ? '/mcp' : '/sse'}`,
    requests,
    server,
    forget: () => sessions.clear(),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** What an SDK tool handler gets as its last argument. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Reports `steps` progress notifications `delayMs` apart on the call's own stream: slow work a client can see going on. */
export async function workSlowly(extra: ToolExtra, steps: number, delayMs = 50): Promise<void> {
  for (let i = 1; i <= steps; i++) {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: extra._meta!.progressToken!, progress: i } });
  }
}
