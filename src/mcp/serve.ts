import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TlsServerMaterial } from '../config/tls.ts';
import { UserError } from '../errors.ts';
import type { AgentDefinition } from './agent.ts';
import { createAgentApp, type AgentApp, type AgentAppOptions } from './app.ts';
import { createWebServer, originOf } from './listen.ts';

export interface AgentServerOptions extends AgentAppOptions {
  /** Default 127.0.0.1: reachable from this machine only. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Serve HTTPS with this certificate and key (see `loadTlsMaterial`); client certificates required when it has a CA. Default: plain HTTP. */
  readonly tls?: TlsServerMaterial;
}

export interface RunningAgentServer {
  readonly app: AgentApp;
  readonly server: Server;
  /** `http://host:port/mcp`, or `https://` with TLS. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight calls finish (bounded), closes sessions, stores and the agent. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Serves an agent on HTTP, or HTTPS with `tls`. A port in use is a start-up error that names the port; the app's
 * event store is closed again then, the agent is left to the caller.
 */
export async function startAgentServer(agent: AgentDefinition, options: AgentServerOptions): Promise<RunningAgentServer> {
  const app = createAgentApp(agent, options);
  // `/mcp` skips Express's router: it is most of the traffic and Express costs more than the call.
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    if (url === '/mcp' || url.startsWith('/mcp?')) void app.handleMcp(req, res);
    else app(req, res);
  };
  const server = createWebServer(listener, options.tls);
  const host = options.host ?? '127.0.0.1';
  server.listen(options.port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    await app.shutdown(0); // closes the event store: a Redis client left open would keep the process alive
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UserError(`port ${options.port} on ${host} is already in use: stop what holds it or choose another port`, { cause: error });
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    app,
    server,
    port,
    url: `${originOf(host, port, options.tls !== undefined)}/mcp`,
    close(timeoutMs = 10_000) {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await app.shutdown(timeoutMs);
        server.closeAllConnections();
        await stopped;
        await agent.close?.();
      })();
      return closing;
    },
  };
}
