import { Worker } from 'node:worker_threads';
import type { Env } from '../../src/config/env.ts';
import type { ServerEntry } from '../../src/config/file.ts';
import { SystemError, UserError } from '../../src/errors.ts';
import type { AgentWorkerData, AgentWorkerReport } from './agentWorker.ts';

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

/** The agents of `agents` (entry name -> agent name) in one worker thread, once all listen; on a failure none is left running. */
async function startInWorker(
  agents: Record<string, string>,
  env: Env,
): Promise<{ urls: Record<string, string>; stop: () => Promise<void> }> {
  const worker = new Worker(new URL('./agentWorker.ts', import.meta.url), { workerData: { env, agents } satisfies AgentWorkerData });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const stop = async () => {
    worker.postMessage('stop');
    await exited;
  };
  // An error the worker did not catch (a module that fails to load) ends it; it is the answer then.
  const report = await new Promise<AgentWorkerReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', () => reject(new SystemError('the built-in agents stopped before they started')));
  });
  if (!report.ok) {
    await stop();
    throw report.user ? new UserError(report.message) : new SystemError(report.message);
  }
  return { urls: { ...report.urls }, stop };
}

/** Agents being started: `ready` once they listen (see {@link launchMissingAgents}). */
export interface LaunchedAgents {
  readonly ready: Promise<StartedAgents>;
}

/**
 * Starts, on loopback ports, the built-in agents the config allows to start on demand and
 * that nothing answers for yet. They are still reached over Streamable HTTP like any server.
 * Returns once they are probed and their worker is spawned, so the caller's own loading runs
 * while they start; `ready` rejects when one fails, with none of them left running.
 */
export async function launchMissingAgents(
  servers: Readonly<Record<string, ServerEntry>>,
  env: Env,
  onStart: (message: string) => void,
): Promise<LaunchedAgents> {
  const candidates = Object.entries(servers).filter(([, entry]) => entry.enabled && entry.autoStart && entry.agent);
  const answering = await Promise.all(candidates.map(([, entry]) => answers(entry.url, entry.agent!, entry.headers)));
  const missing = Object.fromEntries(candidates.filter((_, i) => !answering[i]).map(([name, entry]) => [name, entry.agent!]));
  if (Object.keys(missing).length === 0)
    return { ready: Promise.resolve({ servers: { ...servers }, started: [], stop: async () => undefined }) };

  const ready = startInWorker(missing, env).then(({ urls, stop }) => {
    const out: Record<string, ServerEntry> = { ...servers };
    for (const [name, url] of Object.entries(urls)) {
      const entry = servers[name]!;
      const headers =
        env.MCP_AUTH_TOKEN && !Object.keys(entry.headers).some((h) => h.toLowerCase() === 'authorization')
          ? { ...entry.headers, Authorization: `Bearer ${env.MCP_AUTH_TOKEN}` }
          : entry.headers;
      out[name] = { ...entry, url, headers };
      onStart(`started built-in agent "${entry.agent}" on ${url} (nothing answered at ${entry.url})`);
    }
    return { servers: out, started: Object.keys(urls), stop };
  });
  // Awaited by the caller later, after its own loading: a failure meanwhile is not unhandled.
  ready.catch(() => undefined);
  return { ready };
}

/** {@link launchMissingAgents}, once the agents listen. */
export async function startMissingAgents(
  servers: Readonly<Record<string, ServerEntry>>,
  env: Env,
  onStart: (message: string) => void,
): Promise<StartedAgents> {
  return (await launchMissingAgents(servers, env, onStart)).ready;
}
