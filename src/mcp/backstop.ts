/** What the backstop needs of a transport (the mux transport): its requests in flight, and a way to give up on the old ones. */
export interface Expirable {
  readonly inFlight: number;
  expire(startedBefore: number, reason: string): void;
}

/** A request nothing answered gets an error after this. Default 15 minutes: longer than any tool call should take. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15 * 60_000;

/**
 * The last guarantee that every accepted request is answered: one that no handler answers within
 * `timeoutMs` (a tool that ignores its abort signal, a message the SDK dropped) gets a JSON-RPC
 * error, its handler is told it was cancelled, and its stream closes. One coarse timer for all
 * transports that have requests in flight; it stops when none have.
 */
export class RequestBackstop {
  readonly timeoutMs: number;
  private readonly watched = new Set<Expirable>();
  private timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS) {
    this.timeoutMs = timeoutMs;
  }

  /** Transports watched now (for tests: it must be empty once nothing is in flight). */
  get size(): number {
    return this.watched.size;
  }

  /** Whether its timer runs (only while requests are in flight). */
  get running(): boolean {
    return this.timer !== undefined;
  }

  watch(transport: Expirable): void {
    this.watched.add(transport);
    if (!this.timer) {
      this.timer = setInterval(() => this.check(), Math.max(10, Math.min(5000, Math.floor(this.timeoutMs / 4))));
      this.timer.unref();
    }
  }

  unwatch(transport: Expirable): void {
    this.watched.delete(transport);
    if (this.watched.size === 0) this.stop();
  }

  /** Answers whatever is overdue as of `now` (performance.now() time); the timer calls it. */
  check(now = performance.now()): void {
    const due = now - this.timeoutMs;
    const seconds = Math.round(this.timeoutMs / 100) / 10;
    for (const transport of this.watched) {
      transport.expire(due, `no answer within ${seconds} s: the request was given up`);
      if (transport.inFlight === 0) this.watched.delete(transport);
    }
    if (this.watched.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
