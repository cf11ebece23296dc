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

/** A session in the table, with when it was last used (a count, so every use is ordered). */
interface Entry {
  readonly session: ManagedSession;
  used: number;
}

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
  /**
   * Each lookup stamps its entry with the next count; the least recently used is found by scanning, which only
   * a full table asks for. (Keeping the maps in use order instead costs four table updates per request.)
   */
  private readonly sessions = new Map<string, Entry>();
  private readonly byClient = new Map<string, Set<Entry>>();
  private clock = 0;
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
    const entry: Entry = { session, used: ++this.clock };
    this.sessions.set(session.id, entry);
    let own = this.byClient.get(session.client);
    if (!own) this.byClient.set(session.client, (own = new Set()));
    own.add(entry);
    this.startSweeper();
  }

  /**
   * The session `id` if it is of `kind` and belongs to `identity`, marked as just used. One of another transport is
   * unknown here; one of another identity is reported apart (and answered like an unknown one).
   */
  get<S extends ManagedSession>(id: string, identity: Identity, kind: abstract new (...args: never[]) => S): Lookup<S> {
    const entry = this.sessions.get(id);
    const session = entry?.session;
    if (!(session instanceof kind)) return { missing: 'unknown' };
    if (session.identity.subject !== identity.subject) return { missing: 'forbidden' };
    entry!.used = ++this.clock;
    return { found: session };
  }

  /** The session `id`, whatever its kind or identity, without marking it used (for messages from other replicas). */
  peek(id: string): ManagedSession | undefined {
    return this.sessions.get(id)?.session;
  }

  /** Every open session, oldest first. */
  *values(): IterableIterator<ManagedSession> {
    for (const entry of this.sessions.values()) yield entry.session;
  }

  async remove(id: string): Promise<void> {
    const entry = this.sessions.get(id);
    if (!entry) return;
    const { session } = entry;
    this.sessions.delete(id);
    const own = this.byClient.get(session.client);
    own?.delete(entry);
    if (own?.size === 0) this.byClient.delete(session.client);
    await session.close();
  }

  /** Closes sessions idle past the timeout, and any past the hard lifetime; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const expired = [...this.values()].filter(
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

/** The idle session used longest ago. */
function leastRecentlyUsedIdle(entries: Iterable<Entry>): ManagedSession | undefined {
  let oldest: Entry | undefined;
  for (const entry of entries) if (!entry.session.busy && (oldest === undefined || entry.used < oldest.used)) oldest = entry;
  return oldest?.session;
}
