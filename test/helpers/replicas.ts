import { z } from 'zod';
import {
  RedisEventStore,
  RedisSessionStore,
  defineAgent,
  defineTool,
  startAgentServer,
  uniqueRedisPrefix,
  type AgentDefinition,
  type AgentServerOptions,
  type RunningAgentServer,
} from '../../src/mcp/index.ts';
import { createTestAgent } from './testAgent.ts';

export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** The test agent plus `announce`: a log message to the session's GET stream (not to the call). */
export function createClusterTestAgent(): AgentDefinition {
  const base = createTestAgent();
  return defineAgent({
    ...base,
    tools: [
      ...base.tools,
      defineTool({
        name: 'announce',
        title: 'Announce',
        description: 'Sends text to the session as a log message on its GET stream.',
        input: z.object({ text: z.string() }),
        output: z.object({ sent: z.boolean() }),
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
        handler: async ({ text }, context) => {
          await context.sessionLog('notice', text);
          return { structured: { sent: true }, text: 'sent' };
        },
      }),
    ],
  });
}

export interface Replica {
  readonly server: RunningAgentServer;
  readonly sessions: RedisSessionStore;
  readonly url: string;
}

export interface ReplicaSet {
  readonly replicas: Replica[];
  readonly urls: string[];
  readonly prefix: string;
  close(): Promise<void>;
}

/**
 * `count` replicas of one agent in this process, each with its own Redis connections and replica
 * id (as separate processes would have), sharing sessions and events under a fresh key prefix.
 */
export async function startReplicas(
  count: number,
  options: Partial<AgentServerOptions> & { heartbeatMs?: number; agent?: () => AgentDefinition } = {},
): Promise<ReplicaSet> {
  const prefix = uniqueRedisPrefix();
  const replicas: Replica[] = [];
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const lifetimeMs = options.sessionLifetimeMs ?? 3_600_000;
  const close = async () => {
    await Promise.all(replicas.map((r) => r.server.close(1000)));
  };
  try {
    for (let i = 0; i < count; i++) {
      const eventStore = await RedisEventStore.connect({ url: REDIS_URL, prefix: `${prefix}:sse`, ttlSeconds: 120 });
      const sessionStore = await RedisSessionStore.connect({
        url: REDIS_URL,
        prefix: `${prefix}:sessions`,
        idleTimeoutMs,
        lifetimeMs,
        heartbeatMs: options.heartbeatMs ?? 200,
        streamTtlSeconds: 120,
      }).catch(async (error: unknown) => {
        await eventStore.close();
        throw error;
      });
      const server = await startAgentServer((options.agent ?? createClusterTestAgent)(), {
        port: 0,
        ...options,
        idleTimeoutMs,
        sessionLifetimeMs: lifetimeMs,
        eventStore,
        sessionStore,
      });
      replicas.push({ server, sessions: sessionStore, url: server.url });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { replicas, urls: replicas.map((r) => r.url), prefix, close };
}
