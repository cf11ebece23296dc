import { fileURLToPath } from 'node:url';
import type { Env } from '../../src/config/env.ts';
import type { ServerEntry } from '../../src/config/file.ts';
import type { RunningAgentServer } from '../../src/mcp/index.ts';
import { agentsSnapshotFlags } from './nlpSnapshot.js';
import { startCacheDir, startCachesOff } from './startCaches.js';

const PROBE_TIMEOUT_MS = 1500;

/**
 * Whether the built-in agent `agent` already answers at `url` (its /healthz names it). Over
 * node:http(s), which the MCP client loads anyway, not fetch: fetch's first call costs a CLI
 * run tens of milliseconds more.
 */
async function answers(url: string, agent: string, headers: Record<string, string>): Promise<boolean> {
  const target = new URL('/healthz', url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return false;
  const { request } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise<boolean>((resolve) => {
    const req = request(target, { headers, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => resolve(false));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) return resolve(false);
        try {
          resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { agent?: string } | null)?.agent === agent);
        } catch {
          resolve(false);
        }
      });
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

export interface StartedAgents {
  /** The servers with the urls of the agents started here. */
  readonly servers: Record<string, ServerEntry>;
  readonly started: string[];
  stop(): Promise<void>;
}

/** The entries the config lets start on demand and that nothing answers for yet (probed at once). */
async function missingAgents(servers: Readonly<Record<string, ServerEntry>>): Promise<[string, ServerEntry & { agent: string }][]> {
  const probed = await Promise.all(
    Object.entries(servers).map(async ([name, entry]) =>
      entry.enabled && entry.autoStart && entry.agent && !(await answers(entry.url, entry.agent, entry.headers))
        ? [[name, entry as ServerEntry & { agent: string }] as const]
        : [],
    ),
  );
  return probed.flat().map(([name, entry]) => [name, entry]);
}

/** `entry` at the url of the agent started for it, with the bearer token the agents were started with. */
function startedEntry(entry: ServerEntry, url: string, env: Env): ServerEntry {
  const headers =
    env.MCP_AUTH_TOKEN && !Object.keys(entry.headers).some((h) => h.toLowerCase() === 'authorization')
      ? { ...entry.headers, Authorization: `Bearer ${env.MCP_AUTH_TOKEN}` }
      : entry.headers;
  return { ...entry, url, headers };
}

const startedMessage = (entry: ServerEntry & { agent: string }, url: string) =>
  `started built-in agent "${entry.agent}" on ${url} (nothing answered at ${entry.url})`;

/**
 * Starts, on loopback ports, the built-in agents the config allows to start on demand and
 * that nothing answers for yet. They are still reached over Streamable HTTP like any server.
 */
export async function startMissingAgents(
  servers: Readonly<Record<string, ServerEntry>>,
  env: Env,
  onStart: (message: string) => void,
): Promise<StartedAgents> {
  const running: RunningAgentServer[] = [];
  const out: Record<string, ServerEntry> = { ...servers };
  const started: string[] = [];
  const stop = async () => {
    await Promise.all(running.map((server) => server.close(5000)));
  };
  const missing = await missingAgents(servers);
  // Settled, not Promise.all: an agent that starts after another failed must be stopped too,
  // or its server keeps the process alive after the error.
  const outcomes = await Promise.allSettled(
    missing.map(async ([name, entry]) => {
      // Loaded only when an agent must start: the kit (Express, Redis, metrics) is most of a CLI's start-up otherwise.
      const { startBuiltinAgent } = await import('./builtinAgents.ts');
      const server = await startBuiltinAgent(entry.agent, env, { port: 0 });
      running.push(server);
      started.push(name);
      out[name] = startedEntry(entry, server.url, env);
      onStart(startedMessage(entry, server.url));
    }),
  );
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { servers: out, started, stop };
}

/** What the agents' process tells the CLI once: the url of each agent asked for, in order, or why it could not start them. */
type ChildReport = { readonly urls: string[] } | { readonly error: string; readonly exitCode?: number };

/** Node flags without `--snapshot-blob` (and its file). */
function withoutSnapshot(flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === '--snapshot-blob') i++;
    else if (!flags[i]!.startsWith('--snapshot-blob=')) out.push(flags[i]!);
  }
  return out;
}

/**
 * {@link startMissingAgents} for a one-shot CLI: the agents start in a process of their own
 * (scripts/lib/agentsChild.js), on the machine's other core, while this one loads the
 * orchestrator. Resolves once the probes are done and that process is on its way; `ready` is
 * then the agents, up (or the error that stopped them: none is left running). The process ends
 * with `stop()`, or when this one exits.
 */
export async function startMissingAgentsAside(
  servers: Readonly<Record<string, ServerEntry>>,
  env: Env,
  onStart: (message: string) => void,
): Promise<{ ready: Promise<StartedAgents> }> {
  const missing = await missingAgents(servers);
  if (missing.length === 0) return { ready: Promise.resolve({ servers: { ...servers }, started: [], stop: async () => {} }) };
  const { fork } = await import('node:child_process');
  const child = fork(
    fileURLToPath(new URL('./agentsChild.js', import.meta.url)),
    [JSON.stringify(missing.map(([, entry]) => entry.agent))],
    // Its stderr is read, not shown: what the agents would log goes nowhere, as when they run in this process.
    // This process's Node flags, but not the CLI's start-up snapshot (the agents have no use for its tagger): their own.
    { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [...withoutSnapshot(process.execArgv), ...agentsSnapshotFlags()] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + String(chunk)).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.disconnect(); // it stops its agents and exits
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const ready = new Promise<StartedAgents>((resolve, reject) => {
    const early = (code: number | null, signal: string | null) =>
      reject(new Error(`the built-in agents' process exited (${signal ?? code}) before they listened: ${stderr.trim() || 'no output'}`));
    child.once('exit', early);
    child.once('error', reject);
    child.once('message', (report: ChildReport) => {
      child.off('exit', early);
      if ('error' in report) {
        void stop();
        reject(Object.assign(new Error(report.error), report.exitCode === undefined ? {} : { exitCode: report.exitCode }));
        return;
      }
      const out: Record<string, ServerEntry> = { ...servers };
      missing.forEach(([name, entry], i) => {
        out[name] = startedEntry(entry, report.urls[i]!, env);
        onStart(startedMessage(entry, report.urls[i]!));
      });
      // From here on it does not keep this process alive: when this one exits, it does too.
      child.unref();
      child.channel?.unref();
      (child.stderr as { unref?: () => void } | null)?.unref?.();
      resolve({ servers: out, started: missing.map(([name]) => name), stop });
    });
  });
  ready.catch(() => {}); // awaited by the caller; a failure before that is not left unhandled
  return { ready };
}

/**
 * The agents' process (scripts/lib/agentsChild.js): starts the built-in agents `names` on
 * loopback ports with this process's environment, reports their urls to the parent, and stops
 * them when the parent disconnects or exits.
 */
export async function serveAgentsForParent(names: readonly string[]): Promise<void> {
  const send = (report: ChildReport) => new Promise<void>((resolve) => process.send!(report, undefined, {}, () => resolve()));
  const { describeError } = await import('../../src/errors.ts');
  const running: RunningAgentServer[] = [];
  const stop = () => Promise.allSettled(running.map((server) => server.close(5000)));
  // The parent gone (its stop(), its exit, or its crash), so are the agents, started or starting.
  process.once('disconnect', () => void stop().then(() => process.exit(0)));
  try {
    const { loadEnv } = await import('../../src/config/env.ts');
    const { startBuiltinAgent } = await import('./builtinAgents.ts');
    const env = loadEnv();
    // The search agent's index from the last run's, for the same documents (see keepIndexesIn).
    if (names.includes('search') && !startCachesOff()) {
      const { keepIndexesIn } = await import('../../servers/search/local/searchIndex.ts');
      keepIndexesIn(startCacheDir());
    }
    const outcomes = await Promise.allSettled(
      names.map(async (name) => {
        const server = await startBuiltinAgent(name, env, { port: 0 });
        running.push(server);
        return server.url;
      }),
    );
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    await send({ urls: outcomes.map((outcome) => (outcome as PromiseFulfilledResult<string>).value) });
    // What their first calls need loads now, while the CLI connects and lists their tools.
    const { warmUpBuiltinAgents } = await import('./builtinAgents.ts');
    void warmUpBuiltinAgents(names);
  } catch (error) {
    await stop();
    const exitCode = (error as { exitCode?: unknown }).exitCode;
    await send({ error: describeError(error), ...(typeof exitCode === 'number' ? { exitCode } : {}) });
    process.exit(0);
  }
}
