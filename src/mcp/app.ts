import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ANONYMOUS, type AgentDefinition, type Identity } from './agent.ts';
import { RequestBackstop } from './backstop.ts';
import { buildMcpServer, directToolCalls, type BuildServerHooks, type SessionState } from './buildServer.ts';
import { createClientKey } from './clientKey.ts';
import { InMemoryEventStore, type EventStore } from './eventStore.ts';
import { DEFAULT_MAX_BODY_BYTES } from './httpBody.ts';
import { MCP_SERVER_ERROR, sendJsonRpcError } from './jsonrpc.ts';
import { createLegacySseHandlers } from './legacySse.ts';
import {
  PROMETHEUS_CONTENT_TYPE,
  REQUEST_ID_HEADER,
  currentRequestId,
  requestIdOf,
  silentLogger,
  withRequestId,
  type Logger,
} from '../telemetry/index.ts';
import { AgentMetrics } from './metrics.ts';
import { createModernEra } from './modernEra.ts';
import { InFlightCounter, MuxTransport } from './muxTransport.ts';
import { SlowAnswerWatch } from './postSink.ts';
import { createCors } from './cors.ts';
import { createOAuthResource, createScopeCheck, type OAuthResource, type OAuthResourceOptions } from './oauth.ts';
import { createRequestAuthenticator, insufficientScope, sendRefusal } from './requestAuth.ts';
import { createOriginPolicy } from './security.ts';
import { RedisEventStore } from './redisEventStore.ts';
import type { RedisSessionStore, SessionRecord } from './redisSessions.ts';
import { McpSession, newSessionId } from './session.ts';
import { SessionManager } from './sessionManager.ts';
import { SharedSessions, markInitialized } from './sharedSessions.ts';
import { TimerTable } from './timerTable.ts';
import { createStreamableHttpHandler } from './streamableHttp.ts';

export interface AgentAppOptions {
  /** One shared server, no sessions, no GET stream. Default false (stateful). */
  readonly stateless?: boolean;
  /** subject -> bearer token; empty or absent (and no `oauth`): no authentication. */
  readonly authTokens?: Readonly<Record<string, string>>;
  /**
   * OAuth 2.1 resource server: JWT access tokens of this authorization server are accepted (besides `authTokens`),
   * Protected Resource Metadata is served at `/.well-known/oauth-protected-resource[/mcp]`, and tool calls need
   * the read or write scope. Default: off.
   */
  readonly oauth?: OAuthResourceOptions | OAuthResource;
  readonly allowedOrigins?: readonly string[];
  readonly allowedHosts?: readonly string[];
  /** Check `Host` against loopback names and `allowedHosts`. Default true. */
  readonly checkHost?: boolean;
  /** Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Sessions open at most, both transports together; when full the least recently used idle one is closed. Default 1,000. */
  readonly maxSessions?: number;
  /** Sessions one client (token subject, else address) may hold; past it its own least recently used idle one is closed. Default 100. */
  readonly maxSessionsPerClient?: number;
  /** An idle session (nothing in flight, no GET stream) closes after this. Default 30 minutes. */
  readonly idleTimeoutMs?: number;
  /** Any session, busy or not, closes this long after it opened. Default 24 hours. */
  readonly sessionLifetimeMs?: number;
  /** A request nothing answers within this gets a JSON-RPC error. Default 15 minutes. */
  readonly requestTimeoutMs?: number;
  /** Proxies whose `X-Forwarded-For` names the client for the per-client cap. Default: none. */
  readonly trustedProxies?: readonly string[];
  /** Where SSE events are kept for resumption. Default: in memory (stateful mode only). */
  readonly eventStore?: EventStore;
  /**
   * Shares 2025-11-25 sessions with the other replicas of this agent (any replica serves any session;
   * caps and idle expiry hold cluster-wide). Needs a `RedisEventStore` as `eventStore`. The app closes it. Default: none.
   */
  readonly sessionStore?: RedisSessionStore;
  /** A POST answered later than this becomes a resumable SSE stream. Default 1,000 ms. */
  readonly streamAfterMs?: number;
  /** Reconnect hint sent in priming events. Default 1,000 ms. */
  readonly retryMs?: number;
  readonly keepAliveMs?: number;
  /** A finished stream stays resumable this long. Default 5 minutes. */
  readonly resumeWindowMs?: number;
  /**
   * Answer 2026-07-28 `tools/call` and `tools/list` with the kit's own transport (the rest of that era goes
   * through the SDK v2 handler either way). Default true; false sends all of it through the SDK (slower).
   */
  readonly modernFastPath?: boolean;
  /** Where the app logs: a line per request at `debug`, unexpected tool errors at `warn`. Default: nowhere. */
  readonly logger?: Logger;
  /** Where the app reports what an operator should see (unexpected tool errors). Default: the logger's `warn`. */
  readonly onWarning?: (message: string) => void;
}

/** The app, plus what the process that serves it needs to stop it cleanly. */
export interface AgentApp extends Express {
  /** Refuses new work, waits (up to `timeoutMs`) for in-flight tool calls, then closes sessions and stores. */
  shutdown(timeoutMs?: number): Promise<void>;
  readonly metrics: AgentMetrics;
  /** Serves `/mcp` without going through Express (what `startAgentServer` does for speed). */
  handleMcp(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Tells 2026-07-28 clients listening on `subscriptions/listen` that the tool list changed. */
  toolsChanged(): void;
  /** Open sessions, both transports. */
  sessionCount(): number;
  /** Closes sessions idle as of `now`, and any past their lifetime (the sweeper does this on its own every few minutes). */
  expireIdleSessions(now?: number): Promise<number>;
  /** The sizes of the kit's internal tables: all zero once every session has gone, or something leaks. */
  kitTables(): KitTables;
}

/** What {@link AgentApp.kitTables} counts. */
export interface KitTables {
  readonly sessions: number;
  /** Clients the per-client cap tracks. */
  readonly clients: number;
  /** Requests of Streamable HTTP transports not yet answered. */
  readonly requestsInFlight: number;
  /** Transports the request backstop watches. */
  readonly backstopWatched: number;
  /** Streams the in-memory event store holds (0 with another store). */
  readonly eventStreams: number;
  /** POSTs waiting to be upgraded to a stream if slow. */
  readonly slowAnswersWatched: number;
  /** Timers pending: sessions' resume windows, plus the sweeper, backstop and slow-answer timers while they run. */
  readonly timers: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse, identity: Identity) => Promise<void>;

/** The `tool` label of calls to a tool the agent does not have (not a valid tool name, so no clash). */
const UNKNOWN_TOOL_LABEL = '(unknown)';

/** Ids for requests that bring none: unique (a random prefix per app, then a count), shaped like a UUID, cheaper. */
function requestIds(): () => string {
  const prefix = randomUUID().slice(0, 24);
  let count = 0;
  return () => prefix + (count++).toString(16).padStart(12, '0');
}

function resolveOAuth(oauth: AgentAppOptions['oauth'], checkHost: boolean): OAuthResource | undefined {
  if (!oauth) return undefined;
  return 'verify' in oauth ? oauth : createOAuthResource(oauth, { checkHost });
}

/**
 * The HTTP face of an agent: `/mcp` (Streamable HTTP), `/sse` + `/messages` (legacy),
 * `/healthz`, `/readyz`, `/metrics`. Builds an Express app and never listens.
 */
export function createAgentApp(agent: AgentDefinition, options: AgentAppOptions = {}): AgentApp {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const logger = options.logger ?? silentLogger();
  const warn = options.onWarning ?? ((message: string) => logger.warn(message));
  const metrics = new AgentMetrics(agent.name);
  const store = options.stateless ? undefined : (options.eventStore ?? new InMemoryEventStore());
  const sessions = new SessionManager({
    maxSessions: options.maxSessions,
    maxSessionsPerClient: options.maxSessionsPerClient,
    idleTimeoutMs: options.idleTimeoutMs,
    maxLifetimeMs: options.sessionLifetimeMs,
  });
  const backstop = new RequestBackstop(options.requestTimeoutMs);
  const clientOf = createClientKey({ trustedProxies: options.trustedProxies });
  const timers = new TimerTable<McpSession>();
  const nextRequestId = requestIds();
  let draining = false;
  // Requests of Streamable HTTP transports, and tool calls of any transport (legacy SSE has no hook of its own).
  const requests = new InFlightCounter();
  const toolCalls = new InFlightCounter();

  const hooks: BuildServerHooks = {
    onUnexpectedError: (tool, error) =>
      warn(`tool ${tool} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    onCallStart: () => toolCalls.add(1),
    onCallEnd: () => toolCalls.add(-1),
  };
  const newState = (): SessionState => ({ logLevel: undefined });
  // The tool name comes from the client: names the agent does not have share one label, or each
  // made-up name would add a metric series (and memory) of its own.
  const toolNames = new Set(agent.tools.map((tool) => tool.name));
  const wire = (transport: MuxTransport) => {
    transport.onAnswered = (record, response) => {
      if (record.tool === undefined) return;
      const outcome = !response
        ? 'cancelled'
        : 'error' in response
          ? 'protocol_error'
          : (response as { result?: { isError?: boolean } }).result?.isError
            ? 'error'
            : 'ok';
      const tool = toolNames.has(record.tool) ? record.tool : UNKNOWN_TOOL_LABEL;
      metrics.observeToolCall(tool, outcome, (performance.now() - record.startedAt) / 1000);
    };
    return transport;
  };
  /** A server shared by every request of `transport` (stateless, or 2026-07-28), plain calls answered directly. */
  const serveOn = (transport: MuxTransport, state: SessionState) => {
    const server = buildMcpServer(agent, state, hooks);
    transport.direct = directToolCalls(server, agent, state, hooks);
    void server.connect(transport);
  };

  if (options.sessionStore && !options.stateless && !(store instanceof RedisEventStore))
    throw new TypeError('sessionStore needs a RedisEventStore as eventStore: streams must be resumable on every replica');
  let shared: SharedSessions | undefined;
  const createSession = async (identity: Identity, client: string, restored?: SessionRecord): Promise<McpSession> => {
    const id = restored?.id ?? newSessionId();
    const state = newState();
    if (restored?.logLevel) state.logLevel = restored.logLevel as SessionState['logLevel'];
    if (shared) state.persistLogLevel = (level) => shared!.persistLogLevel(id, level);
    const server = buildMcpServer(agent, state, hooks);
    const transport = wire(new MuxTransport({ sessionId: id, trackClientIds: true, counter: requests, backstop }));
    transport.direct = directToolCalls(server, agent, state, hooks);
    await server.connect(transport);
    if (restored) markInitialized(server, restored);
    return new McpSession({
      id,
      identity,
      client,
      server,
      transport,
      state,
      store,
      retryMs: options.retryMs ?? 1000,
      keepAliveMs: options.keepAliveMs,
      resumeWindowMs: options.resumeWindowMs ?? 5 * 60_000,
      timers,
      shared: shared?.sharing(id),
    });
  };
  if (options.sessionStore && !options.stateless) {
    shared = new SharedSessions({
      store: options.sessionStore,
      events: store as RedisEventStore,
      sessions,
      rebuild: (record) => createSession({ subject: record.subject, authenticated: record.authenticated }, record.client, record),
    });
  }

  let stateless: { transport: MuxTransport } | undefined;
  if (options.stateless) {
    const transport = wire(new MuxTransport({ trackClientIds: false, counter: requests, backstop }));
    serveOn(transport, newState());
    stateless = { transport };
  }

  const oauth = resolveOAuth(options.oauth, options.checkHost ?? true);
  const authenticate = createRequestAuthenticator({ tokens: options.authTokens ?? {}, oauth, realm: agent.name });
  const scopeCheck = oauth && createScopeCheck(agent.tools, oauth);
  /** The 403 for a call the caller's token has no scope for, or undefined. */
  const refuseCall = oauth
    ? (req: IncomingMessage, method: string, params: Record<string, unknown> | undefined, identity: Identity) => {
        const scope = scopeCheck!(method, params, identity);
        return scope === undefined ? undefined : insufficientScope(oauth, req, scope, `the tool "${String(params?.['name'])}"`);
      }
    : undefined;

  metrics.openSessions = () => sessions.size;
  const slowWatch = store ? new SlowAnswerWatch(options.streamAfterMs ?? 1000) : undefined;

  // 2026-07-28: one shared server answers every client (no sessions); each request names its own log level.
  const modernTransport =
    options.modernFastPath === false ? undefined : wire(new MuxTransport({ trackClientIds: false, counter: requests, backstop }));
  if (modernTransport) serveOn(modernTransport, { logLevel: undefined, logLevelPerRequest: true });
  const modern = createModernEra({
    agent,
    hooks,
    maxBodyBytes,
    fastPath: modernTransport,
    onError: (error) => logger.debug({ err: error.message }, 'refused a 2026-07-28 request'),
  });
  const mcp = createStreamableHttpHandler({
    modern,
    stateless,
    sessions,
    store,
    maxBodyBytes,
    slowWatch,
    isDraining: () => draining,
    clientOf,
    refuseCall,
    createSession,
    shared,
  });
  const sse = createLegacySseHandlers({
    sessions,
    createServer: () => buildMcpServer(agent, newState(), hooks),
    maxBodyBytes,
    clientOf,
    refuseCall,
    messagesPath: '/messages',
  });

  const checkOrigin = createOriginPolicy({
    allowedHosts: options.allowedHosts,
    allowedOrigins: options.allowedOrigins,
    checkHost: options.checkHost,
  });
  const cors = createCors({
    allowedOrigins: options.allowedOrigins,
    allowedHosts: options.allowedHosts,
    exposeHeaders: [REQUEST_ID_HEADER],
    allowHeaders: [REQUEST_ID_HEADER],
  });
  /** Origin and Host first (403 for a foreign page), then CORS; false when the request is answered. */
  const admit = (req: IncomingMessage, res: ServerResponse) => checkOrigin(req, res) && cors(req, res) === 'continue';
  // No tokens and no OAuth: every caller is anonymous, and nothing need be awaited to know it.
  const open = !oauth && Object.keys(options.authTokens ?? {}).length === 0;
  const guarded = (handler: Handler) => (req: IncomingMessage, res: ServerResponse) =>
    open ? admitted(handler, req, res, ANONYMOUS) : authenticated(handler, req, res);
  const authenticated = async (handler: Handler, req: IncomingMessage, res: ServerResponse) => {
    const outcome = await authenticate(req);
    if ('refusal' in outcome) {
      sendRefusal(res, outcome.refusal);
      return;
    }
    await admitted(handler, req, res, outcome.identity);
  };
  const admitted = (handler: Handler, req: IncomingMessage, res: ServerResponse, identity: Identity): Promise<void> => {
    if (draining && req.method === 'POST') {
      sendJsonRpcError(res, 503, MCP_SERVER_ERROR, 'Service Unavailable: the server is shutting down', {
        'retry-after': '1',
        connection: 'close',
      });
      return Promise.resolve();
    }
    return handler(req, res, identity);
  };

  /**
   * Counts the request, and serves it under its request id (the caller's, the embedding app's, or
   * a new one), echoed in `x-request-id` and carried by every log line written meanwhile.
   */
  const withRequest = <T>(req: IncomingMessage, res: ServerResponse, serve: () => T): T => {
    const id = currentRequestId() ?? requestIdOf(req.headers[REQUEST_ID_HEADER], nextRequestId);
    if (!res.hasHeader(REQUEST_ID_HEADER)) res.setHeader(REQUEST_ID_HEADER, id);
    const started = performance.now();
    // `on`, not `once`: a response finishes once, and `once` wraps and later unhooks the listener on every request.
    res.on('finish', () => {
      metrics.countHttp(req.method ?? '', res.statusCode);
      if (logger.isLevelEnabled('debug'))
        withRequestId(id, () =>
          logger.debug(
            { method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms: Math.round(performance.now() - started) },
            'request',
          ),
        );
    });
    return withRequestId(id, serve);
  };

  const serveMcp = guarded(mcp);
  /** `/mcp` without Express: the hot path, also used by Express's own `/mcp` route. */
  const handleMcp = (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    withRequest(req, res, async () => {
      if (!admit(req, res)) return;
      try {
        await serveMcp(req, res);
      } catch (error) {
        warn(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        sendJsonRpcError(res, 500, MCP_SERVER_ERROR, 'Internal error');
      }
    });

  const app = express() as unknown as AgentApp;
  app.disable('x-powered-by');
  app.set('etag', false);
  app.all('/mcp', handleMcp);
  if (oauth) {
    // Public, and fetched by browser-based clients from any origin: served before the Origin check.
    app.get('/.well-known/oauth-protected-resource{/*rest}', (req: Request, res: Response, next: NextFunction) => {
      if (!oauth.metadataPaths(req).includes(req.path)) return next();
      res
        .set('access-control-allow-origin', '*')
        .set('cache-control', 'max-age=300')
        .json(oauth.metadata(oauth.resourceUrl(req)));
    });
  }
  app.use((req: Request, res: Response, next: NextFunction) =>
    withRequest(req, res, () => {
      if (admit(req, res)) next();
    }),
  );
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', agent: agent.name, version: agent.version });
  });
  app.get(
    '/readyz',
    guarded(async (_req, res) => {
      const readiness = draining
        ? { ready: false, reason: 'shutting down' }
        : agent.readiness
          ? await agent.readiness().catch((error: unknown) => ({ ready: false, error: String(error) }))
          : { ready: true };
      const body = JSON.stringify({
        ...readiness,
        agent: agent.name,
        mode: options.stateless ? 'stateless' : 'stateful',
        sessions: sessions.size,
      });
      res.writeHead(readiness.ready ? 200 : 503, { 'content-type': 'application/json' }).end(body);
    }),
  );
  app.get(
    '/metrics',
    guarded(async (_req, res) => {
      const text = await metrics.render();
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(text);
    }),
  );
  app.get('/sse', guarded(sse.open));
  app.post(
    '/messages',
    guarded((req, res, identity) =>
      sse.message(req, res, identity, new URL(req.url ?? '', 'http://local').searchParams.get('sessionId') ?? undefined),
    ),
  );
  app.use((req: Request, res: Response) => {
    sendJsonRpcError(res, 404, MCP_SERVER_ERROR, `Not Found: ${req.method} ${req.path} (the MCP endpoint is /mcp)`);
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status;
    const known = typeof status === 'number' && status >= 400 && status < 500;
    if (!known) warn(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    sendJsonRpcError(res, known ? status : 500, MCP_SERVER_ERROR, known ? (error as Error).message : 'Internal error');
  });

  Object.defineProperty(app, 'metrics', { value: metrics });
  app.handleMcp = handleMcp;
  app.toolsChanged = () => modern.toolsChanged();
  app.sessionCount = () => sessions.size;
  app.expireIdleSessions = async (now) => {
    const expired = await sessions.sweep(now);
    slowWatch?.stopIfIdle();
    return expired;
  };
  app.kitTables = () => ({
    sessions: sessions.size,
    clients: sessions.clientCount,
    requestsInFlight: requests.value,
    backstopWatched: backstop.size,
    eventStreams: store instanceof InMemoryEventStore ? store.size : 0,
    slowAnswersWatched: slowWatch?.size ?? 0,
    timers: timers.size + Number(sessions.sweeping) + Number(backstop.running) + Number(slowWatch?.running ?? false),
  });
  app.shutdown = async (timeoutMs = 10_000) => {
    draining = true;
    const deadline = Date.now() + timeoutMs;
    await toolCalls.idle(timeoutMs);
    await requests.idle(Math.max(0, deadline - Date.now()));
    // let the last answers reach their sockets before the streams close
    await new Promise((resolve) => setImmediate(resolve));
    slowWatch?.stop();
    await modern.close();
    await modernTransport?.close();
    await sessions.closeAll(); // this replica's copies only: shared sessions live on in Redis for the others
    await shared?.close();
    if (options.stateless) await options.sessionStore?.close(); // given but unused: still the app's to close
    await stateless?.transport.close();
    backstop.stop();
    await store?.close();
  };
  return app;
}
