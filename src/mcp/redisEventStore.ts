import { randomBytes } from 'node:crypto';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { parseEventId, type EventStore, type StoredEvent } from './eventStore.ts';
import { connectRedis, type RedisClient } from './redisClient.ts';
import { luaScript, runScript } from './redisScript.ts';

export interface RedisEventStoreOptions {
  /** `REDIS_URL`, e.g. redis://127.0.0.1:6379 */
  readonly url: string;
  /** Keys are `<prefix>:<streamId>`. Default `switchboard:sse`. */
  readonly prefix?: string;
  /** A stream nobody wrote to for this long is dropped by Redis itself. Default 1 hour. */
  readonly ttlSeconds?: number;
}

// Appends an event, keeps the stream alive, and tells followers its sequence number; returns the new length.
const APPEND = luaScript(`
local length = redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], (length - 1) .. '|' .. ARGV[1])
return length
`);

/**
 * SSE events in Redis: one list per stream, so the event's index is its sequence number and
 * `RPUSH` orders concurrent writers. Streams expire on their own; memory of the server process
 * stays flat however many clients never come back. Each append is also published, so a replica
 * that did not write a stream can follow it live (see `follow`).
 */
export class RedisEventStore implements EventStore {
  private readonly client: RedisClient;
  private readonly prefix: string;
  private readonly ttl: number;
  private subscriber: Promise<RedisClient> | undefined;

  private constructor(client: RedisClient, options: RedisEventStoreOptions) {
    this.client = client;
    this.prefix = options.prefix ?? 'switchboard:sse';
    this.ttl = options.ttlSeconds ?? 3600;
  }

  /** Connects; an unreachable server is an error naming it (never a hang). */
  static async connect(options: RedisEventStoreOptions): Promise<RedisEventStore> {
    const client = await connectRedis(options.url, 'unset it to keep events in memory');
    return new RedisEventStore(client, options);
  }

  async append(streamId: string, message: JSONRPCMessage | null): Promise<string> {
    const length = (await runScript(this.client, APPEND, {
      keys: [this.key(streamId)],
      arguments: [JSON.stringify(message), String(this.ttl), this.liveChannel(streamId)],
    })) as number;
    return `${streamId}_${length - 1}`;
  }

  /**
   * Calls `listener` with each event appended to `streamId` from now on, by any replica (so one
   * that did not write a stream can carry it on live); resolves to the function that stops it.
   */
  async follow(streamId: string, listener: (event: StoredEvent) => void): Promise<() => Promise<void>> {
    this.subscriber ??= this.connectSubscriber();
    const subscriber = await this.subscriber;
    const channel = this.liveChannel(streamId);
    const onMessage = (raw: string) => {
      const at = raw.indexOf('|');
      const seq = Number(raw.slice(0, at));
      listener({ id: `${streamId}_${seq}`, message: JSON.parse(raw.slice(at + 1)) as JSONRPCMessage | null });
    };
    await subscriber.subscribe(channel, onMessage);
    return async () => {
      if (subscriber.isOpen) await subscriber.unsubscribe(channel, onMessage).catch(() => undefined);
    };
  }

  async eventsAfter(eventId: string): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const parsed = parseEventId(eventId);
    if (!parsed) return undefined;
    const key = this.key(parsed.streamId);
    const [length, rest] = (await this.client
      .multi()
      .lLen(key)
      .lRange(key, parsed.seq + 1, -1)
      .exec()) as unknown as [number, string[]];
    if (length === 0 || parsed.seq >= length) return undefined;
    const events = rest.map((json, i) => ({
      id: `${parsed.streamId}_${parsed.seq + 1 + i}`,
      message: JSON.parse(json) as JSONRPCMessage | null,
    }));
    return { streamId: parsed.streamId, events };
  }

  async deleteStream(streamId: string): Promise<void> {
    await this.client.del(this.key(streamId));
  }

  async close(): Promise<void> {
    const subscriber = await this.subscriber?.catch(() => undefined);
    if (subscriber?.isOpen) await subscriber.close().catch(() => undefined);
    if (this.client.isOpen) await this.client.close();
  }

  private async connectSubscriber(): Promise<RedisClient> {
    const subscriber = this.client.duplicate();
    subscriber.on('error', () => undefined);
    await subscriber.connect();
    return subscriber;
  }

  private liveChannel(streamId: string): string {
    return `${this.prefix}:live:${streamId}`;
  }

  private key(streamId: string): string {
    return `${this.prefix}:${streamId}`;
  }
}

/** A key prefix no other store shares (for tests). */
export function uniqueRedisPrefix(): string {
  return `switchboard-test:${randomBytes(6).toString('hex')}`;
}
