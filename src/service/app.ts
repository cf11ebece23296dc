import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { ServerEntry } from '../config/file.ts';
import { UpstreamError, UserError, describeError } from '../errors.ts';
import { createAgentApp, createCors, createOAuthResource, type AgentAppOptions, type OAuthResourceOptions } from '../mcp/index.ts';
import { createApiAuth, createOriginCheck } from './auth.ts';
import { RunEventBus } from './events.ts';
import { HttpError, runRefusalToHttp, sendError } from './httpError.ts';
import { createOrchestrateAgent } from './mcpFace.ts';
import { ServiceMetrics } from './metrics.ts';
import { createOpenApiDocument } from './openapi.ts';
import { createOpsRouter } from './ops.ts';
import { OrchestratorCache, type ModelResolver } from './orchestrators.ts';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_INPUT_CHARS } from './requests.ts';
import { StreamTracker, createApiRouter } from './routes.ts';
import { REQUEST_ID_HEADER, requestIdOf, silentLogger, traced, withRequestId, type Logger } from '../telemetry/index.ts';
import { RunRefusal } from './runErrors.ts';
import { RunManager } from './runs.ts';
import type { RunQueue } from './runQueue.ts';
import type { RunStore } from './runStore.ts';

/** The service's version, reported by `/healthz`, the OpenAPI document and the MCP server. */
export const SERVICE_VERSION = '0.1.0';
/** Default time in-flight runs get to finish at shutdown before they are interrupted: 20 s. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 20_000;
/** Where the web page lives: `index.html` there is served at `/`. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url));

const MCP_PATHS = ['/mcp', '/sse', '/messages'];
/** The page and its files: revalidated each load, and allowed to load and call only this origin. */
const WEB_HEADERS = {
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export interface ServiceAppOptions {
  /** The MCP servers runs may use (a request may pick a subset by name). */
  readonly servers: Readonly<Record<string, ServerEntry>>;
  /** Conversation threads; shared by replicas (PostgreSQL) so any of them can continue any thread. */
  readonly checkpointer: BaseCheckpointSaver;
  /** Runs, events and thread owners; the caller opens and closes it. */
  readonly store: RunStore;
  /**
   * Where runs are dispatched with PostgreSQL (see `RunQueue`): per-key limits over all replicas, takeover,
   * retries. Opened by the caller (`open()`), started with the app and closed by its shutdown. Absent: in-process.
   */
  readonly queue?: RunQueue;
  /** Models by spec; see `createEnvModelResolver`. */
  readonly resolveModel: ModelResolver;
  /** `SWITCHBOARD_API_KEYS`; none: the service is open to anyone who can reach it. */
  readonly apiKeys?: readonly string[];
  /**
   * OAuth 2.1 resource server (`MCP_OAUTH_*`): access tokens of this authorization server are accepted on `/v1`
   * and `/mcp` besides API keys (`GET`s need the read scope, the rest the write scope). Default: off.
   */
  readonly oauth?: OAuthResourceOptions;
  /** `MCP_ALLOWED_ORIGINS`: browser origins besides loopback ones. */
  readonly allowedOrigins?: readonly string[];
  /** `MCP_ALLOWED_HOSTS`: `Host` names besides loopback ones. */
  readonly allowedHosts?: readonly string[];
  /** Check `Host` at all. Default true. */
  readonly checkHost?: boolean;
  /** Default {@link DEFAULT_MAX_BODY_BYTES} (256 kB). */
  readonly maxBodyBytes?: number;
  /** Session limits of `/mcp` (caps, idle timeout, lifetime, request backstop, trusted proxies). Default: the kit's. */
  readonly mcpSessions?: Pick<
    AgentAppOptions,
    'maxSessions' | 'maxSessionsPerClient' | 'idleTimeoutMs' | 'sessionLifetimeMs' | 'requestTimeoutMs' | 'trustedProxies'
  >;
  /** Default {@link DEFAULT_MAX_INPUT_CHARS} (20,000). */
  readonly maxInputChars?: number;
  /** Runs per API key at once on this replica. Default 4. */
  readonly concurrencyPerKey?: number;
  /** Runs per API key waiting on this replica. Default 32. */
  readonly queuePerKey?: number;
  /** Running time per run (approval pauses excluded). Default 5 minutes. */
  readonly runTimeoutMs?: number;
  /** Run calls that need approval without asking (HTTP runs never pause; MCP runs never refuse). Default false. */
  readonly autoApprove?: boolean;
  /** Default: a random UUID per app. */
  readonly replicaId?: string;
  /** Default 5 s. */
  readonly heartbeatMs?: number;
  /** Default 30 s. */
  readonly staleAfterMs?: number;
  /** How long finished runs and their events are kept; default 7 days. */
  readonly retentionMs?: number;
  /** Default 1 s. */
  readonly followPollMs?: number;
  /** Default 50 ms. */
  readonly tokenFlushMs?: number;
  /** Default 15 s. */
  readonly keepAliveMs?: number;
  /** Default {@link DEFAULT_WEB_DIR}. */
  readonly webDir?: string;
  /** Where problems an operator should see go (store hiccups, unexpected errors). Default: nowhere. */
  readonly onWarning?: (message: string) => void;
  /** Where the service logs: a line per request at `info`, warnings at `warn`. Default: nowhere. */
  readonly logger?: Logger;
}

/** The Express app, plus what the process that serves it needs. */
export interface ServiceApp extends Express {
  readonly runs: RunManager;
  readonly metrics: ServiceMetrics;
  readonly replicaId: string;
  /** Starts heartbeats and resumes interrupted or orphaned runs; call once the app is listening. */
  start(): Promise<{ recovered: number }>;
  /**
   * Refuses new runs (503), gives in-flight runs `graceMs` to finish, marks the rest `interrupted`
   * (a replica resumes them from their checkpoints), ends open streams and MCP sessions. The
   * store and checkpointer stay open: the caller closes them.
   */
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * The orchestrator as a service: the `/v1` HTTP API (runs as JSON or server-sent events,
 * approvals, cancellation, threads), `/mcp` (plus legacy `/sse` and `/messages`) with one tool,
 * `orchestrate`, and `/healthz`, `/readyz`, `/metrics`, `/openapi.json`. Every error is JSON
 * `{ error: { code, message } }`. Builds the app and never listens.
 */
export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxInputChars = options.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS;
  const oauth = options.oauth && createOAuthResource(options.oauth, { checkHost: options.checkHost ?? true });
  const auth = createApiAuth(options.apiKeys ?? [], oauth);
  const checkOrigin = createOriginCheck({
    allowedOrigins: options.allowedOrigins,
    allowedHosts: options.allowedHosts,
    checkHost: options.checkHost,
  });
  // Store calls become spans when tracing (the store is used as it is otherwise).
  const store = traced(options.store, 'run_store', STORE_METHODS, { 'db.system.name': options.store.kind });
  const logger = options.logger ?? silentLogger();
  const warn = options.onWarning ?? ((message: string) => logger.warn(message));
  const bus = new RunEventBus(store);
  const orchestrators = new OrchestratorCache({
    servers: options.servers,
    checkpointer: options.checkpointer,
    resolveModel: options.resolveModel,
    onWarning: warn,
  });
  const streams = new StreamTracker();
  const closing = new AbortController();
  const replicaId = options.replicaId ?? randomUUID();
  const serviceMetrics = new ServiceMetrics(replicaId);
  const runs = new RunManager({
    store,
    bus,
    orchestrators,
    replicaId,
    queue: options.queue,
    concurrencyPerKey: options.concurrencyPerKey,
    queuePerKey: options.queuePerKey,
    runTimeoutMs: options.runTimeoutMs,
    autoApprove: options.autoApprove,
    heartbeatMs: options.heartbeatMs,
    staleAfterMs: options.staleAfterMs,
    retentionMs: options.retentionMs,
    followPollMs: options.followPollMs,
    tokenFlushMs: options.tokenFlushMs,
    onSegmentEnd: (outcome, seconds) => serviceMetrics.observeSegment(outcome, seconds),
    onWarning: warn,
  });
  const mcp = createAgentApp(
    createOrchestrateAgent({
      runs,
      store,
      bus,
      version: SERVICE_VERSION,
      maxInputChars,
      autoApprove: options.autoApprove ?? false,
      closing: closing.signal,
      followPollMs: options.followPollMs,
    }),
    {
      authTokens: auth.tokens,
      oauth,
      allowedOrigins: options.allowedOrigins,
      allowedHosts: options.allowedHosts,
      checkHost: options.checkHost,
      maxBodyBytes,
      ...options.mcpSessions,
      logger,
      onWarning: warn,
    },
  );
  serviceMetrics.gauges = {
    localRuns: () => runs.localRuns,
    queued: () => runs.limiter.load().waiting,
    streams: () => streams.size,
    mcpSessions: () => mcp.sessionCount(),
  };
  const openapi = createOpenApiDocument({ version: SERVICE_VERSION, maxBodyBytes, maxInputChars });

  const app = express() as unknown as ServiceApp;
  app.disable('x-powered-by');
  app.set('etag', false);
  // Every request gets an id (the caller's x-request-id when sensible), echoed back and carried by
  // each log line written while it is served, the run it starts included.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const id = requestIdOf(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, id);
    const started = performance.now();
    res.once('finish', () => {
      const route = routeOf(req);
      serviceMetrics.countHttp(req.method, route, res.statusCode);
      withRequestId(id, () =>
        logger.info({ method: req.method, route, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request'),
      );
    });
    withRequestId(id, next);
  });
  // The MCP kit checks Origin, Host and keys itself and answers in JSON-RPC, as MCP clients expect.
  const cors = createCors({
    allowedOrigins: options.allowedOrigins,
    allowedHosts: options.allowedHosts,
    exposeHeaders: ['location', 'retry-after', 'x-run-id', REQUEST_ID_HEADER],
    allowHeaders: ['prefer', REQUEST_ID_HEADER],
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (cors(req, res) === 'continue') next();
  });
  app.all(MCP_PATHS, (req: Request, res: Response, next: NextFunction) => mcp(req, res, next));
  // The kit serves the Protected Resource Metadata (public, before the Origin check) for /mcp and /v1 alike.
  if (oauth)
    app.get('/.well-known/oauth-protected-resource{/*rest}', (req: Request, res: Response, next: NextFunction) => mcp(req, res, next));
  app.use((req: Request, _res: Response, next: NextFunction) => {
    checkOrigin(req);
    next();
  });
  app.use(createOpsRouter({ servers: options.servers, store, runs, metrics: serviceMetrics, auth, version: SERVICE_VERSION }));
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use(
    '/v1',
    createApiRouter({
      runs,
      store,
      bus,
      orchestrators,
      auth,
      streams,
      maxBodyBytes,
      maxInputChars,
      followPollMs: options.followPollMs,
      keepAliveMs: options.keepAliveMs,
    }),
  );
  const web = options.webDir ?? DEFAULT_WEB_DIR;
  app.get('/', (_req: Request, res: Response, next: NextFunction) => {
    res.sendFile('index.html', { root: web, headers: WEB_HEADERS }, (error) => {
      if (!error) return;
      if (res.headersSent) return next(error);
      res.json({ service: 'switchboard', version: SERVICE_VERSION, api: '/v1', openapi: '/openapi.json', mcp: '/mcp' });
    });
  });
  app.use(express.static(web, { index: false, fallthrough: true, setHeaders: (res) => res.set(WEB_HEADERS) }));
  app.use((req: Request) => {
    throw new HttpError(404, 'not_found', `no route for ${req.method} ${req.path} (see /openapi.json)`);
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const known = toHttpError(error);
    if (!known) warn(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const answer = known ?? new HttpError(500, 'internal', 'internal error (the service logged it)');
    sendError(res, answer.status, answer.code, answer.message, answer.headers as Record<string, string>);
  });

  Object.defineProperty(app, 'runs', { value: runs });
  Object.defineProperty(app, 'metrics', { value: serviceMetrics });
  Object.defineProperty(app, 'replicaId', { value: runs.replicaId });
  app.start = async () => ({ recovered: await runs.start() });
  app.shutdown = async (graceMs = DEFAULT_SHUTDOWN_GRACE_MS) => {
    await runs.shutdown(graceMs);
    closing.abort();
    streams.closeAll();
    await mcp.shutdown(1000);
    bus.close();
    await orchestrators.close();
  };
  return app;
}

/** The run store's calls that get a span each. */
const STORE_METHODS = [
  'createRun',
  'getRun',
  'listRuns',
  'getThread',
  'update',
  'appendEvents',
  'eventsAfter',
  'eventsOfTypes',
  'countActive',
  'heartbeat',
  'claimOrphans',
] as const satisfies readonly (keyof RunStore)[];

/** The matched route pattern, so metrics labels stay few. */
function routeOf(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route?.path;
  if (typeof route === 'string') return `${req.baseUrl}${route}`;
  return MCP_PATHS.includes(req.path) ? req.path : 'unmatched';
}

/** Errors with a known cause and status: ours, the run layer's, the body parser's, a caller's bad input, a database down. */
function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof RunRefusal) return runRefusalToHttp(error);
  const type = (error as { type?: unknown }).type;
  const status = (error as { status?: unknown }).status;
  if (type === 'entity.too.large')
    return new HttpError(
      413,
      'payload_too_large',
      `the request body exceeds the ${(error as { limit?: number }).limit ?? DEFAULT_MAX_BODY_BYTES}-byte limit`,
    );
  if (type === 'entity.parse.failed') return new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported')
    return new HttpError(415, 'unsupported_media_type', (error as Error).message);
  if (error instanceof UserError) return new HttpError(400, 'bad_request', describeError(error));
  if (error instanceof UpstreamError) return new HttpError(503, 'unavailable', describeError(error), { 'retry-after': '5' });
  if (typeof status === 'number' && status >= 400 && status < 500) return new HttpError(status, 'bad_request', (error as Error).message);
  return undefined;
}
