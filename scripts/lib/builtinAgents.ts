import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Env } from '../../src/config/env.ts';
import { agentServerSettings } from '../../src/config/env.ts';
import type { SessionSettings } from './sessionFlags.ts';
import type { ConfigFile } from '../../src/config/file.ts';
import type { TlsServerMaterial } from '../../src/config/tls.ts';
import { UserError } from '../../src/errors.ts';
import { loadChatModel } from '../../src/llm/load.ts';
import { parseModelSpec } from '../../src/llm/spec.ts';
import type { Logger } from '../../src/telemetry/index.ts';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_LIFETIME_MS,
  RedisEventStore,
  RedisSessionStore,
  startAgentServer,
  withAskAgentTool,
  type AgentDefinition,
  type AgentFactory,
  type RunningAgentServer,
} from '../../src/mcp/index.ts';

const serversDir = fileURLToPath(new URL('../../servers/', import.meta.url));

/** Folder names under servers/ that hold an agent. */
export async function builtinAgentNames(): Promise<string[]> {
  const entries = await readdir(serversDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Builds the agent of `servers/<name>/index.ts`; an unknown name lists the known ones. */
export async function loadBuiltinAgent(name: string, env: Env): Promise<AgentDefinition> {
  const names = await builtinAgentNames();
  if (!names.includes(name)) throw new UserError(`no agent named "${name}": built-in agents are ${names.join(', ')}`);
  const module = (await import(new URL(`../../servers/${name}/index.ts`, import.meta.url).href)) as { default?: AgentFactory };
  if (typeof module.default !== 'function')
    throw new UserError(`servers/${name}/index.ts must default-export an AgentFactory (see servers/README.md)`);
  const agent = await module.default(env);
  // Every agent is also a tool of its own: ask_<name>_agent, run by the model SWITCHBOARD_MODEL names.
  const spec = parseModelSpec(env.SWITCHBOARD_MODEL, env); // a bad spec fails at start-up, not at the first ask
  return withAskAgentTool(agent, () => loadChatModel(spec, env));
}

/**
 * Lets the built-in agents `names` (started here) load what their first call needs, for those
 * whose module exports `warmUp` (see servers/analysis/index.ts): called once they listen, so a
 * client connects meanwhile. A failure is left to that first call, which loads it again.
 */
export async function warmUpBuiltinAgents(names: readonly string[]): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      const module = (await import(new URL(`../../servers/${name}/index.ts`, import.meta.url).href)) as { warmUp?: () => Promise<void> };
      await module.warmUp?.();
    }),
  ).catch(() => {});
}

/** The port the config gives a built-in agent (from its url), if any. */
export function configuredPort(config: ConfigFile | undefined, agent: string): number | undefined {
  for (const entry of Object.values(config?.servers ?? {})) {
    if (entry.agent === agent) return Number(new URL(entry.url).port) || undefined;
  }
  return undefined;
}

export interface StartOptions {
  readonly port: number;
  readonly stateless?: boolean;
  readonly onWarning?: (message: string) => void;
  /** Where the agent logs (its requests at debug, warnings at warn). Default: nowhere. */
  readonly logger?: Logger;
  /** Session limits from flags; default: the environment's. */
  readonly sessions?: SessionSettings;
  /** Serve HTTPS with this material (`TLS_*` files, loaded once). Default: plain HTTP (agents started on demand stay on loopback). */
  readonly tls?: TlsServerMaterial;
}

/** Builds and serves one built-in agent with the environment's security settings. */
export async function startBuiltinAgent(name: string, env: Env, options: StartOptions): Promise<RunningAgentServer> {
  const agent = await loadBuiltinAgent(name, env);
  let eventStore: RedisEventStore | undefined;
  try {
    const settings = { ...agentServerSettings(env, name), ...options.sessions };
    // With REDIS_URL the agent's sessions and the SSE events clients may resume from live in Redis, not in this
    // process: every replica of the agent serves every session, behind a plain round-robin balancer.
    let sessionStore: RedisSessionStore | undefined;
    if (env.REDIS_URL && !options.stateless) {
      eventStore = await RedisEventStore.connect({ url: env.REDIS_URL, prefix: `switchboard:sse:${name}` });
      sessionStore = await RedisSessionStore.connect({
        url: env.REDIS_URL,
        prefix: `switchboard:sessions:${name}`,
        idleTimeoutMs: settings.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        lifetimeMs: settings.sessionLifetimeMs ?? DEFAULT_MAX_LIFETIME_MS,
      });
    }
    return await startAgentServer(agent, {
      ...settings,
      port: options.port,
      stateless: options.stateless,
      onWarning: options.onWarning,
      logger: options.logger,
      eventStore,
      sessionStore,
      tls: options.tls,
    });
  } catch (error) {
    await eventStore?.close().catch(() => undefined); // when the session store could not connect
    await agent.close?.();
    throw error;
  }
}
