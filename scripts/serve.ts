/**
 * `npm run serve`: the orchestrator as a long-lived service on HOST:PORT (default 127.0.0.1:8100):
 * the HTTP API under /v1, MCP at /mcp, /healthz, /readyz, /metrics, /openapi.json.
 *
 *   --config FILE       default SWITCHBOARD_CONFIG, else switchboard.config.json
 *   --model SPEC        the default model of runs (default: SWITCHBOARD_MODEL, else openai with a key, else offline)
 *   --yes               approve tools marked destructive without asking (runs never pause; MCP callers may run them)
 *   --concurrency N     runs per API key at once (default 4)
 *   --queue N           runs per API key waiting (default 32)
 *   --run-timeout S     seconds a run may spend running (default 300)
 *   --grace S           seconds in-flight runs get at shutdown before they are interrupted (default 20)
 *   --max-sessions N, --max-sessions-per-client N, --session-idle-timeout S, --session-lifetime S,
 *   --request-timeout S, --trusted-proxies A,B
 *                       limits of /mcp's sessions (each else its MCP_* variable; see scripts/lib/sessionFlags.ts)
 *   --retention D       days finished runs and their events are kept (default SWITCHBOARD_RUN_RETENTION_DAYS, else 7)
 *   --takeover S        seconds a replica may go silent (hung, cut off) before its runs are taken over
 *                       (default SWITCHBOARD_TAKEOVER_SECONDS, else 10; at least 10 with PostgreSQL, where a
 *                       replica that dies is noticed within about a second whatever this says)
 *
 * HTTPS with TLS_CERT_FILE and TLS_KEY_FILE (client certificates signed by TLS_CA_FILE, when set).
 * State: SQLite in SWITCHBOARD_DATA_DIR, or PostgreSQL with DATABASE_URL (replicas share it; runs are dispatched
 * through pg-boss there, in schema SWITCHBOARD_PG_SCHEMA_boss or pgboss).
 * SIGTERM/SIGINT: in-flight runs finish, or are checkpointed and resume after a restart.
 */
import type { RequestListener } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { agentServerSettings, loadEnv, logSettings, processEnv, tlsFileSettings, tracingSettings } from '../src/config/env.ts';
import { loadConfigFile } from '../src/config/file.ts';
import { loadTlsMaterial, type TlsServerMaterial } from '../src/config/tls.ts';
import { ConfigError, UserError } from '../src/errors.ts';
import { createWebServer, originOf, transportNotice } from '../src/mcp/index.ts';
import {
  DEFAULT_RETENTION_MS,
  DEFAULT_RUN_TIMEOUT_MS,
  DEFAULT_STALE_AFTER_MS,
  createServiceApp,
  createEnvModelResolver,
  openRunQueue,
  openRunStore,
  type ServiceApp,
} from '../src/service/index.ts';
import { createCheckpointer } from '../src/store/checkpoint/index.ts';
import { createLogger, startTracing } from '../src/telemetry/index.ts';
import { startMissingAgents } from './lib/autoStart.ts';
import { onShutdownSignal, runMain } from './lib/cli.ts';
import { SESSION_FLAGS, sessionFlagSettings } from './lib/sessionFlags.ts';

const DEFAULT_PORT = 8100;

function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw Object.assign(new UserError(`--${flag} must be a positive number, not "${value}"`), { exitCode: 2 });
  return n;
}

runMain(async () => {
  let values;
  try {
    values = parseArgs({
      options: {
        config: { type: 'string' },
        model: { type: 'string' },
        yes: { type: 'boolean', default: false },
        concurrency: { type: 'string' },
        queue: { type: 'string' },
        'run-timeout': { type: 'string' },
        grace: { type: 'string' },
        ...SESSION_FLAGS,
        takeover: { type: 'string' },
        retention: { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw Object.assign(new UserError((error as Error).message), { exitCode: 2 });
  }
  let env, servers, resolveModel, logger;
  let tls: TlsServerMaterial | undefined;
  try {
    env = loadEnv();
    logger = createLogger(logSettings(env));
    const tlsFiles = tlsFileSettings(env);
    tls = tlsFiles && loadTlsMaterial(tlsFiles);
    const configPath = values.config ?? env.SWITCHBOARD_CONFIG;
    servers = (await loadConfigFile(configPath, processEnv())).servers;
    if (Object.keys(servers).length === 0) throw new ConfigError(`no MCP servers configured in ${configPath}`);
    resolveModel = createEnvModelResolver(env, values.model);
    resolveModel(undefined); // a bad default model fails here, not at the first run
  } catch (error) {
    throw Object.assign(error as Error, { exitCode: 2 });
  }
  const concurrency = positive('concurrency', values.concurrency);
  const queue = positive('queue', values.queue);
  const runTimeout = positive('run-timeout', values['run-timeout']);
  const grace = positive('grace', values.grace) ?? 20;
  const mcpSessions = sessionFlagSettings(values, env);
  const takeover = positive('takeover', values.takeover) ?? env.SWITCHBOARD_TAKEOVER_SECONDS;
  const retention = positive('retention', values.retention) ?? env.SWITCHBOARD_RUN_RETENTION_DAYS;

  // Take the port first: a port in use fails before anything starts. Until the app is ready, requests get 503.
  let handler: RequestListener = (_req, res) => {
    res
      .writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' })
      .end(JSON.stringify({ error: { code: 'unavailable', message: 'the service is starting' } }));
  };
  const server = createWebServer((req, res) => handler(req, res), tls);
  const port = env.PORT ?? DEFAULT_PORT;
  server.listen(port, env.HOST);
  try {
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UserError(`port ${port} on ${env.HOST} is already in use: stop what holds it or set PORT`);
    throw error;
  }

  // Whatever started before a failure is stopped again, so the process exits with its one-line error.
  const opened: (() => Promise<unknown>)[] = [];
  const tracing = await startTracing(tracingSettings(env, 'switchboard-service'));
  opened.push(() => tracing.shutdown());
  const closeOpened = () => Promise.allSettled(opened.reverse().map((close) => close()));
  let app: ServiceApp;
  let storeInfo: string;
  try {
    const agents = await startMissingAgents(servers, env, (message) => logger.info(message));
    opened.push(() => agents.stop());
    const schema = env.SWITCHBOARD_PG_SCHEMA;
    const checkpointer = await createCheckpointer({ databaseUrl: env.DATABASE_URL, dataDir: env.SWITCHBOARD_DATA_DIR, schema });
    opened.push(() => checkpointer.close());
    const store = await openRunStore({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.SWITCHBOARD_DATA_DIR,
      schema,
      onWarning: (message) => logger.warn(message),
    });
    opened.push(() => store.close());
    // The app's shutdown closes the queue; this is for a start that fails before the app exists.
    const runQueue = env.DATABASE_URL
      ? await openRunQueue({
          connectionString: env.DATABASE_URL,
          runsSchema: schema,
          takeoverSeconds: takeover ?? DEFAULT_STALE_AFTER_MS / 1000,
          retentionSeconds: retention === undefined ? DEFAULT_RETENTION_MS / 1000 : retention * 24 * 3600,
          runTimeoutMs: runTimeout === undefined ? DEFAULT_RUN_TIMEOUT_MS : runTimeout * 1000,
          onWarning: (message) => logger.warn(message),
        })
      : undefined;
    if (runQueue) opened.push(() => runQueue.close(0));
    if (runQueue && takeover !== undefined && takeover < runQueue.heartbeatSeconds)
      logger.warn(
        `--takeover ${takeover} is below pg-boss's shortest job heartbeat: a hung replica's runs are taken over after ${runQueue.heartbeatSeconds} s (a crashed one's within about a second)`,
      );
    storeInfo = `state: ${store.kind} ${store.location}; threads: ${checkpointer.kind}${runQueue ? `; runs queued in pg-boss (schema ${runQueue.bossSchema})` : ''}`;

    const security = agentServerSettings(env);
    app = createServiceApp({
      servers: agents.servers,
      checkpointer: checkpointer.saver,
      store,
      queue: runQueue,
      resolveModel,
      apiKeys: env.SWITCHBOARD_API_KEYS,
      ...(security.oauth ? { oauth: security.oauth } : {}),
      allowedOrigins: security.allowedOrigins,
      allowedHosts: security.allowedHosts,
      concurrencyPerKey: concurrency,
      queuePerKey: queue,
      runTimeoutMs: runTimeout === undefined ? undefined : runTimeout * 1000,
      staleAfterMs: takeover === undefined ? undefined : takeover * 1000,
      retentionMs: retention === undefined ? undefined : retention * 24 * 3600_000,
      autoApprove: values.yes,
      logger,
      mcpSessions,
    });
  } catch (error) {
    server.close();
    await closeOpened();
    throw error;
  }
  handler = app;
  let recovered: number;
  try {
    ({ recovered } = await app.start());
  } catch (error) {
    // A store that fails while runs are recovered: stop what is open, or the process hangs after the error.
    server.close();
    server.closeAllConnections();
    await app.shutdown(0).catch(() => undefined);
    await closeOpened();
    throw error;
  }
  const address = server.address() as AddressInfo;
  logger.info(`switchboard service listening on ${originOf(env.HOST, address.port, tls !== undefined)} (${storeInfo})`);
  const notice = transportNotice(env.HOST, tls, env.SWITCHBOARD_API_KEYS.length > 0 || env.MCP_OAUTH_ISSUER ? 'tokens' : 'requests');
  if (notice) logger[notice.level](notice.message);
  if (recovered > 0) logger.info(`resuming ${recovered} run(s) interrupted earlier`);
  if (env.SWITCHBOARD_API_KEYS.length === 0 && !env.MCP_OAUTH_ISSUER)
    logger.warn(`SWITCHBOARD_API_KEYS is not set: anyone who can reach ${env.HOST}:${address.port} may run requests`);

  onShutdownSignal(async () => {
    server.close();
    server.closeIdleConnections();
    await app.shutdown(grace * 1000);
    server.closeAllConnections();
    await closeOpened();
  });
});
