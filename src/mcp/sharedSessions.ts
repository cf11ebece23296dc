import type { ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { UpstreamError, describeError } from '../errors.ts';
import type { Identity, LogLevel } from './agent.ts';
import { parseEventId } from './eventStore.ts';
import type { RedisEventStore } from './redisEventStore.ts';
import type { BusMessage, RedisSessionStore, SessionRecord } from './redisSessions.ts';
import { resumeRemoteStream } from './remoteStream.ts';
import { McpSession, type SessionSharing } from './session.ts';
import type { Admission, Lookup, SessionManager } from './sessionManager.ts';

export interface SharedSessionsOptions {
  readonly store: RedisSessionStore;
  readonly events: RedisEventStore;
  /** This replica's sessions: those opened here and those rebuilt here from Redis. */
  readonly sessions: SessionManager;
  /** Builds the session `record` describes on this replica (an SDK server marked initialised). */
  readonly rebuild: (record: SessionRecord) => Promise<McpSession>;
}

/** The outcome of a `Last-Event-ID` for a stream this replica does not have. */
export type RemoteResume = 'resumed' | 'unknown' | 'conflict';

/**
 * Marks an SDK server as initialised by a client it never saw: what `initialize` told another replica
 * (capabilities, client info) is set where the SDK keeps it, so capability checks (sampling,
 * elicitation, roots) and `getClientCapabilities()` hold as on the replica that opened the session.
 */
export function markInitialized(server: McpServer, record: SessionRecord): void {
  // The SDK keeps these in private fields that only `initialize` sets, and has no public way to restore them.
  const inner = server.server as unknown as { _clientCapabilities?: unknown; _clientVersion?: unknown };
  inner._clientCapabilities = record.clientCapabilities;
  inner._clientVersion = record.clientInfo;
}

/**
 * 2025-11-25 sessions across replicas (with `REDIS_URL`): a session opened on any replica is served
 * by every replica. Opening records it in Redis; a request for a session this replica has not seen
 * rebuilds it from there (same identity required); DELETE and evictions end it on every replica;
 * messages for a GET stream held elsewhere go over pub/sub; `Last-Event-ID` resumes any stream of
 * the session here, and a call whose replica died gets an error to retry instead of silence.
 * Caps count every replica's sessions; idle expiry is Redis's own key expiry.
 */
export class SharedSessions {
  private readonly options: SharedSessionsOptions;
  private readonly rebuilding = new Map<string, Promise<McpSession>>();
  private readonly started: Promise<void>;
  private refresher: NodeJS.Timeout | undefined;

  constructor(options: SharedSessionsOptions) {
    this.options = options;
    this.started = options.store.start(
      (message) => this.onBus(message),
      () => this.busyIds(),
    );
    this.started.catch(() => undefined); // reported by the requests that wait for it
    // Busy sessions (a call in flight, a GET stream) must not expire while idle in Redis's eyes.
    const every = Math.max(1000, Math.min(60_000, Math.floor(options.store.idleTimeoutMs / 4)));
    this.refresher = setInterval(() => void this.refreshBusy().catch(() => undefined), every);
    this.refresher.unref();
  }

  /** Room for one more session of `client`, cluster-wide. */
  admit(client: string): Promise<Admission> {
    const { sessions, store } = this.options;
    return this.redis(() => store.admit(client, sessions.maxSessions, sessions.maxSessionsPerClient));
  }

  /** Records a session `initialize` just opened here, before its answer lets the client use it elsewhere. */
  async opened(session: McpSession, params: Readonly<Record<string, unknown>> | undefined): Promise<void> {
    const requested = String(params?.['protocolVersion'] ?? '');
    const record: SessionRecord = {
      id: session.id,
      subject: session.identity.subject,
      authenticated: session.identity.authenticated,
      client: session.client,
      protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION,
      clientCapabilities: objectOr(params?.['capabilities']),
      clientInfo: objectOr(params?.['clientInfo']) as SessionRecord['clientInfo'],
      logLevel: session.state.logLevel,
      createdAt: session.createdAt,
      lastActivity: Date.now(),
    };
    await this.redis(() => this.options.store.create(record));
  }

  /** The session `id` of `identity`, here or rebuilt from Redis, marked as just used everywhere. */
  async resolve(id: string, identity: Identity): Promise<Lookup<McpSession>> {
    const { sessions, store } = this.options;
    const record = await this.redis(() => store.touch(id));
    if (!record) {
      // Expired or ended while this replica held a copy (a legacy SSE session of that id is none of this).
      if (sessions.peek(id) instanceof McpSession) await sessions.remove(id);
      return { missing: 'unknown' };
    }
    if (record.subject !== identity.subject) return { missing: 'forbidden' };
    const local = sessions.get(id, identity, McpSession);
    if ('found' in local) {
      local.found.state.logLevel = record.logLevel as LogLevel | undefined; // another replica may have set it
      return local;
    }
    let pending = this.rebuilding.get(id);
    if (!pending) {
      pending = this.rebuildHere(record).finally(() => this.rebuilding.delete(id));
      this.rebuilding.set(id, pending);
    }
    return { found: await pending };
  }

  /** Ends the session on every replica (DELETE). */
  async remove(id: string): Promise<void> {
    await this.redis(() => this.options.store.end(id));
    await this.options.sessions.remove(id);
  }

  /** Resumes, from `lastEventId`, a stream of `session` that another replica wrote. */
  async resume(session: McpSession, lastEventId: string, res: ServerResponse, headers: Record<string, string>): Promise<RemoteResume> {
    const { store, events } = this.options;
    const streamId = parseEventId(lastEventId)?.streamId;
    const record = streamId === undefined ? undefined : await this.redis(() => store.stream(streamId));
    if (!streamId || !record || record.session !== session.id) return 'unknown';
    if (record.requestId === null) {
      // The GET stream: this replica holds it from now on, and writes what any replica has for it.
      const stream = session.adoptGetStream(streamId);
      if (!stream) return 'conflict';
      const resumed = await stream.resume(res, headers, async () => (await events.eventsAfter(lastEventId))?.events);
      return resumed ? 'resumed' : 'unknown';
    }
    const resumed = await this.redis(() =>
      resumeRemoteStream(res, headers, lastEventId, {
        store: events,
        requestId: record.requestId,
        lost: async () => (!(await store.isAlive(record.owner)) ? 'replica' : !(await store.exists(session.id)) ? 'session' : undefined),
        checkEveryMs: store.heartbeatMs,
      }),
    );
    return resumed ? 'resumed' : 'unknown';
  }

  /** How session `id`'s streams and GET-stream messages reach the other replicas. */
  sharing(id: string): SessionSharing {
    const { store } = this.options;
    return {
      registerStream: (streamId, requestId) => store.registerStream(streamId, id, requestId),
      // Best effort, as a message with no GET stream to go to is.
      publish: (message: JSONRPCMessage) => void store.publish(id, message).catch(() => undefined),
    };
  }

  /** Writes a log level set through this replica where every replica reads it. */
  persistLogLevel(id: string, level: LogLevel): Promise<void> {
    return this.options.store.setLogLevel(id, level);
  }

  async close(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    this.refresher = undefined;
    await this.options.store.close();
  }

  /** Runs `work` on Redis once this replica listens to the others; a failure is an `UpstreamError` (answered 503). */
  private async redis<T>(work: () => Promise<T>): Promise<T> {
    try {
      await this.started;
      return await work();
    } catch (error) {
      throw new UpstreamError('redis', `the session store (Redis) failed: ${describeError(error)}`, {
        cause: error,
        hint: 'retry shortly; check that Redis (REDIS_URL) is up',
      });
    }
  }

  private async rebuildHere(record: SessionRecord): Promise<McpSession> {
    const session = await this.options.rebuild(record);
    this.options.sessions.add(session);
    return session;
  }

  private onBus(message: BusMessage): void {
    const session = this.options.sessions.peek(message.id);
    if (!(session instanceof McpSession)) return;
    if (message.t === 'end') void this.options.sessions.remove(message.id).catch(() => undefined);
    else session.deliverStandalone(message.m);
  }

  private busyIds(): string[] {
    const ids: string[] = [];
    for (const session of this.options.sessions.values()) if (session instanceof McpSession && session.busy) ids.push(session.id);
    return ids;
  }

  private async refreshBusy(): Promise<void> {
    await Promise.all(this.busyIds().map((id) => this.options.store.touch(id)));
  }
}

function objectOr(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
