import type { createClient } from 'redis';
import { UpstreamError, describeError } from '../errors.ts';

// A client keeps trying to reach Redis for as long as it runs (a Redis restart must not leave a replica deaf to
// the others), while commands fail at once when it is away: a session request is answered 503 and an SSE event
// goes out without an id rather than either waiting. At start-up an unreachable Redis is an error after a few
// tries, never a hang.
function createRedisClient(create: typeof createClient, url: string) {
  let ready = false;
  const client = create({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries) => (!ready && retries > 2 ? false : Math.min(100 * 2 ** retries, 5000)),
    },
  });
  client.on('ready', () => (ready = true));
  return client;
}

export type RedisClient = ReturnType<typeof createRedisClient>;

/**
 * Connects to `REDIS_URL`; an unreachable server is an error naming it and what to check, `otherwise` being what
 * the operator can do instead (e.g. "unset it to keep events in memory").
 */
export async function connectRedis(url: string, otherwise: string): Promise<RedisClient> {
  // Imported here: an agent or CLI without REDIS_URL never loads the library (~50 ms at start-up).
  const { createClient } = await import('redis');
  const client = createRedisClient(createClient, url);
  client.on('error', () => undefined); // reported through the commands that fail
  try {
    await client.connect();
  } catch (error) {
    await client.destroy();
    const where = URL.canParse(url) ? new URL(url).host : 'the configured server';
    throw new UpstreamError('redis', `cannot reach Redis at ${where}: ${describeError(error)}`, {
      cause: error,
      hint: `check REDIS_URL, or ${otherwise}`,
    });
  }
  return client;
}
