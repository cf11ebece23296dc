import type { Identity } from './agent.ts';

/** What the manager needs of a session, Streamable HTTP or legacy SSE. */
export interface ManagedSession {
  readonly id: string;
  readonly identity: Identity;
  /** Who the per-client cap counts it against: the token's subject, else the client's address. */
  readonly client: string;
  readonly createdAt: number;
  readonly lastActivity: number;
  readonly busy: boolean;
  close(): Promise<void>;
}

export interface SessionManagerOptions {
  /** Sessions open at most; past it the least recently used idle one makes room. Default 1,000. */
  readonly maxSessions?: number;
  /** Sessions one client (token subject, else address) holds at most; its own least recently used idle one makes room. Default 100. */
  readonly maxSessionsPerClient?: number;
  /** A session with nothing in flight and no GET stream expires after this. Default 30 minutes. */
  readonly idleTimeoutMs?: number;
  /** Any session, busy or not, is closed this long after it opened. Default 24 hours. */
  readonly maxLifetimeMs?: number;
}

export const DEFAULT_MAX_SESSIONS = 1000;
export const DEFAULT_MAX_SESSIONS_PER_CLIENT = 100;
export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60_000;
export const DEFAULT_MAX_LIFETIME_MS = 24 * 60 * 60_000;

export type Lookup<S> = { found: S } | { missing: 'unknown' | 'forbidden' };

/** Whether a new session may open: `full` when every session is busy, `client-full` when every one of this client's is. */
export type Admission = 'ok' | 'full' | 'client-full';

/**
 * Owns every open session: caps so clients that never say goodbye cannot exhaust memory nor lock
 * others out (the least recently used idle session gives way), idle expiry, a hard lifetime, and
 * the binding of a session to the identity that opened it.
 */
export class SessionManager {
  readonly maxSessions: number;
  readonly maxSessionsPerClient: number;
  readonly idleTimeoutMs: number;
  readonly maxLifetimeMs: number;
  /** In least-recently-used order (a session looked up moves to the end), as are the sets of `byClient`. */
  private readonly sessions = new Map<string, ManagedSession>();
  private readonly byClient = new Map<string, Set<ManagedSession>>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(options: SessionManagerOptions = {}) {
    this.maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    this.maxSessionsPerClient = options.maxSessionsPerClient ?? DEFAULT_MAX_SESSIONS_PER_CLIENT;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.maxLifetimeMs = options.maxLifetimeMs ?? DEFAULT_MAX_LIFETIME_MS;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Whether the sweeper's timer runs (only while sessions are open). */
  get sweeping(): boolean {
    return this.sweeper !== undefined;
  }

  /** Clients holding sessions now (for tests: it must be empty when the sessions are). */
  get clientCount(): number {
    return this.byClient.size;
  }

  /** Makes room for one more session of `client`, evicting least recently used idle sessions if need be. */
  async admit(client: string): Promise<Admission> {
    const own = this.byClient.get(client);
    if (own && own.size >= this.maxSessionsPerClient) {
      const victim = leastRecentlyUsedIdle(own);
      if (!victim) return 'client-full';
      await this.remove(victim.id);
    }
    if (this.sessions.size < this.maxSessions) return 'ok';
    await this.sweep();
    if (this.sessions.size < this.maxSessions) return 'ok';
    const victim = leastRecentlyUsedIdle(this.sessions.values());
    if (!victim) return 'full';
    await this.remove(victim.id);
    return 'ok';
  }

  add(session: ManagedSession): void {
    this.sessions.set(session.id, session);
    let own = this.byClient.get(session.client);
    if (!own) this.byClient.set(session.client, (own = new Set()));
    own.add(session);
    this.startSweeper();
  }

  /**
   * The session `id` if it is of `kind` and belongs to `identity`, marked as just used. One of another transport is
   * unknown here; one of another identity is reported apart (and answered like an unknown one).
   */
  get<S extends ManagedSession>(id: string, identity: Identity, kind: abstract new (...args: never[]) => S): Lookup<S> {
    const session = this.sessions.get(id);
    if (!(session instanceof kind)) return { missing: 'unknown' };
    if (session.identity.subject !== identity.subject) return { missing: 'forbidden' };
    // Moved to the end: both maps are kept in least-recently-used order.
    this.sessions.delete(id);
    this.sessions.set(id, session);
    const own = this.byClient.get(session.client);
    own?.delete(session);
    own?.add(session);
    return { found: session };
  }

  /** The session `id`, whatever its kind or identity, without marking it used (for messages from other replicas). */
  peek(id: string): ManagedSession | undefined {
    return this.sessions.get(id);
  }

  /** Every open session, least recently used first. */
  values(): IterableIterator<ManagedSession> {
    return this.sessions.values();
  }

  async remove(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    const own = this.byClient.get(session.client);
    own?.delete(session);
    if (own?.size === 0) this.byClient.delete(session.client);
    await session.close();
  }

  /** Closes sessions idle past the timeout, and any past the hard lifetime; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const expired = [...this.sessions.values()].filter(
      (s) => now - s.createdAt > this.maxLifetimeMs || (!s.busy && now - s.lastActivity > this.idleTimeoutMs),
    );
    await Promise.all(expired.map((s) => this.remove(s.id)));
    if (this.sessions.size === 0) this.stopSweeper();
    return expired.length;
  }

  async closeAll(): Promise<void> {
    this.stopSweeper();
    const all = [...this.sessions.keys()];
    await Promise.all(all.map((id) => this.remove(id)));
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    const every = Math.max(1000, Math.min(60_000, Math.floor(Math.min(this.idleTimeoutMs, this.maxLifetimeMs) / 4)));
    // A close that fails must not become an unhandled rejection: from a timer it would end the process.
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), every);
    this.sweeper.unref();
  }

  private stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}

/** The first idle session of a collection kept in least-recently-used order. */
function leastRecentlyUsedIdle(sessions: Iterable<ManagedSession>): ManagedSession | undefined {
  for (const session of sessions) if (!session.busy) return session;
  return undefined;
}
