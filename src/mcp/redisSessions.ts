import { randomBytes } from 'node:crypto';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { RequestId } from './jsonrpc.ts';
import { connectRedis, type RedisClient } from './redisClient.ts';
import { luaScript, runScript } from './redisScript.ts';
import type { Admission } from './sessionManager.ts';

/** What a 2025-11-25 session is, as every replica needs to know it to serve the session. */
export interface SessionRecord {
  readonly id: string;
  readonly subject: string;
  readonly authenticated: boolean;
  /** Who the per-client cap counts it against. */
  readonly client: string;
  /** The version `initialize` negotiated. */
  readonly protocolVersion: string;
  readonly clientCapabilities: Record<string, unknown>;
  readonly clientInfo: { name: string; version: string } & Record<string, unknown>;
  readonly logLevel: string | undefined;
  readonly createdAt: number;
  readonly lastActivity: number;
}

/** An SSE stream of a session, so any replica can tell whose it is and answer for it if its replica died. */
export interface StreamRecord {
  readonly session: string;
  /** The replica that writes it. */
  readonly owner: string;
  /** The client's id of the request a POST stream answers; null for a GET stream. */
  readonly requestId: RequestId | null;
}

/** What replicas tell each other: a session ended (DELETE, eviction), or a message for whoever holds its GET stream. */
export type BusMessage =
  { readonly t: 'end'; readonly id: string } | { readonly t: 'msg'; readonly id: string; readonly m: JSONRPCMessage };

export interface RedisSessionStoreOptions {
  /** `REDIS_URL`, e.g. redis://127.0.0.1:6379 */
  readonly url: string;
  /** Keys are `<prefix>:...`; replicas of one agent share it, different agents must not. Default `switchboard:sessions`. */
  readonly prefix?: string;
  /** An idle session's key expires after this (refreshed by every request). */
  readonly idleTimeoutMs: number;
  /** Any session's key expires this long after it opened. */
  readonly lifetimeMs: number;
  /** How often this replica says it is alive; it counts as dead after three missed beats. Default 1,000 ms. */
  readonly heartbeatMs?: number;
  /** How long a stream's record is kept (as long as its events). Default 1 hour. */
  readonly streamTtlSeconds?: number;
}

export const DEFAULT_HEARTBEAT_MS = 1000;

// Refreshes a session's expiry and activity and returns its fields; nil when it is gone or past its lifetime.
// KEYS: session hash, all-sessions zset. ARGV: now, idle ms, lifetime ms, id, client zset prefix.
const TOUCH = luaScript(`
local created = redis.call('HGET', KEYS[1], 'created')
if not created then redis.call('ZREM', KEYS[2], ARGV[4]) return false end
local now = tonumber(ARGV[1])
local client = redis.call('HGET', KEYS[1], 'client')
local left = tonumber(created) + tonumber(ARGV[3]) - now
if left <= 0 then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[4])
  redis.call('ZREM', ARGV[5] .. client, ARGV[4])
  return false
end
redis.call('HSET', KEYS[1], 'last', ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.min(left, tonumber(ARGV[2])))
redis.call('ZADD', KEYS[2], now, ARGV[4])
redis.call('ZADD', ARGV[5] .. client, now, ARGV[4])
return redis.call('HGETALL', KEYS[1])
`);

// Ends a session everywhere: its key, its places in the cap sets, and a word to every replica. 1 when it existed.
// KEYS: session hash, all-sessions zset. ARGV: id, client zset prefix, bus channel, bus message.
const END = luaScript(`
local client = redis.call('HGET', KEYS[1], 'client')
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[3], ARGV[4])
if not client then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', ARGV[2] .. client, ARGV[1])
return 1
`);

/**
 * 2025-11-25 sessions in Redis, so that any replica behind a plain round-robin balancer serves any
 * session: one hash per session (expiring after the idle timeout, refreshed by each request, and
 * at the end of its lifetime at the latest), sorted sets by last activity for the caps (all
 * sessions, and per client), a record per SSE stream naming the replica that writes it, a
 * heartbeat per replica listing its busy sessions, and one pub/sub channel for what replicas tell
 * each other. Uses plain Redis (the scripts touch keys they derive, so not Redis Cluster).
 */
export class RedisSessionStore {
  /** This process among the replicas (random per start). */
  readonly replicaId = randomBytes(8).toString('hex');
  readonly heartbeatMs: number;
  private readonly client: RedisClient;
  private subscriber: RedisClient | undefined;
  private readonly prefix: string;
  private readonly options: RedisSessionStoreOptions;
  private heartbeat: NodeJS.Timeout | undefined;
  private busy: () => readonly string[] = () => [];
  private closed = false;

  private constructor(client: RedisClient, options: RedisSessionStoreOptions) {
    this.client = client;
    this.options = options;
    this.prefix = options.prefix ?? 'switchboard:sessions';
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  }

  /** Connects; an unreachable server is an error naming it (never a hang). */
  static async connect(options: RedisSessionStoreOptions): Promise<RedisSessionStore> {
    const client = await connectRedis(options.url, 'unset it to keep sessions in this process');
    return new RedisSessionStore(client, options);
  }

  get idleTimeoutMs(): number {
    return this.options.idleTimeoutMs;
  }

  /**
   * Starts listening to the other replicas and beating: every `heartbeatMs` this replica says it
   * is alive and which of its sessions are busy (those are never evicted to make room).
   */
  async start(onMessage: (message: BusMessage) => void, busy: () => readonly string[]): Promise<void> {
    this.busy = busy;
    const subscriber = this.client.duplicate();
    subscriber.on('error', () => undefined);
    await subscriber.connect();
    this.subscriber = subscriber;
    await subscriber.subscribe(this.key('bus'), (raw) => {
      let message: BusMessage;
      try {
        message = JSON.parse(raw) as BusMessage;
      } catch {
        return; // not ours
      }
      onMessage(message);
    });
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat().catch(() => undefined), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Records a session that `initialize` just opened (before the client can use it anywhere). */
  async create(record: SessionRecord): Promise<void> {
    const key = this.key('s', record.id);
    await this.client
      .multi()
      .hSet(key, {
        sub: record.subject,
        auth: record.authenticated ? '1' : '0',
        client: record.client,
        pv: record.protocolVersion,
        caps: JSON.stringify(record.clientCapabilities),
        info: JSON.stringify(record.clientInfo),
        created: String(record.createdAt),
        last: String(record.lastActivity),
        ...(record.logLevel === undefined ? {} : { level: record.logLevel }),
      })
      .pExpire(key, Math.min(this.options.idleTimeoutMs, this.options.lifetimeMs))
      .zAdd(this.key('all'), { score: record.lastActivity, value: record.id })
      .zAdd(this.key('c', record.client), { score: record.lastActivity, value: record.id })
      .exec();
  }

  /** The session, its expiry refreshed as just used; undefined when it expired, ended, or never was. */
  async touch(id: string, now = Date.now()): Promise<SessionRecord | undefined> {
    const reply = (await runScript(this.client, TOUCH, {
      keys: [this.key('s', id), this.key('all')],
      arguments: [String(now), String(this.options.idleTimeoutMs), String(this.options.lifetimeMs), id, this.key('c', '')],
    })) as string[] | null;
    if (!reply) return undefined;
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < reply.length; i += 2) fields[reply[i]!] = reply[i + 1]!;
    return recordOf(id, fields);
  }

  async setLogLevel(id: string, level: string): Promise<void> {
    await this.client.hSet(this.key('s', id), 'level', level);
  }

  /** Ends a session on every replica; true when it existed. */
  async end(id: string): Promise<boolean> {
    const ended = await runScript(this.client, END, {
      keys: [this.key('s', id), this.key('all')],
      arguments: [id, this.key('c', ''), this.key('bus'), JSON.stringify({ t: 'end', id } satisfies BusMessage)],
    });
    return ended === 1;
  }

  /** Hands a message to whichever replica holds the session's GET stream (none: it is dropped, as the spec allows). */
  async publish(id: string, message: JSONRPCMessage): Promise<void> {
    await this.client.publish(this.key('bus'), JSON.stringify({ t: 'msg', id, m: message } satisfies BusMessage));
  }

  /**
   * Makes room for one more session of `client` cluster-wide, ending least recently used idle sessions
   * (anywhere) if need be: `full` or `client-full` when every session in the way is busy.
   */
  async admit(client: string, maxSessions: number, maxPerClient: number, now = Date.now()): Promise<Admission> {
    const all = this.key('all');
    const own = this.key('c', client);
    // Members whose key expired while idle; busy sessions are refreshed by their replica, so they stay.
    const stale = now - this.options.idleTimeoutMs;
    await this.client.multi().zRemRangeByScore(all, '-inf', stale).zRemRangeByScore(own, '-inf', stale).exec();
    const busy = await this.busySessions(now);
    const ownCount = await this.client.zCard(own);
    if (ownCount >= maxPerClient && !(await this.evictOne(own, ownCount - maxPerClient + 1, busy))) return 'client-full';
    const total = await this.client.zCard(all);
    if (total >= maxSessions && !(await this.evictOne(all, total - maxSessions + 1, busy))) return 'full';
    return 'ok';
  }

  /** Notes whose stream `streamId` is and which replica writes it. */
  async registerStream(streamId: string, session: string, requestId: RequestId | null): Promise<void> {
    const key = this.key('st', streamId);
    await this.client
      .multi()
      .hSet(key, { session, owner: this.replicaId, req: JSON.stringify(requestId) })
      .expire(key, this.options.streamTtlSeconds ?? 3600)
      .exec();
  }

  async stream(streamId: string): Promise<StreamRecord | undefined> {
    const fields = await this.client.hGetAll(this.key('st', streamId));
    if (!fields['session'] || !fields['owner']) return undefined;
    return { session: fields['session'], owner: fields['owner'], requestId: JSON.parse(fields['req'] ?? 'null') as RequestId | null };
  }

  /** Whether the session `id` is still open (without marking it used). */
  async exists(id: string): Promise<boolean> {
    return (await this.client.exists(this.key('s', id))) === 1;
  }

  /** Whether the replica `replicaId` beat within the last three beats. */
  async isAlive(replicaId: string): Promise<boolean> {
    return (await this.client.exists(this.key('r', replicaId))) === 1;
  }

  /** Stops beating and listening (the replica's sessions stay in Redis for the others). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (this.client.isOpen) await this.client.del(this.key('r', this.replicaId)).catch(() => undefined);
    if (this.subscriber?.isOpen) await this.subscriber.close().catch(() => undefined);
    if (this.client.isOpen) await this.client.close();
  }

  /** Says now that this replica is alive and which of its sessions are busy (done every `heartbeatMs` anyway). */
  async beat(): Promise<void> {
    const now = Date.now();
    await this.client
      .multi()
      .set(this.key('r', this.replicaId), JSON.stringify(this.busy()), { PX: this.heartbeatMs * 3 })
      .zAdd(this.key('replicas'), { score: now, value: this.replicaId })
      .zRemRangeByScore(this.key('replicas'), '-inf', now - this.heartbeatMs * 30)
      .exec();
  }

  /** Sessions some live replica reported busy. */
  private async busySessions(now: number): Promise<Set<string>> {
    const replicas = await this.client.zRangeByScore(this.key('replicas'), now - this.heartbeatMs * 30, '+inf');
    if (replicas.length === 0) return new Set();
    const lists = await this.client.mGet(replicas.map((r) => this.key('r', r)));
    const busy = new Set<string>();
    for (const list of lists) if (list) for (const id of JSON.parse(list) as string[]) busy.add(id);
    return busy;
  }

  /** Ends the least recently used idle session of the sorted set `set` (or finds one already gone); false when all are busy. */
  private async evictOne(set: string, needed: number, busy: Set<string>): Promise<boolean> {
    let freed = 0;
    // Least recently used first; enough of them that the busy ones cannot hide an idle one.
    const ids = await this.client.zRange(set, 0, needed + busy.size + 49);
    for (const id of ids) {
      if (busy.has(id)) continue;
      // One whose key expired (lifetime) frees its place as well as an eviction would.
      if ((await this.client.exists(this.key('s', id))) === 0) await this.client.zRem(set, id);
      else await this.end(id);
      if (++freed >= needed) return true;
    }
    return false;
  }

  private key(...parts: string[]): string {
    return `${this.prefix}:${parts.join(':')}`;
  }
}

function recordOf(id: string, fields: Record<string, string>): SessionRecord {
  return {
    id,
    subject: fields['sub'] ?? '',
    authenticated: fields['auth'] === '1',
    client: fields['client'] ?? '',
    protocolVersion: fields['pv'] ?? '',
    clientCapabilities: JSON.parse(fields['caps'] ?? '{}') as Record<string, unknown>,
    clientInfo: JSON.parse(fields['info'] ?? '{}') as SessionRecord['clientInfo'],
    logLevel: fields['level'],
    createdAt: Number(fields['created']),
    lastActivity: Number(fields['last']),
  };
}
