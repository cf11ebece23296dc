/**
 * `npm run agent -- NAME [--port N] [--host H] [--stateless] [--stdio]`: serves one built-in agent.
 * Port: --port, else PORT, else the one switchboard.config.json gives the agent, else a free one.
 * Session limits: --max-sessions, --max-sessions-per-client, --session-idle-timeout S, --session-lifetime S,
 * --request-timeout S, --trusted-proxies A,B (each else its MCP_* variable; see scripts/lib/sessionFlags.ts).
 * HTTPS with TLS_CERT_FILE and TLS_KEY_FILE (client certificates with TLS_CA_FILE).
 */
import { parseArgs } from 'node:util';
import { loadEnv, logSettings, processEnv, tlsFileSettings, tracingSettings } from '../src/config/env.ts';
import { loadConfigFile } from '../src/config/file.ts';
import { loadTlsMaterial } from '../src/config/tls.ts';
import { UserError } from '../src/errors.ts';
import { serveStdio, transportNotice } from '../src/mcp/index.ts';
import { createLogger, startTracing } from '../src/telemetry/index.ts';
import { builtinAgentNames, configuredPort, loadBuiltinAgent, startBuiltinAgent } from './lib/builtinAgents.ts';
import { onShutdownSignal, runMain } from './lib/cli.ts';
import { SESSION_FLAGS, sessionFlagSettings } from './lib/sessionFlags.ts';

runMain(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      stateless: { type: 'boolean', default: false },
      stdio: { type: 'boolean', default: false },
      config: { type: 'string', default: 'switchboard.config.json' },
      ...SESSION_FLAGS,
    },
  });
  const name = positionals[0];
  if (!name)
    throw new UserError(
      `usage: npm run agent -- NAME [--port N] [--stateless] [--stdio]; agents: ${(await builtinAgentNames()).join(', ')}`,
    );
  const env = loadEnv({ ...processEnv(), ...(values.host ? { HOST: values.host } : {}) });
  const logger = createLogger({ ...logSettings(env), name });
  const tracing = await startTracing(tracingSettings(env, `switchboard-${name}`));
  const warn = (message: string) => logger.warn(message);

  if (values.stdio) {
    const agent = await loadBuiltinAgent(name, env);
    await serveStdio(agent, warn);
    await tracing.shutdown();
    return;
  }
  const config = await loadConfigFile(values.config, processEnv()).catch(() => undefined);
  const port = values.port !== undefined ? Number(values.port) : (env.PORT ?? configuredPort(config, name) ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port ${values.port}: expected a port number`);
  const sessions = sessionFlagSettings(values, env);
  // Certificate and key are checked before the agent is built: a bad file is the one line printed.
  const tlsFiles = tlsFileSettings(env);
  const tls = tlsFiles && loadTlsMaterial(tlsFiles);
  const running = await startBuiltinAgent(name, env, { port, stateless: values.stateless, logger, sessions, tls });
  logger.info(
    `listening on ${running.url} (${values.stateless ? 'stateless' : env.REDIS_URL ? 'stateful, sessions shared in Redis' : 'stateful'}${env.MCP_AUTH_TOKEN ? ', bearer token required' : ''}${env.MCP_OAUTH_ISSUER ? `, OAuth tokens of ${env.MCP_OAUTH_ISSUER} accepted` : ''}${tls?.ca ? ', client certificate required' : ''})`,
  );
  const notice = transportNotice(env.HOST, tls, env.MCP_AUTH_TOKEN || env.MCP_OAUTH_ISSUER ? 'tokens' : 'requests');
  if (notice) logger[notice.level](notice.message);
  onShutdownSignal(async () => {
    await running.close();
    await tracing.shutdown();
  });
});
