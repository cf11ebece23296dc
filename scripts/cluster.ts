/**
 * `npm run cluster`: a deployment's topology on loopback. nginx (round-robin, no affinity) in front
 * of 3 replicas of each built-in agent and 2 of the service, on PostgreSQL (DATABASE_URL) and Redis
 * (REDIS_URL); prints the URLs; Ctrl-C (SIGINT) or SIGTERM stops every process it started.
 *
 *   --port N              nginx's ports: the service on N, incident, search, analysis on N+1..N+3
 *                         (default 0: free ports, printed)
 *   --agent-replicas N    replicas of each agent (default 3)
 *   --service-replicas N  replicas of the service (default 2; 0 leaves it out)
 *   --agents A,B          which built-in agents (default incident,search,analysis)
 *   --stateless           agents without sessions (any replica serves any request without Redis sessions)
 *   --verbose             every replica's log on stderr, each line prefixed with its name
 *                         (default: a log file per replica in the run folder, printed)
 *   --print-compose-nginx print deploy/nginx.conf (the same balancing for compose) and exit
 *
 * A replica that exits on its own (a crash) is started again on its port a second later.
 *
 * The replicas get this process's environment (SWITCHBOARD_API_KEYS, MCP_AUTH_TOKEN, ...), HOST=127.0.0.1,
 * and MCP_TRUSTED_PROXIES=127.0.0.1 (nginx's X-Forwarded-For names the client). nginx: SWITCHBOARD_NGINX,
 * else Debian's /usr/sbin/nginx, else nginx on PATH.
 */
import { parseArgs } from 'node:util';
import { processEnv } from '../src/config/env.ts';
import { UserError, describeError } from '../src/errors.ts';
import { CLUSTER_AGENTS, DEFAULT_AGENT_REPLICAS, DEFAULT_SERVICE_REPLICAS, startCluster } from './lib/cluster.ts';
import { composeNginxConfig } from './lib/composeNginx.ts';
import { onShutdownSignal, runMain } from './lib/cli.ts';

function count(flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw Object.assign(new UserError(`--${flag} must be a whole number >= ${min}, not "${value}"`), { exitCode: 2 });
  return n;
}

runMain(async () => {
  let values;
  try {
    values = parseArgs({
      options: {
        port: { type: 'string' },
        'agent-replicas': { type: 'string' },
        'service-replicas': { type: 'string' },
        agents: { type: 'string' },
        stateless: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        'print-compose-nginx': { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    throw Object.assign(new UserError((error as Error).message), { exitCode: 2 });
  }
  if (values['print-compose-nginx']) {
    process.stdout.write(composeNginxConfig());
    return;
  }
  const port = count('port', values.port, 0, 0);
  if (port > 65535 - CLUSTER_AGENTS.length) throw Object.assign(new UserError(`--port ${port}: expected a port number`), { exitCode: 2 });
  const agents = values.agents?.split(',').map((name) => name.trim()) ?? [...CLUSTER_AGENTS];
  const unknown = agents.filter((name) => !(CLUSTER_AGENTS as readonly string[]).includes(name));
  if (unknown.length > 0 || agents.length === 0)
    throw Object.assign(new UserError(`--agents ${values.agents}: built-in agents are ${CLUSTER_AGENTS.join(', ')}`), { exitCode: 2 });

  const progress = (message: string) => process.stderr.write(`cluster: ${message}\n`);
  let closing = false;
  const cluster = await startCluster({
    env: processEnv(),
    agents,
    agentReplicas: count('agent-replicas', values['agent-replicas'], DEFAULT_AGENT_REPLICAS, 1),
    serviceReplicas: count('service-replicas', values['service-replicas'], DEFAULT_SERVICE_REPLICAS, 0),
    port,
    agentArgs: values.stateless ? ['--stateless'] : [],
    echo: values.verbose ? process.stderr : undefined,
    progress,
    // As compose's `restart: unless-stopped`: a replica that crashed is started again (nginx skips it meanwhile).
    onReplicaExit: (replica, how) => {
      progress(`${replica.name} exited (${how}); starting it again`);
      setTimeout(() => {
        if (closing) return;
        replica.start().then(
          () => progress(`${replica.name} is back on port ${replica.port}`),
          (error: unknown) => progress(`${replica.name} did not start again: ${describeError(error)}`),
        );
      }, 1000);
    },
  });
  onShutdownSignal(() => {
    closing = true;
    return cluster.close();
  });
  const lines = Object.entries(cluster.urls).map(([group, url]) => {
    const replicas = cluster.group(group).map((replica) => replica.port);
    return `  ${group.padEnd(9)} ${url}${group === 'service' ? '' : '/mcp'}   (replicas on ports ${replicas.join(', ')})`;
  });
  process.stdout.write(
    [
      'Switchboard cluster: nginx, round-robin, no affinity',
      ...lines,
      `  logs      ${cluster.dir}/*.log`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
});
