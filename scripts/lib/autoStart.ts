import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Env } from '../../src/config/env.ts';
import type { ServerEntry } from '../../src/config/file.ts';
import type { AgentHostReply, AgentHostRequest } from './agentHost.ts';

const PROBE_TIMEOUT_MS = 1500;

/** Whether the built-in agent `agent` already answers at `url` (its /healthz names it). */
async function answers(url: string, agent: string, headers: Record<string, string>): Promise<boolean> {
  try {
    const response = await fetch(new URL('/healthz', url), { headers, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!response.ok) return false;
    const body = (await response.json()) as { agent?: string };
    return body.agent === agent;
  } catch {
    return false;
  }
}

export interface StartedAgents {
  /** The servers with the urls of the agents started here. */
  readonly servers: Record<string, ServerEntry>;
  readonly started: string[];
  stop(): Promise<void>;
}

export interface StartAgentsOptions {
  /**
   * Serve the agents from a child process (see agentHost.ts) instead of this one, so they load
   * and start on another core while this process loads its own code: a one-shot CLI's choice.
   * The child stops with `stop()`, or when this process goes away. Default false.
   */
  readonly childProcess?: boolean;
}

/** Where an agent runs: `start` gives its URL and a way to stop it. */
interface Launcher {
  start(agent: string): Promise<string>;
  stop(): Promise<void>;
}

/** Agents served by this process. */
function inProcess(env: Env): Launcher {
  const running: { close(timeoutMs?: number): Promise<void> }[] = [];
  return {
    async start(agent) {
      // Loaded only when an agent must start: the kit (Express, Redis, metrics) is most of a CLI's start-up otherwise.
      const { startBuiltinAgent } = await import('./builtinAgents.ts');
      const server = await startBuiltinAgent(agent, env, { port: 0 });
      running.push(server);
      return server.url;
    },
    async stop() {
      await Promise.all(running.map((server) => server.close(5000)));
    },
  };
}

/** Agents served by one child process, forked at the first start; it reads its settings from the same environment. */
function inChildProcess(): Launcher {
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> | undefined;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (url: string) => void; reject: (error: Error) => void }>();
  const host = () => {
    if (child) return child;
    child = fork(fileURLToPath(new URL('./agentHost.js', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const forked = child;
    exited = new Promise<void>((resolve) => {
      forked.once('exit', () => resolve());
      // A process that could not be started emits no exit.
      forked.once('error', () => forked.pid === undefined && resolve());
    });
    child.on('message', (reply: AgentHostReply) => {
      const request = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ('url' in reply) request?.resolve(reply.url);
      else request?.reject(Object.assign(new Error(reply.error), { exitCode: reply.exitCode }));
    });
    const failAll = (error: Error) => {
      for (const request of waiting.values()) request.reject(error);
      waiting.clear();
    };
    child.on('exit', (code, signal) => failAll(new Error(`the built-in agents' process exited (${signal ?? `code ${code}`})`)));
    child.on('error', (error) => failAll(new Error(`the built-in agents' process failed: ${error.message}`, { cause: error })));
    return child;
  };
  return {
    start(agent) {
      const id = nextId++;
      const request: AgentHostRequest = { id, agent };
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        host().send(request);
      });
    },
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send('stop' satisfies AgentHostRequest);
      else child.kill();
      await exited;
    },
  };
}

/**
 * Starts, on loopback ports, the built-in agents the config allows to start on demand and
 * that nothing answers for yet. They are still reached over Streamable HTTP like any server.
 */
export async function startMissingAgents(
  servers: Readonly<Record<string, ServerEntry>>,
  env: Env,
  onStart: (message: string) => void,
  options: StartAgentsOptions = {},
): Promise<StartedAgents> {
  const launcher = options.childProcess ? inChildProcess() : inProcess(env);
  const out: Record<string, ServerEntry> = { ...servers };
  const started: string[] = [];
  const stop = () => launcher.stop();
  // Settled, not Promise.all: an agent that starts after another failed must be stopped too,
  // or its server keeps the process alive after the error.
  const outcomes = await Promise.allSettled(
    Object.entries(servers).map(async ([name, entry]) => {
      if (!entry.enabled || !entry.autoStart || !entry.agent) return;
      if (await answers(entry.url, entry.agent, entry.headers)) return;
      const url = await launcher.start(entry.agent);
      started.push(name);
      const headers =
        env.MCP_AUTH_TOKEN && !Object.keys(entry.headers).some((h) => h.toLowerCase() === 'authorization')
          ? { ...entry.headers, Authorization: `Bearer ${env.MCP_AUTH_TOKEN}` }
          : entry.headers;
      out[name] = { ...entry, url, headers };
      onStart(`started built-in agent "${entry.agent}" on ${url} (nothing answered at ${entry.url})`);
    }),
  );
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { servers: out, started, stop };
}
