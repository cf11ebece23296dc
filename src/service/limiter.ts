/** Runs one key may execute at once on a replica. Default 4. */
export const DEFAULT_CONCURRENCY_PER_KEY = 4;
/** Runs one key may have waiting for a slot on a replica. Default 32. */
export const DEFAULT_QUEUE_PER_KEY = 32;

/** A place taken in a key's line: start it with a job, or give it back. */
export interface Ticket {
  readonly key: string;
  /** Runs `job` now if a slot is free, else when one frees up (first come, first served). */
  start(job: () => Promise<void>): void;
  /** Gives the place back without running (a queued run cancelled, or one that failed to record). */
  cancel(): boolean;
  /** Whether the job is running (false while it waits). */
  readonly running: boolean;
}

interface Lane {
  active: number;
  waiting: TicketImpl[];
  /** Reserved but not started yet: counts against the queue. */
  reserved: number;
}

class TicketImpl implements Ticket {
  readonly key: string;
  running = false;
  done = false;
  job: (() => Promise<void>) | undefined;
  private readonly limiter: KeyedLimiter;

  constructor(key: string, limiter: KeyedLimiter) {
    this.key = key;
    this.limiter = limiter;
  }

  start(job: () => Promise<void>): void {
    this.job = job;
    this.limiter.enqueue(this);
  }

  cancel(): boolean {
    return this.limiter.drop(this);
  }
}

/**
 * Per-key concurrency with a bounded queue: up to `concurrency` jobs of a key run at once, up to
 * `queue` more wait their turn, and a reservation past that is refused (the caller answers 429).
 */
export class KeyedLimiter {
  readonly concurrency: number;
  readonly queue: number;
  private readonly lanes = new Map<string, Lane>();

  constructor(options: { concurrency?: number; queue?: number } = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY_PER_KEY);
    this.queue = Math.max(0, options.queue ?? DEFAULT_QUEUE_PER_KEY);
  }

  /** Takes a place for `key`, or undefined when its slots and queue are full (`force` ignores the cap: work already accepted). */
  reserve(key: string, options: { force?: boolean } = {}): Ticket | undefined {
    const lane = this.lane(key);
    if (!options.force && lane.active + lane.waiting.length + lane.reserved >= this.concurrency + this.queue) return undefined;
    lane.reserved++;
    return new TicketImpl(key, this);
  }

  /** Jobs running and waiting for `key` (all keys when absent). */
  load(key?: string): { active: number; waiting: number } {
    const lanes = key === undefined ? [...this.lanes.values()] : [this.lanes.get(key)].filter((lane): lane is Lane => lane !== undefined);
    return lanes.reduce((sum, lane) => ({ active: sum.active + lane.active, waiting: sum.waiting + lane.waiting.length + lane.reserved }), {
      active: 0,
      waiting: 0,
    });
  }

  /** @internal */
  enqueue(ticket: TicketImpl): void {
    const lane = this.lane(ticket.key);
    lane.reserved--;
    lane.waiting.push(ticket);
    this.pump(ticket.key, lane);
  }

  /** @internal */
  drop(ticket: TicketImpl): boolean {
    if (ticket.running || ticket.done) return false;
    ticket.done = true;
    const lane = this.lane(ticket.key);
    const at = lane.waiting.indexOf(ticket);
    if (at >= 0) lane.waiting.splice(at, 1);
    else lane.reserved--;
    this.tidy(ticket.key, lane);
    return true;
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { active: 0, waiting: [], reserved: 0 }));
    return lane;
  }

  private pump(key: string, lane: Lane): void {
    while (lane.active < this.concurrency && lane.waiting.length > 0) {
      const ticket = lane.waiting.shift()!;
      lane.active++;
      ticket.running = true;
      const finish = () => {
        ticket.running = false;
        ticket.done = true;
        lane.active--;
        this.pump(key, lane);
      };
      // A job reports its own failures; the limiter only needs to know it ended.
      void Promise.resolve().then(ticket.job).then(finish, finish);
    }
    this.tidy(key, lane);
  }

  private tidy(key: string, lane: Lane): void {
    if (lane.active === 0 && lane.waiting.length === 0 && lane.reserved === 0) this.lanes.delete(key);
  }
}
