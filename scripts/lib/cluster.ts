/**
 * A deployment's topology on loopback: nginx (round-robin, no affinity) in front of N replicas of
 * each built-in agent and M of the service, all on one PostgreSQL and one Redis. Each replica is a
 * child process (`scripts/agent.ts`, `scripts/serve.ts`) on a port of its own, restartable on that
 * port; nginx runs from a generated config in a temporary folder, without root.
 * Used by `npm run cluster`, the cluster tests and the soak bench.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, UpstreamError, UserError, describeError } from '../../src/errors.ts';
import { nginxConfig, type UpstreamGroup } from './nginxConfig.ts';

export const CLUSTER_AGENTS = ['incident', 'search', 'analysis'] as const;
export const DEFAULT_AGENT_REPLICAS = 3;
export const DEFAULT_SERVICE_REPLICAS = 2;
/** How long a replica may take to say it listens (a loaded machine starting a dozen of them). */
const START_TIMEOUT_MS = 60_000;
/** How long a replica gets to stop after SIGTERM before SIGKILL. */
const STOP_TIMEOUT_MS = 10_000;
const NGINX_NAMES = ['/usr/sbin/nginx', 'nginx'];
const NGINX_NEEDED = "npm run cluster needs nginx: Debian's package (apt-get install nginx), or SWITCHBOARD_NGINX=/path/to/nginx";

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ClusterOptions {
  /** The environment the replicas get (plus their ports); needs DATABASE_URL and REDIS_URL. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Which built-in agents. Default: incident, search, analysis. */
  readonly agents?: readonly string[];
  /** Replicas of each agent. Default 3. */
  readonly agentReplicas?: number;
  /** Replicas of the service; 0 leaves it out. Default 2. */
  readonly serviceReplicas?: number;
  /** Where nginx listens: the service on `port`, the agents on port+1, +2, ... Default 0: free ports. */
  readonly port?: number;
  /** Extra flags of every agent replica, e.g. `--stateless`. */
  readonly agentArgs?: readonly string[];
  /** Agents whose replicas run without sessions (`--stateless`), beside stateful ones. Default: none. */
  readonly statelessAgents?: readonly string[];
  /** Extra flags of every service replica, e.g. `--takeover 1`. */
  readonly serviceArgs?: readonly string[];
  /** Servers the service reaches besides the cluster's agents (a test's own agent). */
  readonly extraServers?: Readonly<Record<string, unknown>>;
  /** Where replicas' and nginx's output goes: a log file per process in the run folder (default), or also this stream. */
  readonly echo?: { write(text: string): unknown };
  /** Progress lines (what is starting). Default: nowhere. */
  readonly progress?: (message: string) => void;
  /** A replica (or nginx) that exited without being told to, e.g. a crash; `how` is its signal or exit code. */
  readonly onReplicaExit?: (replica: Replica, how: string) => void;
}

/** One replica: a child process on a fixed port, which can be killed and started again on that port. */
export interface Replica {
  /** `incident-1`, `service-2`. */
  readonly name: string;
  readonly group: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  pid(): number | undefined;
  running(): boolean;
  /** Sends `signal` (default SIGKILL: a crash) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on its port; resolves once it listens. */
  start(): Promise<void>;
  /** Resident memory of the process in bytes (Linux /proc), undefined when not running. */
  rss(): number | undefined;
}

export interface RunningCluster {
  /** The run folder: nginx.conf, the service's config, a log per process. */
  readonly dir: string;
  /** nginx's URL of each group: `{ service: 'http://127.0.0.1:8100', incident: ... }` (origins, no path). */
  readonly urls: Readonly<Record<string, string>>;
  readonly replicas: readonly Replica[];
  /** The replicas of one group. */
  group(name: string): Replica[];
  /** Stops nginx and every replica (SIGTERM, then SIGKILL after 10 s) and removes the run folder. */
  close(): Promise<void>;
}

/** The nginx executable: SWITCHBOARD_NGINX, else Debian's /usr/sbin/nginx, else nginx on PATH; undefined when none. */
export function findNginx(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const explicit = env['SWITCHBOARD_NGINX'];
  if (explicit) return executable(explicit) ? explicit : undefined;
  const folders = (env['PATH'] ?? '').split(delimiter).filter(Boolean);
  return [NGINX_NAMES[0]!, ...folders.map((folder) => join(folder, 'nginx'))].find(executable);
}

/** Why the cluster cannot start here (nginx, PostgreSQL or Redis missing), one line naming the fix; undefined when it can. */
export async function checkClusterPrerequisites(env: Readonly<Record<string, string | undefined>>): Promise<void> {
  if (findNginx(env) === undefined) {
    const explicit = env['SWITCHBOARD_NGINX'];
    throw new ConfigError(explicit ? `SWITCHBOARD_NGINX=${explicit} is not an executable` : `no nginx found: ${NGINX_NEEDED}`);
  }
  const databaseUrl = env['DATABASE_URL'];
  if (!databaseUrl)
    throw new ConfigError('npm run cluster needs DATABASE_URL: the replicas share one PostgreSQL', {
      hint: 'e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/switchboard',
    });
  const redisUrl = env['REDIS_URL'];
  if (!redisUrl)
    throw new ConfigError('npm run cluster needs REDIS_URL: the agents share sessions and streams in Redis', {
      hint: 'e.g. REDIS_URL=redis://127.0.0.1:6379',
    });
  // Loaded here, not at the top: a usage error or a missing nginx is reported without loading the kit.
  const [{ createPostgresStore }, { RedisEventStore }] = await Promise.all([
    import('../../src/store/index.ts'),
    import('../../src/mcp/index.ts'),
  ]);
  const pg = createPostgresStore({ connectionString: databaseUrl, max: 1, connectTimeoutMs: 5000 });
  try {
    await pg.query('SELECT 1');
  } finally {
    await pg.close();
  }
  const redis = await RedisEventStore.connect({ url: redisUrl });
  await redis.close();
}

/** A port free on 127.0.0.1 right now (the kernel's pick); nginx cannot listen on port 0 and report it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

const LISTENING = /listening on (https?:\/\/[^\s"]+)/;

interface ProcessSpec {
  readonly name: string;
  readonly command: string;
  readonly args: (port: number) => string[];
  readonly env: (port: number) => NodeJS.ProcessEnv;
  /** Resolves with the port once the process listens. */
  readonly ready: (child: ChildProcess, output: () => string, port: number) => Promise<number>;
}

/** Waits for a script's "listening on URL" line; rejects with its output when it exits first or takes too long. */
function scriptReady(child: ChildProcess, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`did not listen within ${START_TIMEOUT_MS / 1000}s`)), START_TIMEOUT_MS);
    const check = () => {
      const match = LISTENING.exec(output());
      if (match) finish(() => resolve(Number(new URL(match[1]!).port)));
    };
    const onExit = (code: number | null, signal: string | null) => fail(new Error(`exited (${signal ?? code}) before listening`));
    const finish = (then: () => void) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      then();
    };
    const fail = (error: Error) => finish(() => reject(error));
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

class ChildReplica implements Replica {
  readonly name: string;
  readonly group: string;
  port = 0;
  private child: ChildProcess | undefined;
  private readonly spec: ProcessSpec;
  private readonly log: WriteStream;
  private readonly echo: { write(text: string): unknown } | undefined;
  private tail = '';
  private stopping = false;
  onExit: ((replica: Replica, how: string) => void) | undefined;

  constructor(group: string, spec: ProcessSpec, log: WriteStream, echo?: { write(text: string): unknown }) {
    this.group = group;
    this.name = spec.name;
    this.spec = spec;
    this.log = log;
    this.echo = echo;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  pid(): number | undefined {
    return this.child?.pid;
  }

  running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running()) return;
    this.tail = '';
    const child = spawn(this.spec.command, this.spec.args(this.port), {
      cwd: root,
      env: this.spec.env(this.port),
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own: Ctrl-C reaches the cluster only, which stops the replicas in order.
      detached: true,
    });
    this.child = child;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.tail = (this.tail + text).slice(-8000);
      this.log.write(text);
      this.echo?.write(text.replace(/^(?=.)/gm, `[${this.name}] `));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    this.stopping = false;
    try {
      await spawned;
      this.port = await this.spec.ready(child, () => this.tail, this.port);
      child.once('exit', (code, signal) => {
        if (!this.stopping) this.onExit?.(this, signal ?? `code ${code}`);
      });
    } catch (error) {
      await this.kill();
      const output = this.tail.trim().split('\n').slice(-5).join('\n');
      throw new UserError(`${this.name} ${describeError(error)}${output ? `:\n${output}` : ''}`, { cause: error });
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.running()) return;
    this.stopping = true;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  rss(): number | undefined {
    const pid = this.pid();
    if (pid === undefined || !this.running()) return undefined;
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }
}

function positiveCount(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be a whole number >= ${min}, not ${value}`);
  return value;
}

/** Starts the cluster; whatever started before a failure is stopped again. */
export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const env = options.env;
  await checkClusterPrerequisites(env);
  const nginx = findNginx(env)!;
  const agents = [...(options.agents ?? CLUSTER_AGENTS)];
  const agentReplicas = positiveCount('agent replicas', options.agentReplicas ?? DEFAULT_AGENT_REPLICAS, 1);
  const serviceReplicas = positiveCount('service replicas', options.serviceReplicas ?? DEFAULT_SERVICE_REPLICAS, 0);
  const base = options.port ?? 0;
  if (!Number.isInteger(base) || base < 0 || base + agents.length > 65535) throw new ConfigError(`--port ${base}: expected a port number`);
  const groups = [...(serviceReplicas > 0 ? ['service'] : []), ...agents];

  const dir = await mkdtemp(join(tmpdir(), 'switchboard-cluster-'));
  // nginx's workers drop root for `nobody`: when root starts it, they must still reach the run folder.
  await chmod(dir, 0o755);
  const logs: WriteStream[] = [];
  const replicas: ChildReplica[] = [];
  let nginxReplica: ChildReplica | undefined;
  const close = async () => {
    for (const replica of [...replicas, nginxReplica]) if (replica) replica.onExit = undefined;
    await nginxReplica?.kill('SIGTERM');
    await Promise.allSettled(replicas.map((replica) => replica.kill('SIGTERM')));
    await Promise.all(logs.map((log) => new Promise((resolve) => log.end(resolve))));
    await rm(dir, { recursive: true, force: true });
  };
  const logFor = (name: string) => {
    const log = createWriteStream(join(dir, `${name}.log`));
    logs.push(log);
    return log;
  };

  try {
    // nginx's ports first: the service's config names the agents' balanced URLs before anything listens.
    const listenPorts: Record<string, number> = {};
    for (const [i, group] of groups.entries())
      listenPorts[group] = base === 0 ? await freePort() : base + (serviceReplicas > 0 ? i : i + 1);
    const urls = Object.fromEntries(groups.map((group) => [group, `http://127.0.0.1:${listenPorts[group]}`]));

    const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
      const out: NodeJS.ProcessEnv = { ...env, HOST: '127.0.0.1', MCP_TRUSTED_PROXIES: '127.0.0.1', ...extra };
      delete out['NODE_TEST_CONTEXT'];
      return out;
    };
    const script = (name: string) => join(root, 'scripts', `${name}.ts`);
    for (const agent of agents) {
      for (let i = 1; i <= agentReplicas; i++) {
        const name = `${agent}-${i}`;
        const spec: ProcessSpec = {
          name,
          command: process.execPath,
          args: (port) => [
            script('agent'),
            agent,
            '--port',
            String(port),
            ...(options.statelessAgents?.includes(agent) ? ['--stateless'] : []),
            ...(options.agentArgs ?? []),
          ],
          env: () => childEnv({}),
          ready: (child, output) => scriptReady(child, output),
        };
        replicas.push(new ChildReplica(agent, spec, logFor(name), options.echo));
        replicas.at(-1)!.onExit = options.onReplicaExit;
      }
    }
    if (serviceReplicas > 0) {
      const configPath = join(dir, 'service.config.json');
      const servers = Object.fromEntries(
        agents.map((agent) => [agent, { url: `${urls[agent]}/mcp`, agent, autoStart: false, timeoutMs: 60_000, exclude: ['ask_*_agent'] }]),
      );
      await writeFile(configPath, `${JSON.stringify({ servers: { ...servers, ...options.extraServers } }, null, 2)}\n`);
      for (let i = 1; i <= serviceReplicas; i++) {
        const name = `service-${i}`;
        const spec: ProcessSpec = {
          name,
          command: process.execPath,
          args: () => [script('serve'), '--config', configPath, ...(options.serviceArgs ?? [])],
          env: (port) => childEnv({ PORT: String(port) }),
          ready: (child, output) => scriptReady(child, output),
        };
        replicas.push(new ChildReplica('service', spec, logFor(name), options.echo));
        replicas.at(-1)!.onExit = options.onReplicaExit;
      }
    }
    options.progress?.(`starting ${replicas.length} replicas (logs in ${dir}) ...`);
    const started = await Promise.allSettled(replicas.map((replica) => replica.start()));
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;

    const upstreams: UpstreamGroup[] = groups.map((group) => ({
      name: group,
      listen: `127.0.0.1:${listenPorts[group]}`,
      servers: replicas.filter((replica) => replica.group === group).map((replica) => `127.0.0.1:${replica.port}`),
    }));
    const confPath = join(dir, 'nginx.conf');
    await writeFile(confPath, nginxConfig({ groups: upstreams, runDir: dir }));
    const test = spawnSync(nginx, ['-t', '-q', '-p', dir, '-e', join(dir, 'error.log'), '-c', confPath], { encoding: 'utf8' });
    if (test.status !== 0) throw new ConfigError(`nginx refused ${confPath}: ${(test.stderr || test.stdout).trim()}`);
    const nginxSpec: ProcessSpec = {
      name: 'nginx',
      command: nginx,
      args: () => ['-p', dir, '-e', join(dir, 'error.log'), '-c', confPath],
      env: () => ({ PATH: env['PATH'] }),
      ready: (child, _output, port) => nginxReady(child, join(dir, 'error.log'), Object.values(listenPorts), port),
    };
    nginxReplica = new ChildReplica('nginx', nginxSpec, logFor('nginx'), options.echo);
    nginxReplica.onExit = options.onReplicaExit;
    await nginxReplica.start();
    options.progress?.('nginx is balancing');
    return {
      dir,
      urls,
      replicas,
      group: (name) => replicas.filter((replica) => replica.group === name),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** nginx prints nothing when it is up: it is ready once every listen port accepts a connection. */
async function nginxReady(child: ChildProcess, errorLog: string, ports: number[], port: number): Promise<number> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (const target of ports) {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const log = (() => {
          try {
            return readFileSync(errorLog, 'utf8').trim().split('\n').slice(-3).join('; ');
          } catch {
            return '';
          }
        })();
        throw new UpstreamError('nginx', `nginx exited: ${log || `see ${errorLog}`}`, {
          hint: 'a port may be taken: pick another --port, or leave it at 0 for free ports',
        });
      }
      const ok = await fetch(`http://127.0.0.1:${target}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${target} within ${START_TIMEOUT_MS / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return port;
}
