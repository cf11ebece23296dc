import type { Identity } from './agent.ts';

/** What the manager needs of a session, Streamable HTTP or legacy SSE. */
export interface ManagedSession {
  readonly id: string;
  readonly identity: Identity;
  readonly lastActivity: number;
  readonly busy: boolean;
  close(): Promise<void>;
}

export interface SessionManagerOptions {
  /** Sessions open at most; past it a new one is refused (503). Default 1,000. */
  readonly maxSessions?: number;
  /** A session with nothing in flight and no GET stream expires after this. Default 30 minutes. */
  readonly idleTimeoutMs?: number;
}

export const DEFAULT_MAX_SESSIONS = 1000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60_000;

export type Lookup<S> = { found: S } | { missing: 'unknown' | 'forbidden' };

/**
 * Owns every open session: a cap so clients that never say goodbye cannot exhaust memory,
 * idle expiry, and the binding of a session to the identity that opened it.
 */
export class SessionManager {
  readonly maxSessions: number;
  readonly idleTimeoutMs: number;
  private readonly sessions = new Map<string, ManagedSession>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(options: SessionManagerOptions = {}) {
    this.maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Whether one more session fits, after expiring idle ones if need be. */
  async hasRoom(): Promise<boolean> {
    if (this.sessions.size < this.maxSessions) return true;
    await this.sweep();
    return this.sessions.size < this.maxSessions;
  }

  add(session: ManagedSession): void {
    this.sessions.set(session.id, session);
    this.startSweeper();
  }

  /**
   * The session `id` if it is of `kind` and belongs to `identity`. One of another transport is
   * unknown here; one of another identity is reported apart (and answered like an unknown one).
   */
  get<S extends ManagedSession>(id: string, identity: Identity, kind: abstract new (...args: never[]) => S): Lookup<S> {
    const session = this.sessions.get(id);
    if (!(session instanceof kind)) return { missing: 'unknown' };
    if (session.identity.subject !== identity.subject) return { missing: 'forbidden' };
    return { found: session };
  }

  async remove(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    await session.close();
  }

  /** Closes sessions idle past the timeout; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const expired = [...this.sessions.values()].filter((s) => !s.busy && now - s.lastActivity > this.idleTimeoutMs);
    await Promise.all(expired.map((s) => this.remove(s.id)));
    return expired.length;
  }

  async closeAll(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const all = [...this.sessions.keys()];
    await Promise.all(all.map((id) => this.remove(id)));
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    const every = Math.max(1000, Math.min(60_000, Math.floor(this.idleTimeoutMs / 4)));
    // A close that fails must not become an unhandled rejection: from a timer it would end the process.
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), every);
    this.sweeper.unref();
  }
}
