/**
 * The `agents` command itself (see scripts/agents.js, which loads it once Node's compile cache is
 * on): every built-in agent of switchboard.config.json on its configured port, in one process;
 * HTTPS with TLS_CERT_FILE and TLS_KEY_FILE.
 */
import { parseArgs } from 'node:util';
import { loadEnv, logSettings, processEnv, tlsFileSettings, tracingSettings } from '../../src/config/env.ts';
import { loadConfigFile } from '../../src/config/file.ts';
import { loadTlsMaterial } from '../../src/config/tls.ts';
import { UserError } from '../../src/errors.ts';
import { transportNotice, type RunningAgentServer } from '../../src/mcp/index.ts';
import { createLogger, startTracing } from '../../src/telemetry/index.ts';
import { configuredPort, startBuiltinAgent, warmUpBuiltinAgents } from './builtinAgents.ts';
import { onShutdownSignal, runMain } from './cli.ts';

runMain(async () => {
  const { values } = parseArgs({
    options: { config: { type: 'string', default: 'switchboard.config.json' }, stateless: { type: 'boolean', default: false } },
  });
  const env = loadEnv();
  const root = createLogger(logSettings(env));
  const tracing = await startTracing(tracingSettings(env, 'switchboard-agents'));
  const config = await loadConfigFile(values.config, processEnv());
  const names = [...new Set(Object.values(config.servers).flatMap((entry) => (entry.agent && entry.enabled ? [entry.agent] : [])))];
  if (names.length === 0) throw new UserError(`${values.config} names no built-in agent (a server entry with "agent": "<name>")`);
  const tlsFiles = tlsFileSettings(env);
  const tls = tlsFiles && loadTlsMaterial(tlsFiles);
  const running: RunningAgentServer[] = [];
  onShutdownSignal(async () => {
    await Promise.all(running.map((server) => server.close()));
    await tracing.shutdown();
  });
  try {
    for (const name of names) {
      const logger = root.child({ name });
      const server = await startBuiltinAgent(name, env, {
        port: configuredPort(config, name) ?? 0,
        stateless: values.stateless,
        logger,
        tls,
      });
      running.push(server);
      logger.info(
        `listening on ${server.url} (${values.stateless ? 'stateless' : env.REDIS_URL ? 'stateful, sessions shared in Redis' : 'stateful'})`,
      );
    }
    const notice = transportNotice(env.HOST, tls, env.MCP_AUTH_TOKEN || env.MCP_OAUTH_ISSUER ? 'tokens' : 'requests');
    if (notice) root[notice.level](notice.message);
    // What the agents' first calls need (the analysis agent's NLP libraries) loads now, not with the first call.
    void warmUpBuiltinAgents(names);
  } catch (error) {
    // The agents already listening would keep the process alive after the error.
    await Promise.allSettled(running.map((server) => server.close()));
    throw error;
  }
});
