import type { Env } from '../../src/config/env.ts';
import type { ServerEntry } from '../../src/config/file.ts';
import type { RunningAgentServer } from '../../src/mcp/index.ts';

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
  // Settled, not Promise.all: an agent that starts after another failed must be stopped too,
  // or its server keeps the process alive after the error.
  const outcomes = await Promise.allSettled(
    Object.entries(servers).map(async ([name, entry]) => {
      if (!entry.enabled || !entry.autoStart || !entry.agent) return;
      if (await answers(entry.url, entry.agent, entry.headers)) return;
      // Loaded only when an agent must start: the kit (Express, Redis, metrics) is most of a CLI's start-up otherwise.
      const { startBuiltinAgent } = await import('./builtinAgents.ts');
      const server = await startBuiltinAgent(entry.agent, env, { port: 0 });
      running.push(server);
      started.push(name);
      const headers =
        env.MCP_AUTH_TOKEN && !Object.keys(entry.headers).some((h) => h.toLowerCase() === 'authorization')
          ? { ...entry.headers, Authorization: `Bearer ${env.MCP_AUTH_TOKEN}` }
          : entry.headers;
      out[name] = { ...entry, url: server.url, headers };
      onStart(`started built-in agent "${entry.agent}" on ${server.url} (nothing answered at ${entry.url})`);
    }),
  );
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { servers: out, started, stop };
}
