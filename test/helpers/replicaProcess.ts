// One replica of a test agent in its own process (so a test can kill -9 it), sharing sessions through Redis.
// Env: REPLICA_REDIS_URL, REPLICA_PREFIX, REPLICA_HEARTBEAT_MS. Prints {"url": ...} on stdout once listening.
import { createClient } from 'redis';
import { z } from 'zod';
import { RedisEventStore, RedisSessionStore, defineAgent, defineTool, startAgentServer } from '../../src/mcp/index.ts';
import { createClusterTestAgent } from './replicas.ts';

const url = process.env['REPLICA_REDIS_URL']!;
const prefix = process.env['REPLICA_PREFIX']!;
const redis = createClient({ url });
await redis.connect();

// Writes once per idempotency key, whichever replica gets the call and however often it is repeated.
const WRITE_ONCE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then redis.call('INCR', KEYS[2]) end
return redis.call('GET', KEYS[1])
`;

const base = createClusterTestAgent();
const agent = defineAgent({
  ...base,
  tools: [
    ...base.tools,
    defineTool({
      name: 'keyed_write',
      title: 'Keyed write',
      description: 'Reports progress, counts one write per idempotency key, then works for delay_ms with progress.',
      input: z.object({ idempotency_key: z.string(), delay_ms: z.number().int().min(0).max(30_000) }),
      output: z.object({ writes: z.number(), replica: z.number() }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
      handler: async ({ idempotency_key, delay_ms }, context) => {
        await context.progress(0, delay_ms, 'starting'); // the answer is a stream (resumable) from here on
        await redis.eval(WRITE_ONCE, { keys: [`${prefix}:idem:${idempotency_key}`, `${prefix}:writes`], arguments: [String(process.pid)] });
        for (let waited = 0; waited < delay_ms; waited += 50) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          await context.progress(waited + 50, delay_ms, 'working');
        }
        const writes = Number(await redis.get(`${prefix}:writes`));
        return { structured: { writes, replica: process.pid }, text: `${writes} writes` };
      },
    }),
  ],
});

const eventStore = await RedisEventStore.connect({ url, prefix: `${prefix}:sse`, ttlSeconds: 120 });
const sessionStore = await RedisSessionStore.connect({
  url,
  prefix: `${prefix}:sessions`,
  idleTimeoutMs: 60_000,
  lifetimeMs: 600_000,
  heartbeatMs: Number(process.env['REPLICA_HEARTBEAT_MS'] ?? 200),
  streamTtlSeconds: 120,
});
const server = await startAgentServer(agent, { port: 0, eventStore, sessionStore, streamAfterMs: 100 });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.on('SIGTERM', () => {
  void server
    .close(1000)
    .then(() => redis.close())
    .then(() => process.exit(0));
});
